// List endpoints: page/limit semantics, totals, the server cap, beyond-the-end pages, invalid
// parameters, and the lieNextPage / omitTotalItems faults; on a large seed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Harness } from './harness.ts';
import { assertExchangesConform, expect400, list, obj, pagination, startHarness } from './harness.ts';

let h: Harness;
before(async () => { h = await startHarness({ seed: 'large:1000', maxPageSize: 50 }); });
after(async () => { await h.close(); });

const LISTS = [
  '/console/v1/experiments/assignment_sources',
  '/console/v1/experiments/entity_properties',
  '/console/v1/experiments/qualifying_events',
  '/console/v1/metrics/metric_source/list',
];

test('defaults: page 1, limit 10, totals, links', async () => {
  for (const path of LISTS) {
    const r = await h.api('GET', path);
    assert.equal(r.status, 200);
    assert.equal(list(r).length, 10);
    const p = pagination(r);
    assert.equal(p.itemsPerPage, 10);
    assert.equal(p.pageNumber, 1);
    assert.equal(p.totalItems, 250);
    assert.equal(p.previousPage, null);
    assert.equal(p.nextPage, `${path}?page=2&limit=10`);
  }
});

test('round-robin names are deterministic and in creation order', async () => {
  const r = await h.api('GET', '/console/v1/experiments/assignment_sources?page=5&limit=3');
  assert.deepEqual(list(r).map((s) => s.name), ['large_assignment_00012', 'large_assignment_00013', 'large_assignment_00014']);
  const m = await h.api('GET', '/console/v1/metrics/metric_source/list?limit=1');
  assert.equal(list(m)[0]?.name, 'large_metric_source_00000');
  const p = pagination(r);
  assert.equal(p.previousPage, '/console/v1/experiments/assignment_sources?page=4&limit=3');
  assert.equal(p.nextPage, '/console/v1/experiments/assignment_sources?page=6&limit=3');
});

test('limit is capped at maxPageSize and itemsPerPage says so', async () => {
  const r = await h.api('GET', '/console/v1/experiments/entity_properties?limit=500');
  assert.equal(list(r).length, 50);
  assert.equal(pagination(r).itemsPerPage, 50);
  assert.equal(pagination(r).nextPage, '/console/v1/experiments/entity_properties?page=2&limit=50');
});

test('walking nextPage visits every item exactly once', async () => {
  const seen: string[] = [];
  let next: string | null = '/console/v1/experiments/qualifying_events?limit=40';
  let pages = 0;
  while (next !== null && pages < 100) {
    const r = await h.api('GET', next);
    assert.equal(r.status, 200);
    seen.push(...list(r).map((s) => String(s.name)));
    next = pagination(r).nextPage as string | null;
    pages++;
  }
  assert.equal(pages, 7);
  assert.equal(seen.length, 250);
  assert.equal(new Set(seen).size, 250);
});

test('the last page is short and has no nextPage; beyond the end is empty', async () => {
  const last = await h.api('GET', '/console/v1/experiments/assignment_sources?page=7&limit=40');
  assert.equal(list(last).length, 10);
  assert.equal(pagination(last).nextPage, null);
  const beyond = await h.api('GET', '/console/v1/experiments/assignment_sources?page=99&limit=40');
  assert.equal(beyond.status, 200);
  assert.deepEqual(obj(beyond.body).data, []);
  assert.equal(pagination(beyond).nextPage, null);
  assert.equal(pagination(beyond).totalItems, 250);
});

test('invalid page or limit gives 400 naming the parameter', async () => {
  expect400(await h.api('GET', '/console/v1/experiments/assignment_sources?page=0'), 'page');
  expect400(await h.api('GET', '/console/v1/experiments/assignment_sources?page=-1'), 'page');
  expect400(await h.api('GET', '/console/v1/experiments/assignment_sources?page=1.5'), 'page');
  expect400(await h.api('GET', '/console/v1/experiments/entity_properties?limit=0'), 'limit');
  expect400(await h.api('GET', '/console/v1/metrics/metric_source/list?limit=abc'), 'limit');
});

test('fault lieNextPage: nextPage points back to page 1, or past the end instead of null', async () => {
  h.emu.setFaults({ lieNextPage: true });
  try {
    const first = await h.api('GET', '/console/v1/experiments/assignment_sources?page=2&limit=100');
    assert.equal(pagination(first).nextPage, '/console/v1/experiments/assignment_sources?page=1&limit=50');
    const last = await h.api('GET', '/console/v1/experiments/assignment_sources?page=5&limit=50');
    assert.equal(list(last).length, 50);
    assert.equal(pagination(last).nextPage, '/console/v1/experiments/assignment_sources?page=6&limit=50');
    const beyond = await h.api('GET', String(pagination(last).nextPage));
    assert.deepEqual(obj(beyond.body).data, []);
  } finally {
    h.emu.setFaults({ lieNextPage: false });
  }
});

test('fault omitTotalItems: pagination has no totalItems', async () => {
  const set = await h.control('POST', '/__emulator/faults', { omitTotalItems: true });
  assert.equal(set.status, 200);
  const r = await h.api('GET', '/console/v1/experiments/entity_properties');
  assert.ok(!('totalItems' in pagination(r)));
  await h.control('POST', '/__emulator/faults', { omitTotalItems: false });
  assert.equal(pagination(await h.api('GET', '/console/v1/experiments/entity_properties')).totalItems, 250);
});

test('large:10000 seeds in well under a second', async () => {
  const t0 = performance.now();
  await h.emu.reset('large:10000');
  const ms = performance.now() - t0;
  assert.ok(ms < 500, `reset took ${ms.toFixed(0)} ms`);
  const r = await h.api('GET', '/console/v1/metrics/metric_source/list?page=50&limit=50');
  assert.equal(pagination(r).totalItems, 2500);
  assert.equal(list(r)[49]?.name, 'large_metric_source_02499');
  const ing = await h.api('GET', '/console/v1/ingestion?type=snowflake-v2&dataset=Metrics');
  assert.equal(ing.status, 200, 'large seeds also carry a handful of ingestion sources');
});

test('every exchange in this file conforms to the spec', () => {
  const { documented } = assertExchangesConform(h.exchanges);
  assert.ok(documented > 20);
});
