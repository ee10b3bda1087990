// Ingestion (type + dataset + source_name), its schedule/runs/status/backfill/events endpoints,
// the Databricks connection, review settings; spec conformance of every exchange.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Harness } from './harness.ts';
import { arr, assertExchangesConform, data, expect400, list, obj, pagination, startHarness } from './harness.ts';

let h: Harness;
before(async () => { h = await startHarness({ seed: 'default' }); });
after(async () => { await h.close(); });

const ING = '/console/v1/ingestion';

test('GET one source, a whole type+dataset, and 404 when not configured', async () => {
  const one = await h.api('GET', `${ING}?type=snowflake-v2&dataset=Metrics&source_name=daily_metric_ingest`);
  assert.equal(one.status, 200);
  const d = data(one);
  assert.equal(d.type, 'snowflake-v2');
  assert.equal(typeof d.id, 'string');
  const inner = obj(d.data);
  assert.equal(inner.dataset, 'Metrics');
  assert.equal(inner.source_name, 'daily_metric_ingest');
  assert.equal(obj(inner.column_mapping).metric_value, 'metric_value');

  const all = await h.api('GET', `${ING}?type=snowflake-v2&dataset=Metrics`);
  assert.equal(all.status, 200);
  const cfg = obj(data(all).data);
  assert.equal(cfg.dataset, 'Metrics');
  assert.deepEqual(arr(cfg.sources).map((s) => obj(s).source_name), ['daily_metric_ingest', 'ratio_metric_ingest']);

  const none = await h.api('GET', `${ING}?type=athena&dataset=Events`);
  assert.equal(none.status, 404);
  assert.deepEqual(none.body, { status: 404, message: 'Ingestion of type athena with dataset Events is not configured.' });
  const unknownName = await h.api('GET', `${ING}?type=snowflake-v2&dataset=Metrics&source_name=nope`);
  assert.equal(unknownName.status, 404);
  assert.equal(obj(unknownName.body).status, 404);
  expect400(await h.api('GET', `${ING}?type=oracle&dataset=Metrics`), 'type');
  expect400(await h.api('GET', `${ING}?type=s3`), 'dataset');
});

test('create (200 per spec), duplicate, PATCH, DELETE', async () => {
  const body = {
    type: 'bigquery-v2', dataset: 'Events', source_name: 'web_events',
    query: 'SELECT user_id, stable_id, event_name, event_ts, page_url FROM analytics.events',
    column_mapping: { event_name: 'event_name', timestamp: 'event_ts', ids: { userID: 'user_id', stableID: 'stable_id' }, metadata: { page: 'page_url' } },
    unknownTopLevel: true,
  };
  const c = await h.api('POST', ING, body);
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(obj(data(c).data).source_name, 'web_events');
  assert.equal(data(c).enabled, true);
  expect400(await h.api('POST', ING, body), 'source_name');
  const got = await h.api('GET', `${ING}?type=bigquery-v2&dataset=Events&source_name=web_events`);
  assert.equal(got.status, 200);

  const p = await h.api('PATCH', ING, { type: 'bigquery-v2', dataset: 'Events', source_name: 'web_events', enabled: false, query: `${body.query} WHERE 1 = 1` });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(data(p).enabled, false);
  assert.match(String(obj(data(p).data).query), /WHERE 1 = 1$/);
  // Without source_name: only one source exists for bigquery-v2/Events, so it is the target.
  const p2 = await h.api('PATCH', ING, { type: 'bigquery-v2', dataset: 'Events', enabled: true });
  assert.equal(p2.status, 200);
  // Ambiguous without source_name.
  expect400(await h.api('PATCH', ING, { type: 'snowflake-v2', dataset: 'Metrics', enabled: false }), 'source_name');
  assert.equal((await h.api('PATCH', ING, { type: 'athena', dataset: 'Events', source_name: 'x' })).status, 404);

  const del = await h.api('DELETE', `${ING}?type=bigquery-v2&dataset=Events&source_name=web_events`);
  assert.equal(del.status, 200);
  assert.equal(obj(data(del).data).source_name, 'web_events');
  assert.equal((await h.api('GET', `${ING}?type=bigquery-v2&dataset=Events&source_name=web_events`)).status, 404);
  assert.equal((await h.api('DELETE', `${ING}?type=bigquery-v2&dataset=Events&source_name=web_events`)).status, 404);
});

test('create accepts dataset Exposures and stores it as export_exposures', async () => {
  const c = await h.api('POST', ING, {
    type: 'redshift', dataset: 'Exposures', source_name: 'rs_exposures',
    query: 'SELECT experiment_id, group_id, user_id, exposure_ts FROM analytics.exposures',
    column_mapping: { experiment: 'experiment_id', group_id: 'group_id', timestamp: 'exposure_ts', ids: { userID: 'user_id' } },
  });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal((await h.api('GET', `${ING}?type=redshift&dataset=export_exposures&source_name=rs_exposures`)).status, 200);
  assert.equal((await h.api('DELETE', `${ING}?type=redshift&dataset=export_exposures`)).status, 200);
});

test('ingestion validation: enums, column_mapping paths, DuckDB checks', async () => {
  expect400(await h.api('POST', ING, { type: 'oracle', dataset: 'Events', source_name: 'x' }), 'type');
  expect400(await h.api('POST', ING, { type: 's3', dataset: 'Logs', source_name: 'x' }), 'dataset');
  expect400(await h.api('POST', ING, { type: 's3', dataset: 'Events' }), 'source_name');
  const cm = await h.api('POST', ING, { type: 's3', dataset: 'Metrics', source_name: 'm', column_mapping: { unit_id: 'unit_id', dateid: 'ds', metric_name: 5 } });
  expect400(cm, 'column_mapping.id_type');
  expect400(cm, 'column_mapping.metric_name');
  expect400(cm, 'column_mapping.metric_value');
  const missingCol = await h.api('POST', ING, {
    type: 's3', dataset: 'Metrics', source_name: 'm', query: 'SELECT unit_id, ds, metric_name, metric_value FROM analytics.daily_metrics',
    column_mapping: { unit_id: 'nope_unit', id_type: 'user_id', dateid: 'ds', metric_name: 'metric_name', metric_value: 'metric_value' },
  });
  assert.match(expect400(missingCol, 'column_mapping.unit_id'), /Column "nope_unit" is not returned by the query/);
  const idsCol = await h.api('POST', ING, {
    type: 's3', dataset: 'Events', source_name: 'e', query: 'SELECT user_id, event_name, event_ts FROM analytics.events',
    column_mapping: { event_name: 'event_name', timestamp: 'event_ts', ids: { userID: 'user_id', stableID: 'stable' } },
  });
  expect400(idsCol, 'column_mapping.ids.stableID');
  expect400(await h.api('POST', ING, { type: 's3', dataset: 'Events', source_name: 'e', query: 'SELEC 1', column_mapping: { event_name: 'a', timestamp: 'b', ids: { userID: 'c' } } }), 'query');
  expect400(await h.api('POST', ING, { type: 's3', dataset: 'Events', source_name: 'e', use_delta_sharing: false }), 'use_delta_sharing');
});

test('schedule: default 10, per dataset, validated', async () => {
  const m = await h.api('GET', '/console/v1/ingestion/schedule?dataset=Metrics');
  assert.equal(m.status, 200);
  assert.deepEqual(data(m), { dataset: 'Metrics', scheduled_hour_pst: 10 });
  const set = await h.api('POST', '/console/v1/ingestion/schedule', { dataset: 'Metrics', scheduled_hour_pst: 4 });
  assert.deepEqual(data(set), { dataset: 'Metrics', scheduled_hour_pst: 4 });
  assert.equal(data(await h.api('GET', '/console/v1/ingestion/schedule?dataset=Metrics')).scheduled_hour_pst, 4);
  const dflt = await h.api('POST', '/console/v1/ingestion/schedule', { dataset: 'entity_properties' });
  assert.equal(data(dflt).scheduled_hour_pst, 10);
  expect400(await h.api('POST', '/console/v1/ingestion/schedule', { dataset: 'Metrics', scheduled_hour_pst: 24 }), 'scheduled_hour_pst');
  expect400(await h.api('GET', '/console/v1/ingestion/schedule?dataset=Nope'), 'dataset');
});

test('runs: paginated list, read by id, 404', async () => {
  const r = await h.api('GET', '/console/v1/ingestion/runs');
  assert.equal(r.status, 200);
  const runs = list(r);
  assert.equal(runs.length, 10);
  assert.equal(pagination(r).totalItems, 12);
  assert.equal(pagination(r).nextPage, '/console/v1/ingestion/runs?page=2', 'runs declare only page: links carry no limit');
  const p2 = await h.api('GET', '/console/v1/ingestion/runs?page=2');
  assert.equal(list(p2).length, 2);
  assert.equal(pagination(p2).previousPage, '/console/v1/ingestion/runs?page=1');
  const first = runs[0];
  assert.ok(first);
  const one = await h.api('GET', `/console/v1/ingestion/runs/${String(first.runID)}`);
  assert.equal(one.status, 200);
  assert.equal(data(one).runID, first.runID);
  const missing = await h.api('GET', '/console/v1/ingestion/runs/00000000-0000-4000-a000-000000000000');
  assert.equal(missing.status, 404);
  assert.match(String(obj(missing.body).message), /runID .* not found/);
});

test('backfill returns a runID and adds a run', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const b = await h.api('POST', '/console/v1/ingestion/backfill', { datestamp_start: '2024-06-01', datestamp_end: '2024-06-03', type: 'snowflake-v2', dataset: 'Metrics', source: ['daily_metric_ingest'] });
  assert.equal(b.status, 200, JSON.stringify(b.body));
  const runID = String(data(b).runID);
  const run = data(await h.api('GET', `/console/v1/ingestion/runs/${runID}`));
  assert.equal(run.trigger, 'backfill');
  assert.deepEqual(run.dateStamps, ['2024-06-01', '2024-06-02', '2024-06-03']);
  assert.deepEqual(run.sources, ['daily_metric_ingest']);
  assert.equal(list(await h.api('GET', '/console/v1/ingestion/runs'))[0]?.runID, runID, 'newest first');
  expect400(await h.api('POST', '/console/v1/ingestion/backfill', { datestamp_start: '2024-06-05', datestamp_end: '2024-06-01', type: 'snowflake-v2', dataset: 'Metrics' }), 'datestamp_end');
  expect400(await h.api('POST', '/console/v1/ingestion/backfill', { datestamp_start: '2024-13-01', datestamp_end: today, type: 'snowflake-v2', dataset: 'Metrics' }), 'datestamp_start');
  expect400(await h.api('POST', '/console/v1/ingestion/backfill', { datestamp_start: '2024-06-01', datestamp_end: '2024-06-01', type: 'athena', dataset: 'Metrics' }), 'dataset');
  expect400(await h.api('POST', '/console/v1/ingestion/backfill', { datestamp_start: '2024-06-01', datestamp_end: '2024-06-01', type: 'snowflake-v2', dataset: 'Metrics', source: ['x', 'daily_metric_ingest', 'y'] }), 'source[2]');
});

test('status: filter by date range, dataset, source and status; paginated', async () => {
  const today = new Date();
  const start = new Date(today.getTime() - 20 * 86_400_000).toISOString().slice(0, 10);
  const end = today.toISOString().slice(0, 10);
  const all = await h.api('GET', `/console/v1/ingestion/status?startDate=${start}&endDate=${end}`);
  assert.equal(all.status, 200);
  const total = Number(pagination(all).totalItems);
  assert.ok(total >= 52, `${total}`);
  assert.equal(list(all).length, total, 'the status endpoint declares no page/limit: one page holds everything');
  assert.equal(pagination(all).itemsPerPage, total);
  assert.equal(pagination(all).nextPage, null);
  const ev = await h.api('GET', `/console/v1/ingestion/status?startDate=${start}&endDate=${end}&dataset=Events`);
  assert.ok(list(ev).every((s) => s.ingestion_dataset === 'Events'));
  const src = await h.api('GET', `/console/v1/ingestion/status?startDate=${start}&endDate=${end}&source=exposure_export`);
  assert.equal(list(src).length, 13);
  const errs = await h.api('GET', `/console/v1/ingestion/status?startDate=${start}&endDate=${end}&statuses=QUERY_ERROR&statuses=LOADED_EMPTY_DATA`);
  assert.ok(list(errs).length > 0);
  assert.ok(list(errs).every((s) => s.status === 'QUERY_ERROR' || s.status === 'LOADED_EMPTY_DATA'));
  const one = await h.api('GET', `/console/v1/ingestion/status?startDate=${start}&endDate=${end}&status=QUERY_ERROR`);
  assert.ok(list(one).every((s) => s.status === 'QUERY_ERROR'));
  const narrow = await h.api('GET', '/console/v1/ingestion/status?startDate=2001-01-01&endDate=2001-01-02');
  assert.deepEqual(obj(narrow.body).data, []);
  expect400(await h.api('GET', '/console/v1/ingestion/status?endDate=2024-01-01'), 'startDate');
});

test('events count and delta: both documented shapes, never an empty array', async () => {
  const grouped = await h.api('GET', '/console/v1/ingestion/events/count?start_date=2024-06-01&end_date=2024-06-03');
  assert.equal(grouped.status, 200);
  const g = arr(obj(grouped.body).data).map(obj);
  assert.equal(g.length, 3);
  assert.ok(arr(g[0]?.events).length > 0);
  const flat = await h.api('GET', '/console/v1/ingestion/events/count?start_date=2024-06-01&end_date=2024-06-02&event_name=purchase&source_name=app_events_ingest');
  const f = arr(obj(flat.body).data).map(obj);
  assert.equal(f.length, 2);
  assert.equal(f[0]?.event, 'purchase');
  assert.equal(typeof f[0]?.count, 'number');
  const delta = await h.api('GET', '/console/v1/ingestion/events/delta?start_date=2024-06-01&end_date=2024-06-01&event_name=purchase');
  assert.equal(delta.status, 200);
  const dl = arr(obj(delta.body).data).map(obj);
  assert.ok(dl.every((r) => typeof r.has_diff === 'boolean' && typeof r.threshold === 'number'));
  const dgrouped = await h.api('GET', '/console/v1/ingestion/events/delta?start_date=2024-06-01&end_date=2024-06-02');
  assert.equal(arr(obj(dgrouped.body).data).length, 2);
  assert.equal((await h.api('GET', '/console/v1/ingestion/events/count?start_date=2024-06-01&end_date=2024-06-01&source_name=nope')).status, 404);
  expect400(await h.api('GET', '/console/v1/ingestion/events/count?start_date=2024-06-01'), 'end_date');
});

test('databricks connection never echoes the token', async () => {
  const c = await h.api('POST', '/console/v1/ingestion/connection/databricks', { token: 'dapi-secret-token', host: 'dbc.example.cloud.databricks.com', path: '/sql/1.0/warehouses/abc', verified: true });
  assert.equal(c.status, 200);
  assert.ok(!JSON.stringify(c.body).includes('dapi-secret-token'));
  assert.equal(obj(data(c).data).host, 'dbc.example.cloud.databricks.com');
  expect400(await h.api('POST', '/console/v1/ingestion/connection/databricks', { host: 'x', path: 'y' }), 'token');
});

test('review settings: GET and POST', async () => {
  const g = await h.api('GET', '/console/v1/settings/reviews');
  assert.equal(g.status, 200);
  assert.equal(data(g).is_metric_review_required, true);
  const p = await h.api('POST', '/console/v1/settings/reviews', { is_config_review_required: true, is_metric_review_required: false, is_metric_review_required_on_verified_only: false, is_whn_source_review_required: true });
  assert.equal(p.status, 200);
  assert.deepEqual(data(await h.api('GET', '/console/v1/settings/reviews')), data(p));
  assert.equal(data(p).is_whn_source_review_required, true);
  expect400(await h.api('POST', '/console/v1/settings/reviews', { is_config_review_required: 'yes' }), 'is_config_review_required');
  expect400(await h.api('POST', '/console/v1/settings/reviews', { is_config_review_required: true }), 'is_metric_review_required');
});

test('every exchange in this file conforms to the spec', () => {
  const { documented, undocumented } = assertExchangesConform(h.exchanges);
  assert.ok(documented > 40);
  assert.ok(undocumented > 0);
});
