// When drift checks read a source from Statsig: the periodic check, the per-source throttle, window
// focus, the concurrency cap and the forced (Refresh) minimum, against a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_DRIFT_SCHEDULE, DriftSchedule, type DriftScheduleOptions } from '../../src/core/driftSchedule.ts';

const MIN = 60_000;
const options: DriftScheduleOptions = { intervalMs: 5 * MIN, minForcedMs: 10_000, maxConcurrent: 4 };

describe('DriftSchedule', () => {
  it('defaults: every 5 minutes, 10 s between forced reads of a source, 4 reads at a time', () => {
    assert.deepEqual(DEFAULT_DRIFT_SCHEDULE, options);
  });

  it('the periodic check comes one interval after the start, never at the start, and only in a focused window', () => {
    const s = new DriftSchedule(options, 1_000);
    assert.equal(s.tick(1_000, true), false, 'nothing at activation');
    assert.equal(s.untilTick(1_000), 5 * MIN);
    assert.equal(s.tick(1_000 + 5 * MIN - 1, true), false);
    assert.equal(s.tick(1_000 + 5 * MIN, false), false, 'an unfocused window skips it');
    assert.equal(s.untilTick(1_000 + 6 * MIN), 0, 'still due');
    assert.equal(s.tick(1_000 + 6 * MIN, true), true, 'and it runs once the window is focused');
    assert.equal(s.untilTick(1_000 + 6 * MIN), 5 * MIN, 'the next one counts from then');
    assert.equal(s.tick(1_000 + 6 * MIN + 1, true), false);
  });

  it('interval 0 switches the automatic checks off; a forced check still reads', () => {
    const s = new DriftSchedule({ ...options, intervalMs: 0 }, 0);
    assert.equal(s.untilTick(0), undefined);
    assert.equal(s.tick(10 * MIN, true), false);
    s.request(['a']);
    assert.deepEqual(s.take(0), []);
    assert.equal(s.pending('a'), false);
    s.request(['a'], true);
    assert.deepEqual(s.take(0), ['a']);
  });

  it('an automatic read of a source waits a whole interval since its last read; the throttled ask leaves the queue', () => {
    const s = new DriftSchedule(options, 0);
    s.request(['a', 'b']);
    assert.deepEqual(s.take(0), ['a', 'b']);
    s.done('a');
    s.done('b');
    s.request(['a']);
    assert.deepEqual(s.take(5 * MIN - 1), []);
    assert.equal(s.pending('a'), false, 'dropped: the last read still stands');
    s.request(['a']);
    assert.deepEqual(s.take(5 * MIN), ['a']);
  });

  it('a forced read (Refresh) skips the interval but not the short minimum', () => {
    const s = new DriftSchedule(options, 0);
    s.request(['a']);
    assert.deepEqual(s.take(0), ['a']);
    s.done('a');
    s.request(['a'], true);
    assert.deepEqual(s.take(9_999), [], 'a second Refresh right after the first reads nothing');
    s.request(['a'], true);
    assert.deepEqual(s.take(10_000), ['a']);
  });

  it('at most maxConcurrent reads at a time; the others wait for a slot, in the order asked', () => {
    const s = new DriftSchedule(options, 0);
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    s.request(keys);
    assert.deepEqual(s.take(0), ['k0', 'k1', 'k2', 'k3']);
    assert.deepEqual(s.take(1), [], 'no free slot');
    assert.equal(s.pending('k9'), true);
    s.done('k1');
    assert.deepEqual(s.take(2), ['k4']);
    s.done('k0');
    s.done('k2');
    assert.deepEqual(s.take(3), ['k5', 'k6']);
    assert.equal(s.running, 4);
  });

  it('an ask for a source being read is answered by that read', () => {
    const s = new DriftSchedule(options, 0);
    s.request(['a']);
    assert.deepEqual(s.take(0), ['a']);
    s.request(['a'], true);
    s.done('a');
    assert.equal(s.pending('a'), false);
    assert.deepEqual(s.take(20_000), []);
  });

  it('a forced ask upgrades a queued automatic one', () => {
    const s = new DriftSchedule({ ...options, maxConcurrent: 1 }, 0);
    s.request(['a', 'b']);
    assert.deepEqual(s.take(0), ['a']);
    s.done('a');
    assert.deepEqual(s.take(1), ['b']);
    s.request(['a']);
    s.request(['a'], true);
    s.done('b');
    assert.deepEqual(s.take(10_000), ['a'], 'read as forced: 10 s after its last read, not 5 minutes');
  });

  it('configure changes the interval for what follows', () => {
    const s = new DriftSchedule(options, 0);
    s.configure({ intervalMs: MIN });
    assert.equal(s.untilTick(0), MIN);
    assert.equal(s.settings.minForcedMs, 10_000);
  });

  // A random sequence of asks, reads ending and time passing.
  const step = fc.oneof(
    fc.record({ op: fc.constant('request' as const), keys: fc.subarray(['a', 'b', 'c', 'd', 'e', 'f']), force: fc.boolean() }),
    fc.record({ op: fc.constant('take' as const) }),
    fc.record({ op: fc.constant('done' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3 * MIN }) }),
  );

  function replay(steps: readonly { op: string; keys?: string[]; force?: boolean; pick?: number; ms?: number }[], allowForce: boolean) {
    const opts = { intervalMs: MIN, minForcedMs: 10_000, maxConcurrent: 2 };
    const s = new DriftSchedule(opts, 0);
    let now = 0;
    const running: string[] = [];
    const reads: { key: string; at: number }[] = [];
    for (const st of steps) {
      if (st.op === 'request') s.request(st.keys ?? [], allowForce && st.force === true);
      else if (st.op === 'wait') now += st.ms ?? 0;
      else if (st.op === 'done' && running.length) s.done(running.splice((st.pick ?? 0) % running.length, 1)[0] ?? '');
      else if (st.op === 'take') {
        for (const key of s.take(now)) {
          running.push(key);
          reads.push({ key, at: now });
        }
        assert.ok(running.length <= opts.maxConcurrent, `never more than ${opts.maxConcurrent} reads at a time`);
      }
    }
    return { reads, opts };
  }

  it('property: never more than one automatic read per source per interval, never more than maxConcurrent at a time', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const { reads, opts } = replay(steps, false);
      const last = new Map<string, number>();
      for (const { key, at } of reads) {
        const before = last.get(key);
        assert.ok(before === undefined || at - before >= opts.intervalMs, `${key} read at ${before} and again at ${at}`);
        last.set(key, at);
      }
    }), { seed: 20_240_601, numRuns: 500 });
  });

  it('property: with forced asks too, never two reads of a source within the forced minimum', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const { reads, opts } = replay(steps, true);
      const last = new Map<string, number>();
      for (const { key, at } of reads) {
        const before = last.get(key);
        assert.ok(before === undefined || at - before >= opts.minForcedMs, `${key} read at ${before} and again at ${at}`);
        last.set(key, at);
      }
    }), { seed: 20_240_601, numRuns: 500 });
  });
});
