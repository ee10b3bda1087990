import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runBatch } from '../../src/core/batch.ts';

class TooMany extends Error {
  readonly waitMs: number;
  constructor(waitMs: number) {
    super('429');
    this.waitMs = waitMs;
  }
}
class Revoked extends Error {}

const retryAfterMs = (e: unknown) => (e instanceof TooMany ? e.waitMs : undefined);
const stops = (e: unknown) => e instanceof Revoked;
const tick = () => new Promise((r) => setImmediate(r));

describe('runBatch', () => {
  it('runs every item once, in order, with outcomes in the items\' order', async () => {
    const started: number[] = [];
    const report = await runBatch({
      items: [1, 2, 3, 4, 5], concurrency: 2, retryAfterMs, stops,
      run: async (n) => {
        started.push(n);
        await tick();
        if (n === 3) throw new Error('rejected by Statsig');
        return n * 10;
      },
    });
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    assert.deepEqual(report.outcomes.map((o) => o.status), ['done', 'done', 'failed', 'done', 'done']);
    assert.deepEqual(report.outcomes.map((o) => (o.status === 'done' ? o.value : undefined)), [10, 20, undefined, 40, 50]);
    assert.equal(report.rateLimited, 0);
    assert.equal(report.cancelled, false);
  });

  it('waits out a rate-limit answer for as long as it says and runs the same item again: not a failure', async () => {
    const waits: number[] = [];
    let calls = 0;
    const report = await runBatch({
      items: ['a'], concurrency: 1, retryAfterMs, stops,
      run: () => {
        calls++;
        return calls <= 2 ? Promise.reject(new TooMany(1_000 * calls)) : Promise.resolve('ok');
      },
      sleep: (ms) => { waits.push(ms); return Promise.resolve(); },
    });
    assert.deepEqual(waits, [1_000, 2_000]);
    assert.equal(report.outcomes[0]?.status, 'done');
    assert.equal(report.rateLimited, 2);
  });

  it('an error every item would hit (a revoked key) stops starting new items; the rest are reported as not run', async () => {
    const started: number[] = [];
    const report = await runBatch({
      items: [1, 2, 3, 4], concurrency: 1, retryAfterMs, stops,
      run: (n) => {
        started.push(n);
        return n === 2 ? Promise.reject(new Revoked('401')) : Promise.resolve(n);
      },
    });
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(report.outcomes.map((o) => o.status), ['done', 'failed', 'notRun', 'notRun']);
    assert.ok(report.stoppedBy instanceof Revoked);
    assert.equal((report.outcomes[3] as { reason?: string }).reason, 'stopped');
  });

  it('cancelling lets the items in flight finish and starts no other', async () => {
    const abort = new AbortController();
    const started: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const running = runBatch({
      items: [1, 2, 3, 4, 5], concurrency: 2, retryAfterMs, stops, signal: abort.signal,
      run: async (n) => {
        started.push(n);
        await gate;
        return n;
      },
    });
    await tick();
    abort.abort();
    release();
    const report = await running;
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(report.outcomes.map((o) => o.status), ['done', 'done', 'notRun', 'notRun', 'notRun']);
    assert.equal(report.cancelled, true);
  });

  it('cancelling during a rate-limit wait reports that item as not run (Statsig refused it, nothing changed)', async () => {
    const abort = new AbortController();
    const report = await runBatch({
      items: ['a', 'b'], concurrency: 1, retryAfterMs, stops, signal: abort.signal,
      run: () => Promise.reject(new TooMany(60_000)),
      sleep: (_ms, signal) => new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(new Error('cancelled')));
        setImmediate(() => abort.abort());
      }),
    });
    assert.deepEqual(report.outcomes.map((o) => o.status), ['notRun', 'notRun']);
  });

  it('property: whatever fails or is rate-limited, each item succeeds at most once, never more run at once than the concurrency, every item gets one outcome', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ tooMany: fc.nat(3), fails: fc.boolean(), revokes: fc.boolean() }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 6 }),
      async (plans, concurrency) => {
        const succeeded = new Map<number, number>();
        const attempts = plans.map(() => 0);
        let inFlight = 0;
        let maxInFlight = 0;
        const report = await runBatch({
          items: plans.map((_, i) => i), concurrency, retryAfterMs, stops,
          sleep: () => Promise.resolve(),
          run: async (i) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            try {
              await tick();
              const plan = plans[i]!;
              attempts[i]!++;
              if (attempts[i]! <= plan.tooMany) throw new TooMany(10);
              if (plan.revokes) throw new Revoked('401');
              if (plan.fails) throw new Error('400');
              succeeded.set(i, (succeeded.get(i) ?? 0) + 1);
              return i;
            } finally {
              inFlight--;
            }
          },
        });
        assert.ok(maxInFlight <= concurrency);
        assert.equal(report.outcomes.length, plans.length);
        for (const count of succeeded.values()) assert.equal(count, 1);
        report.outcomes.forEach((o, i) => {
          assert.equal(o.item, i);
          if (o.status === 'done') assert.equal(succeeded.get(i), 1);
          else assert.equal(succeeded.has(i), false);
        });
        const firstRevoked = plans.findIndex((p) => p.revokes);
        if (firstRevoked < 0) assert.ok(report.outcomes.every((o) => o.status !== 'notRun'));
      },
    ), { numRuns: 300 });
  });
});
