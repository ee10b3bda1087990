import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MutationLimiter } from '../../src/core/limiter.ts';
import { maskOf, maskSecrets } from '../../src/core/mask.ts';

/** A fake clock: sleeping advances time instantly, so window arithmetic is tested exactly. */
function clock() {
  let t = 1_000_000;
  return {
    now: () => t,
    sleep: (ms: number) => { t += ms; return Promise.resolve(); },
  };
}

describe('MutationLimiter', () => {
  it('lets `limit` mutations through a window, then waits until the oldest leaves it', async () => {
    const c = clock();
    const waits: number[] = [];
    const l = new MutationLimiter({ windows: [{ limit: 3, windowMs: 1_000 }], ...c });
    l.onThrottle((ms) => waits.push(ms));
    const start = c.now();
    for (let i = 0; i < 3; i++) await l.acquire();
    assert.equal(c.now(), start, 'the first three pass at once');
    await l.acquire();
    assert.equal(c.now() - start, 1_001);
    assert.deepEqual(waits, [1_001, 0], 'a throttle event with the wait, then one when it ends');
  });

  it('honours the tighter of two windows (the 15-minute one here)', async () => {
    const c = clock();
    const l = new MutationLimiter({ windows: [{ limit: 5, windowMs: 1_000 }, { limit: 6, windowMs: 60_000 }], ...c });
    const stamps: number[] = [];
    for (let i = 0; i < 8; i++) {
      await l.acquire();
      stamps.push(c.now());
    }
    // Never more than 5 per second, never more than 6 per minute.
    for (const t of stamps) assert.ok(stamps.filter((s) => s > t - 1_000 && s <= t).length <= 5);
    for (const t of stamps) assert.ok(stamps.filter((s) => s > t - 60_000 && s <= t).length <= 6);
    assert.ok((stamps[6] ?? 0) - (stamps[0] ?? 0) >= 60_000);
  });

  it('serves concurrent callers in order without exceeding the limit', async () => {
    const c = clock();
    const l = new MutationLimiter({ windows: [{ limit: 2, windowMs: 100 }], ...c });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => l.acquire().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it('a cancelled wait rejects and frees its turn', async () => {
    const l = new MutationLimiter({ windows: [{ limit: 1, windowMs: 60_000 }] });
    await l.acquire();
    const ac = new AbortController();
    const pending = l.acquire(ac.signal);
    ac.abort(new Error('user cancelled'));
    await assert.rejects(pending, /user cancelled/);
  });
});

describe('maskSecrets', () => {
  it('masks the given key and anything shaped like a Console API key', () => {
    const key = 'console-AbCdEf0123456789xyz';
    const text = `failed with key ${key} and also console-OtherKey9876543210`;
    const masked = maskSecrets(text, [key]);
    assert.ok(!masked.includes(key));
    assert.ok(!masked.includes('OtherKey'));
    assert.match(masked, /console-\*\*\*/);
  });

  it('masks secrets of any shape that it is told about', () => {
    assert.equal(maskSecrets('token=hunter2-secret!', ['hunter2-secret!']), 'token=***');
    assert.equal(maskOf('console-x'), 'console-***');
  });
});
