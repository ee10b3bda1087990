// Metrics built on a metric source are told apart by id (else by type and name): two metrics of
// different types may share a name, and both must be shown before a delete.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SourcesApi } from '../../../src/core/api.ts';
import { ConsoleClient } from '../../../src/core/client.ts';

let server: Server;
let url = '';
let metrics: Record<string, unknown>[] = [];

before(async () => {
  server = createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '1');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      message: 'ok', data: page === 1 ? metrics : [],
      pagination: { itemsPerPage: 100, pageNumber: page, nextPage: null, previousPage: null, totalItems: metrics.length },
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const api = () => new SourcesApi(new ConsoleClient({ baseUrl: url, apiKey: 'console-fake-deps', retry: { limit: 0 } }));

test('three metrics, two sharing a name but not a type: all three are listed', async () => {
  metrics = [
    { name: 'revenue', type: 'sum' },
    { name: 'revenue', type: 'mean' },
    { name: 'orders', type: 'count' },
  ];
  const got = (await api().dependents({ kind: 'metricSource', name: 'orders_source' })) ?? [];
  assert.deepEqual(got.map((m) => `${String(m['type'])}:${String(m['name'])}`), ['sum:revenue', 'mean:revenue', 'count:orders']);
});

test('ids decide when present; a true duplicate (same id) is shown once', async () => {
  metrics = [
    { id: 'revenue::sum', name: 'revenue', type: 'sum' },
    { id: 'revenue::sum', name: 'revenue', type: 'sum' },
    { id: 'revenue::mean', name: 'revenue', type: 'mean' },
  ];
  const got = (await api().dependents({ kind: 'metricSource', name: 'orders_source' })) ?? [];
  assert.deepEqual(got.map((m) => m['id']), ['revenue::sum', 'revenue::mean']);
});
