// Benchmark: list every source of a 10,000-source project with 50 ms of injected latency per
// request, and compare the wall time with its floor, 50 ms × the sequential round trips the
// strategy needs (page 1, then bounded concurrent waves). The same run also measures the listing
// with no injected latency (the CPU cost of client + emulator on this machine), and the heap the
// core holds for the result. The emulator runs in its own process, as a real server would.
// Run: npm run bench:list [-- --sources 10000 --latency 50 --runs 3 --page-size 100 --concurrency 8]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConsoleClient } from '../../src/core/client.ts';
import { SourcesApi, type KindListing } from '../../src/core/api.ts';

const { values } = parseArgs({
  options: {
    sources: { type: 'string', default: '10000' },
    latency: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    'page-size': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
  },
});
const sources = Number(values.sources);
const latency = Number(values.latency);
const runs = Number(values.runs);
const pageSize = Number(values['page-size']);
const concurrency = Number(values.concurrency);
const key = 'console-fake-benchmark-key';
const controlToken = randomBytes(24).toString('hex');

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => { gc?.(); gc?.(); return process.memoryUsage().heapUsed; };

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'emulator', 'cli.ts');
const child = spawn(process.execPath, [cli, '--port', '0', '--key', key, '--seed', `large:${sources}`, '--max-page-size', String(pageSize), '--control-token', controlToken], { stdio: ['ignore', 'pipe', 'inherit'] });
let url = '';
let buffered = '';
child.stdout.setEncoding('utf8');
while (!url) {
  const [chunk] = (await once(child.stdout, 'data')) as [string];
  buffered += chunk;
  url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buffered)?.[1] ?? '';
}

async function control(pathname: string, body?: unknown): Promise<Record<string, number>> {
  const headers = { 'content-type': 'application/json', 'x-emulator-token': controlToken };
  const res = await fetch(`${url}${pathname}`, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, number>;
}

interface Run { ms: number; rounds: number; requests: number; maxConcurrent: number; count: number; heldBytes: number }

async function once_(latencyMs: number): Promise<Run> {
  await control('/__emulator/reset', {});
  await control('/__emulator/faults', { latencyMs });
  const api = new SourcesApi(new ConsoleClient({ baseUrl: url, apiKey: key }), { pageSize, concurrency });
  const t0 = performance.now();
  const all = await api.listEverything();
  const ms = performance.now() - t0;
  const listings: KindListing[] = [];
  for (const [kind, r] of all) {
    if (r.status !== 'fulfilled') throw new Error(`${kind} failed: ${String(r.reason)}`);
    listings.push(r.value);
  }
  all.clear();
  const stats = await control('/__emulator/stats');
  const count = listings.reduce((n, l) => n + l.records.length, 0);
  const rounds = Math.max(...listings.map((l) => l.sequentialRounds));
  const withListing = heap();
  listings.length = 0; // release the records
  const released = heap();
  return { ms, rounds, requests: stats['requests'] ?? 0, maxConcurrent: stats['maxConcurrent'] ?? 0, count, heldBytes: withListing - released };
}

const median = (xs: Run[]) => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)] as Run;
try {
  await once_(0); // warm-up (JIT, connections)
  const cpu: Run[] = [];
  const net: Run[] = [];
  for (let i = 0; i < runs; i++) {
    cpu.push(await once_(0));
    net.push(await once_(latency));
  }
  const m = median(net);
  const c = median(cpu);
  const floor = latency * m.rounds;
  const perKindPages = Math.ceil(sources / 4 / pageSize);
  console.log(`sources listed:            ${m.count} (${sources} seeded + ingestion), ${m.requests} HTTP requests, max ${m.maxConcurrent} in flight`);
  console.log(`sequential round trips:    ${m.rounds} (page by page would be ${perKindPages} per kind)`);
  console.log(`wall time, ${latency} ms latency: ${Math.round(m.ms)} ms (median of ${runs}; runs ${net.map((r) => Math.round(r.ms)).join(', ')})`);
  console.log(`wall time, no latency:     ${Math.round(c.ms)} ms (CPU of client + emulator on this machine)`);
  console.log(`floor = ${latency} ms × ${m.rounds} rounds = ${floor} ms → ratio ${(m.ms / floor).toFixed(2)}; latency-attributable ${(Math.max(0, m.ms - c.ms) / floor).toFixed(2)} × floor`);
  console.log(`heap held by the core for the listing: ${(m.heldBytes / 1024 / 1024).toFixed(1)} MiB${gc ? '' : ' (run with --expose-gc for a real figure)'}`);
} finally {
  child.kill('SIGTERM');
}
