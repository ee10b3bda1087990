// Benchmark: list every source of a 10,000-source project with 50 ms of injected latency per
// request, and compare the wall time with its floor, 50 ms × the sequential round trips the
// strategy needs (page 1, then bounded concurrent waves). Also reports the heap the core holds.
// Run: npm run bench:list [-- --sources 10000 --latency 50 --runs 3 --page-size 100 --concurrency 8]
import { parseArgs } from 'node:util';
import { ConsoleClient } from '../../src/core/client.ts';
import { SourcesApi, type KindListing } from '../../src/core/api.ts';
import { startEmulator } from '../emulator/server.ts';

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
const key = 'console-benchmarkKey0000000000000000';

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => { gc?.(); gc?.(); return process.memoryUsage().heapUsed; };

const emulator = await startEmulator({ port: 0, key, seed: `large:${sources}`, maxPageSize: pageSize, latencyMs: latency });
try {
  const results: { ms: number; rounds: number; requests: number; maxConcurrent: number; count: number; heapBytes: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const api = new SourcesApi(new ConsoleClient({ baseUrl: emulator.url, apiKey: key }), { pageSize, concurrency });
    const before = emulator.stats();
    const heapBefore = heap();
    const t0 = performance.now();
    const all = await api.listEverything();
    const ms = performance.now() - t0;
    const listings: KindListing[] = [];
    for (const [kind, r] of all) {
      if (r.status !== 'fulfilled') throw new Error(`${kind} failed: ${String(r.reason)}`);
      listings.push(r.value);
    }
    const heapBytes = heap() - heapBefore;
    const after = emulator.stats();
    results.push({
      ms,
      // The kinds are listed in parallel, so the slowest kind sets the number of sequential rounds.
      rounds: Math.max(...listings.map((l) => l.sequentialRounds)),
      requests: after.requests - before.requests,
      maxConcurrent: after.maxConcurrent,
      count: listings.reduce((n, l) => n + l.records.length, 0),
      heapBytes,
    });
    // Keep the listings alive until the heap was measured.
    if (listings.length === 0) console.log('no listings');
  }
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)] ?? sorted[0];
  if (!median) throw new Error('no run');
  const floor = latency * median.rounds;
  const naiveRounds = Math.ceil(sources / 4 / pageSize) ;
  console.log(JSON.stringify({ runs: results.map((r) => ({ ...r, ms: Math.round(r.ms) })) }));
  console.log(`sources listed:            ${median.count} (${sources} seeded + ingestion)`);
  console.log(`HTTP requests:             ${median.requests} (max ${median.maxConcurrent} in flight)`);
  console.log(`sequential round trips:    ${median.rounds} (one page at a time would need ≥ ${naiveRounds} per kind)`);
  console.log(`wall time (median of ${runs}): ${Math.round(median.ms)} ms`);
  console.log(`floor = ${latency} ms × ${median.rounds} rounds = ${floor} ms → ratio ${(median.ms / floor).toFixed(2)}`);
  console.log(`heap held by the core for the listing: ${(median.heapBytes / 1024 / 1024).toFixed(1)} MiB${gc ? '' : ' (run with --expose-gc for a precise figure)'}`);
} finally {
  await emulator.close();
}
