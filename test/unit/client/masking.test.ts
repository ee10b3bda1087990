// Every error the client throws has the key masked, whatever path made it: a body that is not JSON
// (V8 quotes short invalid JSON in its message), a body of the wrong shape, an HTTP error message.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SourcesApi } from '../../../src/core/api.ts';
import { ConsoleClient } from '../../../src/core/client.ts';

const KEY = 'console-fake-echoedKey42';
let server: Server;
let url = '';
let mode: 'echo-text' | 'echo-status' | 'echo-shape' = 'echo-text';

before(async () => {
  // A hostile or broken server on loopback that echoes the key header back in every answer.
  server = createServer((req, res) => {
    const key = String(req.headers['statsig-api-key'] ?? '');
    if (mode === 'echo-text') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(key); return; }
    if (mode === 'echo-status') { res.writeHead(500, { 'content-type': 'application/json' }); res.end(JSON.stringify({ status: 500, message: `bad key ${key}` })); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: key, data: { [key]: 1 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const api = () => new SourcesApi(new ConsoleClient({ baseUrl: url, apiKey: KEY, retry: { limit: 0 } }));

test('no error message contains the key, on any failure path', async () => {
  for (const m of ['echo-text', 'echo-status', 'echo-shape'] as const) {
    mode = m;
    await assert.rejects(api().getProject(), (e: Error) => {
      assert.ok(!e.message.includes(KEY), `${m}: ${e.message}`);
      assert.ok(!e.message.includes('echoedKey42'), `${m}: ${e.message}`);
      return true;
    });
  }
});
