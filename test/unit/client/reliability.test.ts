// Error classes, retries, the mutation rule (never re-send blindly; re-read), the limiter, key
// masking and pagination at scale, against the emulator over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConsoleClient } from '../../../src/core/client.ts';
import { SourcesApi } from '../../../src/core/api.ts';
import type { SourceRecord } from '../../../src/core/kinds.ts';
import {
  AuthError, ForbiddenError, MutationNotAppliedError, NetworkError, RateLimitedError, ResponseSchemaError,
  ServerError, StatsigApiError, TimeoutError,
} from '../../../src/core/errors.ts';
import { MutationLimiter } from '../../../src/core/limiter.ts';
import { READ_ONLY_KEY, TEST_KEY, harness, type Harness } from '../helpers/emulator.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => {
  for (const l of h.logs) assert.ok(!l.message.includes(TEST_KEY) && !l.message.includes(READ_ONLY_KEY), `key leaked: ${l.message}`);
  await h.close();
});

async function firstMetricSource(): Promise<SourceRecord> {
  const [first] = (await h.api.list('metricSource')).records;
  assert.ok(first);
  return first;
}

function assertNoKey(error: unknown): void {
  assert.ok(error instanceof Error);
  const all = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`;
  assert.ok(!all.includes(TEST_KEY) && !all.includes('unitTestKey'), 'the key is not in the error');
}

describe('error classes', () => {
  it('401: a wrong key is an AuthError that tells the user to set a new key, without the key', async () => {
    const api = h.makeApi({ apiKey: 'console-fake-wrongKey' });
    const error = await api.list('metricSource').catch((e: unknown) => e);
    assert.ok(error instanceof AuthError, String(error));
    assert.match(error.message, /Set a new Console API key/);
    assert.ok(!error.message.includes('wrongKey'));
  });

  it('403: a read-only key can read but every mutation is a ForbiddenError', async () => {
    const api = h.makeApi({ apiKey: READ_ONLY_KEY });
    const first = (await api.list('metricSource')).records[0];
    assert.ok(first);
    await assert.rejects(api.update(first.ref, first.data), ForbiddenError);
  });

  it('429 beyond the retry budget is a RateLimitedError carrying Retry-After', async () => {
    h.emulator.setFaults({ force429: 10 });
    try {
      const error = await h.makeApi({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 } }).list('qualifyingEvent').catch((e: unknown) => e);
      assert.ok(error instanceof RateLimitedError, String(error));
      assert.equal(error.retryAfterMs, 1_000);
    } finally {
      h.emulator.setFaults({ force429: 0 });
    }
  });

  it('a 5xx on a read is retried with backoff and succeeds', async () => {
    h.emulator.setFaults({ failNext: { status: 503, count: 2 } });
    const before = h.emulator.stats().requests;
    const listing = await h.api.list('qualifyingEvent');
    assert.ok(listing.records.length > 0);
    assert.equal(h.emulator.stats().requests - before, 3, 'two failures, then success');
    assert.ok(h.logs.some((l) => l.level === 'warn' && /retry 1\/3/.test(l.message)));
  });

  it('a 5xx that persists is a ServerError after the retry budget', async () => {
    h.emulator.setFaults({ failNext: { status: 500, count: 100 } });
    try {
      await assert.rejects(h.makeApi({ retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10 } }).list('qualifyingEvent'), ServerError);
    } finally {
      h.emulator.setFaults({ failNext: null });
    }
  });

  it('a dropped connection on a read is retried', async () => {
    h.emulator.setFaults({ dropNext: 1 });
    const listing = await h.api.list('entityPropertySource');
    assert.ok(listing.records.length > 0);
  });

  it('a timeout is a TimeoutError with the time it waited', async () => {
    h.emulator.setFaults({ latencyMs: 400 });
    try {
      const error = await h.makeApi({ timeoutMs: 100, retry: { limit: 0 } }).list('entityPropertySource').catch((e: unknown) => e);
      assert.ok(error instanceof TimeoutError, String(error));
      assert.match(error.message, /100 ms/);
    } finally {
      h.emulator.setFaults({ latencyMs: 0 });
    }
  });

  it('nothing listening is a NetworkError that says what to check', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const api = new SourcesApi(new ConsoleClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: TEST_KEY, retry: { limit: 0 } }));
    const error = await api.list('metricSource').catch((e: unknown) => e);
    assert.ok(error instanceof NetworkError, String(error));
    assert.match(error.message, /API base URL/);
    assertNoKey(error);
  });

  it('an answer of the wrong shape is a ResponseSchemaError naming the field', async () => {
    const liar = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'ok', data: { name: 'm', sql: 42 } }));
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    try {
      const api = new SourcesApi(new ConsoleClient({ baseUrl: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`, apiKey: TEST_KEY }));
      const error = await api.get({ kind: 'metricSource', name: 'm' }).catch((e: unknown) => e);
      assert.ok(error instanceof ResponseSchemaError, String(error));
      assert.ok(error.issues.some((i) => i.startsWith('data.sql')), error.issues.join('; '));
    } finally {
      await new Promise<void>((r) => liar.close(() => r()));
    }
  });
});

describe('mutations are never re-sent blindly', () => {
  it('a 500 on an update is not retried; a re-read shows it was not applied', async () => {
    const first = await firstMetricSource();
    h.emulator.setFaults({ failNext: { status: 500, count: 1 } });
    const before = h.emulator.stats();
    const error = await h.api.update(first.ref, { ...first.data, description: 'never applied' }).catch((e: unknown) => e);
    const after = h.emulator.stats();
    assert.ok(error instanceof MutationNotAppliedError, String(error));
    assert.match(error.message, /safe to try again/);
    assert.equal(after.mutations - before.mutations, 1, 'the update was sent once');
    assert.notEqual((await h.api.get(first.ref)).data['description'], 'never applied');
  });

  it('a connection dropped after the server applied an update is reconciled by a re-read', async () => {
    const first = await firstMetricSource();
    // A loopback proxy that forwards to the emulator, then drops the client's connection after
    // the emulator has answered (applied) the first mutation.
    let dropped = false;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const upstream = http.request(`${h.emulator.url}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            if (req.method !== 'GET' && !dropped) {
              dropped = true;
              req.socket.destroy();
              return;
            }
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(Buffer.concat(body));
          });
        });
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const api = new SourcesApi(new ConsoleClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, apiKey: TEST_KEY, retry: { baseDelayMs: 1 } }));
      const before = h.emulator.stats().mutations;
      const res = await api.update(first.ref, { ...first.data, description: 'applied behind a dropped connection' });
      assert.equal(res.reconciled, true);
      assert.equal(res.record?.data['description'], 'applied behind a dropped connection');
      assert.equal(h.emulator.stats().mutations - before, 1, 'not re-sent');
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  it('a dropped connection before the server saw a delete: the delete is not re-sent and reported not applied', async () => {
    const first = await firstMetricSource();
    h.emulator.setFaults({ dropNext: 1 });
    const error = await h.api.delete(first.ref).catch((e: unknown) => e);
    assert.ok(error instanceof StatsigApiError && error instanceof MutationNotAppliedError, String(error));
    assert.ok(await h.api.get(first.ref));
  });

  it('a 429 on a mutation is retried (the server refused it before doing anything)', async () => {
    const first = await firstMetricSource();
    h.emulator.setFaults({ force429: 1 });
    const res = await h.makeApi({ retry: { maxRetryAfterMs: 1_200 } }).update(first.ref, { ...first.data, description: 'after a 429' });
    assert.equal(res.status, 200);
    assert.equal((await h.api.get(first.ref)).data['description'], 'after a 429');
  });
});

describe('the client-side limiter keeps mutations under the server\'s rate limit', () => {
  it('60 concurrent dry runs against a 20-per-second server, the client at exactly 20 per second: no 429, all pass', async () => {
    const limited = await harness({ rateLimit: { short: 20, shortWindowMs: 1_000, long: 1_000, longWindowMs: 60_000 } });
    try {
      const throttles: number[] = [];
      // The same limit as the server's, as the defaults are Statsig's documented ones; no retry, so a
      // single 429 fails the test.
      const limiter = new MutationLimiter({ windows: [{ limit: 20, windowMs: 1_000 }] });
      limiter.onThrottle((ms) => throttles.push(ms));
      const api = limited.makeApi({ limiter, retry: { limit: 0 } });
      const [first] = (await api.list('metricSource')).records;
      assert.ok(first);
      const results = await Promise.all(Array.from({ length: 60 }, () => api.update(first.ref, first.data, { dryRun: true })));
      assert.ok(results.every((r) => r.status === 200));
      assert.ok(throttles.some((ms) => ms > 0), 'the limiter reported throttling');
      assert.equal(throttles.at(-1), 0, 'and the end of it');
    } finally {
      await limited.close();
    }
  });

  it('without the limiter the same burst meets 429s (so the test above can fail)', async () => {
    const limited = await harness({ rateLimit: { short: 20, shortWindowMs: 1_000, long: 1_000, longWindowMs: 60_000 } });
    try {
      const api = limited.makeApi({ limiter: new MutationLimiter({ windows: [{ limit: 10_000, windowMs: 1_000 }] }), retry: { limit: 0 } });
      const [first] = (await api.list('metricSource')).records;
      assert.ok(first);
      const settled = await Promise.allSettled(Array.from({ length: 60 }, () => api.update(first.ref, first.data, { dryRun: true })));
      assert.ok(settled.some((s) => s.status === 'rejected' && s.reason instanceof RateLimitedError));
    } finally {
      await limited.close();
    }
  });
});

describe('pagination at scale, against the server', () => {
  it('10,000 sources: everything once, page 1 first then concurrent pages, through lies and missing totals', async () => {
    const big = await harness({ seed: 'large:10000', maxPageSize: 100 });
    try {
      for (const faults of [{}, { lieNextPage: true }, { omitTotalItems: true }]) {
        big.emulator.setFaults(faults);
        const api = big.makeApi({}, { pageSize: 100 });
        const all = await api.listEverything();
        let count = 0;
        for (const [kind, r] of all) {
          assert.equal(r.status, 'fulfilled', kind);
          if (r.status === 'fulfilled' && kind !== 'ingestionSource') {
            assert.equal(new Set(r.value.records.map((x) => x.key)).size, r.value.records.length, 'no duplicates');
            count += r.value.records.length;
          }
        }
        assert.equal(count, 10_000, JSON.stringify(faults));
      }
    } finally {
      await big.close();
    }
  });

  it('a page size above the server cap still lists everything (the server\'s itemsPerPage wins)', async () => {
    const capped = await harness({ seed: 'large:500', maxPageSize: 25 });
    try {
      const listing = await capped.makeApi({}, { pageSize: 1_000 }).list('assignmentSource');
      assert.equal(listing.records.length, 125);
      assert.equal(listing.requests, 5);
    } finally {
      await capped.close();
    }
  });
});

describe('the key goes only where the user pointed it', () => {
  it('refuses an http:// base URL that is not loopback, with a message that says why', () => {
    assert.throws(() => new ConsoleClient({ baseUrl: 'http://statsigapi.net', apiKey: TEST_KEY }), /unencrypted.*Use https:\/\//);
    assert.throws(() => new ConsoleClient({ baseUrl: 'http://10.0.0.7:8080', apiKey: TEST_KEY }), /unencrypted/);
    for (const ok of ['https://statsigapi.net', 'http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9']) {
      assert.doesNotThrow(() => new ConsoleClient({ baseUrl: ok, apiKey: TEST_KEY }), ok);
    }
  });

  it('never follows a redirect (it would carry the key header elsewhere); the error says so and holds no key', async () => {
    const seen: (string | undefined)[] = [];
    const target = http.createServer((req, res) => {
      seen.push(req.headers['statsig-api-key'] as string | undefined);
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const redirector = http.createServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/steal` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const api = new SourcesApi(new ConsoleClient({ baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/console/v1`, apiKey: TEST_KEY, retry: { limit: 0 } }));
      const error = await api.list('metricSource').catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, String(error));
      assert.match(error.message, /redirect, which is not followed/);
      assert.equal(error.cause, undefined, 'no cause: it would hold the request and its key header');
      assertNoKey(error);
      assert.deepEqual(seen, [], 'the redirect target was never contacted');
    } finally {
      redirector.close();
      target.close();
    }
  });
});
