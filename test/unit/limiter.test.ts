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
    for (let i = 0; i < 3; i++) (await l.acquire()).done();
    assert.equal(c.now(), start, 'the first three pass at once');
    (await l.acquire()).done();
    assert.equal(c.now() - start, 1_001);
    assert.deepEqual(waits, [1_001, 0], 'a throttle event with the wait, then one when it ends');
  });

  it('honours the tighter of two windows (the 15-minute one here)', async () => {
    const c = clock();
    const l = new MutationLimiter({ windows: [{ limit: 5, windowMs: 1_000 }, { limit: 6, windowMs: 60_000 }], ...c });
    const stamps: number[] = [];
    for (let i = 0; i < 8; i++) {
      (await l.acquire()).done();
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
    await Promise.all([0, 1, 2, 3, 4].map((i) => l.acquire().then((ticket) => { ticket.done(); order.push(i); })));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it('by default lets exactly Statsig\'s documented 100 mutations through 10 s, and 900 through 15 min', async () => {
    const c = clock();
    const l = new MutationLimiter(c);
    const start = c.now();
    const stamps: number[] = [];
    for (let i = 0; i < 901; i++) {
      (await l.acquire()).done();
      stamps.push(c.now() - start);
    }
    assert.equal(stamps[99], 0, 'the first 100 go at once');
    assert.ok((stamps[100] ?? 0) >= 10_000, 'the 101st waits for the 10-second window');
    assert.ok((stamps[100] ?? 0) <= 10_001);
    assert.ok((stamps[899] ?? 0) < 900_000, 'the 900th still fits in the first 15 minutes');
    assert.ok((stamps[900] ?? 0) >= 900_000, 'the 901st waits for the 15-minute window');
  });

  it('a mutation still unanswered counts as sent now: the next one waits until it is answered and a window has passed since', async () => {
    let t = 0;
    let sleeps = 0;
    let answer: (() => void) | undefined;
    const l = new MutationLimiter({
      windows: [{ limit: 1, windowMs: 1_000 }],
      now: () => t,
      // Time passes as the limiter sleeps; the first request is answered at t = 5,000.
      sleep: (ms: number) => {
        t += ms;
        sleeps++;
        if (t >= 5_000 && answer) { answer(); answer = undefined; }
        return Promise.resolve();
      },
    });
    const first = await l.acquire();
    answer = () => first.done();
    await l.acquire();
    // The server counted the first request at some moment before its answer (t = 5,000): measured
    // from then, the second one may go at 6,000, never while the first is still in flight.
    assert.ok(t >= 6_000, `the second mutation went at ${t} ms`);
    assert.ok(t <= 6_300, `the second mutation waited too long (${t} ms)`);
    assert.ok(sleeps < 100);
  });

  it('a ticket never marked done stops blocking a while after it was admitted', async () => {
    const c = clock();
    const l = new MutationLimiter({ windows: [{ limit: 1, windowMs: 1_000 }], ...c });
    const start = c.now();
    await l.acquire(); // never done
    (await l.acquire()).done();
    assert.ok(c.now() - start > 1_000 && c.now() - start <= 200_000, `waited ${c.now() - start} ms`);
  });

  it('a cancelled wait rejects and frees its turn', async () => {
    const l = new MutationLimiter({ windows: [{ limit: 1, windowMs: 60_000 }] });
    (await l.acquire()).done();
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
