// Auth, unknown routes, rate limiting, every fault, the control endpoint and stats.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Harness } from './harness.ts';
import { isLoopbackAddress } from './server.ts';
import { READ_ONLY_KEY, assertExchangesConform, data, obj, specValidator, startHarness } from './harness.ts';

let h: Harness;
before(async () => { h = await startHarness({ seed: 'default' }); });
after(async () => { await h.close(); });

const AS = '/console/v1/experiments/assignment_sources';

test('401 without or with a wrong key, and the key is never echoed', async () => {
  const none = await h.api('GET', AS, undefined, { key: null });
  assert.equal(none.status, 401);
  assert.equal(obj(none.body).status, 401);
  const wrong = await h.api('GET', AS, undefined, { key: 'console-wrong-secret-value' });
  assert.equal(wrong.status, 401);
  assert.ok(!JSON.stringify(wrong.body).includes('console-wrong-secret-value'));
  assert.equal(wrong.headers.get('content-type'), 'application/json');
});

test('read-only key: reads work, every mutation is 403', async () => {
  assert.equal((await h.api('GET', AS, undefined, { key: READ_ONLY_KEY })).status, 200);
  assert.equal((await h.api('GET', '/console/v1/ingestion/runs', undefined, { key: READ_ONLY_KEY })).status, 200);
  const attempts: [string, string, unknown][] = [
    ['POST', AS, { name: 'x' }],
    ['PATCH', '/console/v1/experiments/assignment_source/company_exposures', { description: 'x' }],
    ['DELETE', '/console/v1/experiments/assignment_source/company_exposures', undefined],
    ['POST', '/console/v1/settings/reviews', {}],
    ['DELETE', '/console/v1/ingestion?type=snowflake-v2&dataset=Metrics', undefined],
  ];
  for (const [method, path, body] of attempts) {
    const r = await h.api(method, path, body, { key: READ_ONLY_KEY });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.deepEqual(r.body, { status: 403, message: 'This API key is read-only' });
  }
  assert.equal((await h.api('GET', AS)).status, 200);
});

test('unknown routes and methods are 404 with the error shape', async () => {
  for (const [m, p] of [['GET', '/console/v1/nope'], ['GET', '/console/v1/experiments/assignment_source/company_exposures'], ['PUT', AS], ['PATCH', '/console/v1/metrics/metric_source/app_events']]) {
    const r = await h.api(m ?? 'GET', p ?? '/');
    assert.equal(r.status, 404, `${m} ${p}`);
    assert.equal(obj(r.body).status, 404);
    assert.equal(typeof obj(r.body).message, 'string');
  }
  const bad = await h.api('GET', '/console/v1/experiments/entity_property/%E0%A4%A');
  assert.equal(bad.status, 400);
});

test('the 101st mutation inside 10 s gets 429 with Retry-After in whole seconds; reads are not limited', async () => {
  await h.emu.reset();
  const t0 = Date.now();
  const body = { is_config_review_required: false, is_metric_review_required: true, is_metric_review_required_on_verified_only: true };
  for (let i = 0; i < 100; i++) {
    const r = i % 10 === 0
      ? await h.api('POST', '/console/v1/experiments/entity_properties', { name: `rl_${i}`, sql: 'SELECT user_id FROM analytics.users', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], dryRun: true })
      : await h.api('POST', '/console/v1/settings/reviews', body);
    assert.ok(r.status === 200 || r.status === 201, `mutation ${i + 1}: ${r.status}`);
  }
  const limited = await h.api('POST', '/console/v1/settings/reviews', body);
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  assert.equal(limited.status, 429);
  const retryAfter = limited.headers.get('retry-after');
  assert.match(retryAfter ?? '', /^\d+$/);
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 10);
  assert.equal(obj(limited.body).status, 429);
  assert.match(String(obj(limited.body).message), /^Rate limit exceeded/);
  assert.equal((await h.api('GET', AS)).status, 200, 'reads are not limited');
  assert.equal((await h.api('PATCH', '/console/v1/experiments/assignment_source/company_exposures', { description: 'x' })).status, 429, 'PATCH counts too');
  assert.equal((await h.api('DELETE', '/console/v1/experiments/assignment_source/company_exposures')).status, 429, 'DELETE counts too');
  await h.emu.reset();
  assert.equal((await h.api('POST', '/console/v1/settings/reviews', body)).status, 200, 'reset clears the window');
});

test('a custom rate limit (long window) also applies', async () => {
  const small = await startHarness({ rateLimit: { short: 100, shortWindowMs: 10_000, long: 3, longWindowMs: 60_000 } });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await small.api('POST', '/console/v1/ingestion/schedule', { dataset: 'Events' })).status, 200);
    const r = await small.api('POST', '/console/v1/ingestion/schedule', { dataset: 'Events' });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 10);
  } finally {
    await small.close();
  }
});

test('fault failNext: the next N console requests get that status, then normal service', async () => {
  h.emu.setFaults({ failNext: { status: 503, count: 2 } });
  for (let i = 0; i < 2; i++) {
    const r = await h.api('GET', AS);
    assert.equal(r.status, 503);
    assert.equal(obj(r.body).status, 503);
    assert.equal(typeof obj(r.body).message, 'string');
  }
  assert.equal((await h.api('GET', AS)).status, 200);
  // Faults come before auth and before any state change.
  h.emu.setFaults({ failNext: { status: 500, count: 1 } });
  assert.equal((await h.api('POST', AS, { name: 'never_created' }, { key: null })).status, 500);
});

test('faultMethods: deterministic faults hit only the listed methods (a mutation behind a read)', async () => {
  h.emu.setFaults({ failNext: { status: 500, count: 1 }, faultMethods: ['POST', 'PATCH'] });
  try {
    assert.equal((await h.api('GET', AS)).status, 200, 'the read passes untouched');
    assert.equal((await h.api('POST', AS, { name: 'never_created' })).status, 500, 'the mutation gets the fault');
    assert.equal((await h.control('POST', '/__emulator/faults', { faultMethods: ['get'] })).status, 400);
  } finally {
    h.emu.setFaults({ failNext: null, faultMethods: null });
  }
});

test('fault dropNext: the socket is destroyed without an answer, nothing is applied', async () => {
  h.emu.setFaults({ dropNext: 1 });
  await assert.rejects(h.api('POST', '/console/v1/ingestion/schedule', { dataset: 'Events', scheduled_hour_pst: 3 }));
  assert.equal(data(await h.api('GET', '/console/v1/ingestion/schedule?dataset=Events')).scheduled_hour_pst, 9);
});

test('fault force429: 429 with Retry-After: 1', async () => {
  h.emu.setFaults({ force429: 2 });
  for (let i = 0; i < 2; i++) {
    const r = await h.api('GET', AS);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.match(String(obj(r.body).message), /^Rate limit exceeded/);
  }
  assert.equal((await h.api('GET', AS)).status, 200);
});

test('fault latencyMs delays answers', async () => {
  h.emu.setFaults({ latencyMs: 150 });
  const t0 = performance.now();
  assert.equal((await h.api('GET', AS)).status, 200);
  assert.ok(performance.now() - t0 >= 140);
  h.emu.setFaults({ latencyMs: 0 });
});

test('faults errorRate and dropRate at 1 hit every request', async () => {
  h.emu.setFaults({ errorRate: 1 });
  const r = await h.api('GET', AS);
  assert.ok([500, 502, 503].includes(r.status), String(r.status));
  h.emu.setFaults({ errorRate: 0, dropRate: 1 });
  await assert.rejects(h.api('GET', AS));
  h.emu.setFaults({ dropRate: 0 });
  assert.equal((await h.api('GET', AS)).status, 200);
});

test('control endpoint: GET/POST faults, stats, reset (seed, faults, stats); never faulted or authed', async () => {
  await h.emu.reset('default');
  const set = await h.control('POST', '/__emulator/faults', { force429: 5, failNext: { status: 502, count: 3 }, latencyMs: 0 });
  assert.equal(set.status, 200);
  assert.equal(obj(set.body).force429, 5);
  const got = await h.control('GET', '/__emulator/faults');
  assert.deepEqual(obj(got.body).failNext, { status: 502, count: 3 });
  assert.equal((await h.control('POST', '/__emulator/faults', { force429: -1 })).status, 400);
  assert.equal((await h.control('POST', '/__emulator/faults', { bogus: true })).status, 400);
  assert.equal((await h.api('GET', AS)).status, 502);

  const stats = await h.control('GET', '/__emulator/stats');
  assert.equal(stats.status, 200);
  assert.equal(obj(stats.body).requests, 1);
  assert.deepEqual(obj(stats.body).byRoute, { 'GET /console/v1/experiments/assignment_sources': 1 });

  const reset = await h.control('POST', '/__emulator/reset', { seed: 'empty' });
  assert.equal(reset.status, 200);
  assert.equal((await h.control('GET', '/__emulator/stats')).body && obj((await h.control('GET', '/__emulator/stats')).body).requests, 0);
  assert.equal(obj((await h.control('GET', '/__emulator/faults')).body).failNext, null);
  const empty = await h.api('GET', AS);
  assert.equal(empty.status, 200);
  assert.deepEqual(obj(empty.body).data, []);
  assert.equal((await h.control('POST', '/__emulator/reset', { seed: 'huge' })).status, 400);
  assert.equal((await h.control('POST', '/__emulator/reset')).status, 200, 'no body: same seed');
  assert.equal((await h.control('GET', '/__emulator/nope')).status, 404);
  await h.control('POST', '/__emulator/reset', { seed: 'default' });
});

test('the control endpoint only trusts loopback peers', () => {
  for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', '127.0.0.2x', '', undefined]) assert.equal(isLoopbackAddress(a), false, String(a));
});

test('stats: requests, mutations, byRoute and maxConcurrent', async () => {
  await h.emu.reset();
  await Promise.all(Array.from({ length: 16 }, () => h.api('GET', '/console/v1/metrics/metric_source/list')));
  await h.api('PATCH', '/console/v1/experiments/entity_property/user_profile', { description: 'stats' });
  await h.api('GET', '/console/v1/metrics/metric_source/app_events');
  const s = h.emu.stats();
  assert.equal(s.requests, 18);
  assert.equal(s.mutations, 1);
  assert.equal(s.byRoute['GET /console/v1/metrics/metric_source/list'], 16);
  assert.equal(s.byRoute['PATCH /console/v1/experiments/entity_property/{name}'], 1);
  assert.equal(s.byRoute['GET /console/v1/metrics/metric_source/{name}'], 1);
  assert.ok(s.maxConcurrent > 1, `maxConcurrent=${s.maxConcurrent}`);
  assert.equal(s.inFlight, 0);
});

test('every exchange in this file conforms; the undocumented ones have the error shape', () => {
  const v = specValidator();
  const undocumentedStatuses = new Set(h.exchanges.filter((e) => v.checkExchange(e).undocumentedStatus).map((e) => e.status));
  for (const s of [403, 429, 500, 502, 503]) assert.ok(undocumentedStatuses.has(s), `expected an undocumented ${s}`);
  assertExchangesConform(h.exchanges);
});
