// The spec validator itself: it must catch violations (so "zero violations" elsewhere means
// something), classify undocumented statuses, and accept what the spec allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from './server.ts';
import { createSpecValidator, defaultSpecPath } from './spec-validator.ts';

const v = createSpecValidator();
const KEYED = { 'statsig-api-key': 'console-x', 'content-type': 'application/json' };
const JSON_HEADERS = { 'content-type': 'application/json' };

function ex(p: Partial<Exchange> & Pick<Exchange, 'method' | 'path' | 'status' | 'responseBody'>): Exchange {
  return { query: {}, headers: KEYED, requestBody: undefined, responseHeaders: JSON_HEADERS, ...p };
}

const metricSource = {
  name: 'm', description: '', tags: [], sql: 'SELECT 1', timestampColumn: 'ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'u' }],
};
const page = { itemsPerPage: 10, pageNumber: 1, nextPage: null, previousPage: null, totalItems: 1 };

test('the default spec path is next to the repository and the env var overrides it', () => {
  assert.match(defaultSpecPath(), /shared\/statsig-openapi\/console-api-20240601\.whn-sources-subset\.normalized\.json$/);
  const old = process.env.STATSIG_OPENAPI_SPEC;
  process.env.STATSIG_OPENAPI_SPEC = '/nonexistent/spec.json';
  try {
    assert.throws(() => createSpecValidator(), /not found/);
  } finally {
    if (old === undefined) delete process.env.STATSIG_OPENAPI_SPEC; else process.env.STATSIG_OPENAPI_SPEC = old;
  }
  assert.equal(v.operations().length, 39);
});

test('a conforming list answer has no violations', () => {
  const e = ex({ method: 'GET', path: '/console/v1/metrics/metric_source/list', query: { page: '1', limit: '10' }, status: 200, responseBody: { message: 'ok', data: [metricSource], pagination: page } });
  assert.deepEqual(v.validateExchange(e), []);
  assert.equal(v.checkExchange(e).operation, 'GET /console/v1/metrics/metric_source/list');
});

test('response violations are caught: missing required field, wrong types', () => {
  const { description: _d, ...noDescription } = metricSource;
  const r1 = v.validateExchange(ex({ method: 'GET', path: '/console/v1/metrics/metric_source/x', status: 200, responseBody: { message: 'ok', data: noDescription } }));
  assert.ok(r1.some((m) => m.includes('description')), r1.join('\n'));
  const r2 = v.validateExchange(ex({ method: 'GET', path: '/console/v1/experiments/assignment_sources', status: 200, responseBody: { message: 'ok', data: [], pagination: { ...page, pageNumber: '1' } } }));
  assert.ok(r2.length > 0);
  const r3 = v.validateExchange(ex({ method: 'GET', path: '/console/v1/ingestion/runs/abc', status: 200, responseBody: { message: 'ok', data: { runID: 'abc' } } }));
  assert.ok(r3.length > 0);
  const r4 = v.validateExchange(ex({ method: 'POST', path: '/console/v1/experiments/assignment_sources', status: 400, responseBody: { status: 401, message: 'x' } }));
  assert.ok(r4.length > 0, 'a 400 body must say status 400');
});

test('request violations count for 2xx answers only', () => {
  const bad = { name: 'x' };
  const ok201 = ex({ method: 'POST', path: '/console/v1/experiments/assignment_sources', requestBody: bad, status: 201, responseBody: { message: 'ok', data: { ...metricSource, experimentIDColumn: 'e', groupIDColumn: 'g' } } });
  assert.ok(v.validateExchange(ok201).some((m) => m.startsWith('request') && m.includes('sql')));
  const rejected = ex({ method: 'POST', path: '/console/v1/experiments/assignment_sources', requestBody: bad, status: 400, responseBody: { status: 400, message: 'bad', errors: [{ property: 'sql', errorMessage: 'is required' }] } });
  assert.deepEqual(v.validateExchange(rejected), []);
  assert.ok(v.checkExchange(rejected).requestViolations.length > 0);
  const noKey = ex({ method: 'GET', path: '/console/v1/settings/reviews', headers: {}, status: 200, responseBody: { message: 'ok', data: { is_config_review_required: true, is_metric_review_required: true, is_metric_review_required_on_verified_only: false } } });
  assert.ok(v.validateExchange(noKey).some((m) => m.includes('STATSIG-API-KEY')));
});

test('undocumented statuses are classified, never passed silently', () => {
  const e429 = ex({ method: 'GET', path: '/console/v1/experiments/assignment_sources', status: 429, responseBody: { status: 429, message: 'Rate limit exceeded' }, responseHeaders: { ...JSON_HEADERS, 'retry-after': '1' } });
  const r = v.checkExchange(e429);
  assert.equal(r.undocumentedStatus, true);
  assert.deepEqual(r.errorShapeViolations, []);
  assert.match(v.validateExchange(e429)[0] ?? '', /^undocumented status 429/);
  const badShape = v.checkExchange(ex({ method: 'DELETE', path: '/console/v1/experiments/assignment_source/x', status: 404, responseBody: { error: 'nope' } }));
  assert.equal(badShape.undocumentedStatus, true, 'DELETE assignment_source documents only 200');
  assert.ok(badShape.errorShapeViolations.length >= 2);
  const unknown = v.checkExchange(ex({ method: 'GET', path: '/console/v1/nope', status: 404, responseBody: { status: 404, message: 'no' } }));
  assert.equal(unknown.operation, null);
  assert.equal(unknown.undocumentedStatus, true);
  const documented404 = v.checkExchange(ex({ method: 'GET', path: '/console/v1/ingestion/runs/x', status: 404, responseBody: { status: 404, message: 'runID x not found' } }));
  assert.equal(documented404.undocumentedStatus, false);
  assert.deepEqual(documented404.violations, []);
});

test('content-type must be application/json', () => {
  const r = v.validateExchange(ex({ method: 'GET', path: '/console/v1/settings/reviews', status: 200, responseHeaders: { 'content-type': 'text/html' }, responseBody: { message: 'ok', data: { is_config_review_required: true, is_metric_review_required: true, is_metric_review_required_on_verified_only: false } } }));
  assert.ok(r.some((m) => m.includes('content-type')));
});

test('documented normalizations: runs page param, events/count arrays, nullable backfill source', () => {
  const run = { runID: 'r', latestStatus: 's', lastUpdatedAt: '2024-06-01T00:00:00.000Z', createdAt: '2024-06-01T00:00:00.000Z', trigger: 'scheduled', sources: [], dateStamps: [], runHistory: [], granularHistory: [] };
  assert.deepEqual(v.validateExchange(ex({ method: 'GET', path: '/console/v1/ingestion/runs', query: { page: '2' }, status: 200, responseBody: { message: 'ok', data: [run], pagination: page } })), []);
  assert.ok(v.validateExchange(ex({ method: 'GET', path: '/console/v1/ingestion/runs', status: 200, responseBody: { message: 'ok', data: [{ ...run, createdAt: 'yesterday' }], pagination: page } })).length > 0, 'date-time is checked');
  const count = [{ date: '2024-06-01', event: 'e', count: 3, last_updated_time: '2024-06-02T02:15:00.000Z' }];
  const q = { start_date: '2024-06-01', end_date: '2024-06-01' };
  assert.deepEqual(v.validateExchange(ex({ method: 'GET', path: '/console/v1/ingestion/events/count', query: q, status: 200, responseBody: { message: 'ok', data: count } })), []);
  assert.ok(v.validateExchange(ex({ method: 'GET', path: '/console/v1/ingestion/events/count', query: q, status: 200, responseBody: { message: 'ok', data: [] } })).length > 0, 'an empty array matches both oneOf branches');
  const backfill = { datestamp_start: '2024-06-01', datestamp_end: '2024-06-02', type: 's3', dataset: 'Events', source: null };
  assert.deepEqual(v.validateExchange(ex({ method: 'POST', path: '/console/v1/ingestion/backfill', requestBody: backfill, status: 200, responseBody: { message: 'ok', data: { runID: 'r' } } })), []);
});
