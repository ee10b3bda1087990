// Warehouse-native sources: CRUD for all four kinds, renames, live extras, dryRun, the DuckDB checks,
// and spec conformance of every exchange produced here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Harness } from './harness.ts';
import { arr, assertExchangesConform, data, expect400, list, obj, startHarness } from './harness.ts';

let h: Harness;
before(async () => { h = await startHarness({ seed: 'default' }); });
after(async () => { await h.close(); });

const AS = '/console/v1/experiments/assignment_sources';
const AS1 = (n: string): string => `/console/v1/experiments/assignment_source/${encodeURIComponent(n)}`;
const EPS = '/console/v1/experiments/entity_properties';
const EP1 = (n: string): string => `/console/v1/experiments/entity_property/${encodeURIComponent(n)}`;
const QES = '/console/v1/experiments/qualifying_events';
const QE1 = (n: string): string => `/console/v1/experiments/qualifying_events/${encodeURIComponent(n)}`;
const MS_CREATE = '/console/v1/metrics/metric_source';
const MS_LIST = '/console/v1/metrics/metric_source/list';
const MS1 = (n: string): string => `/console/v1/metrics/metric_source/${encodeURIComponent(n)}`;

async function allNames(path: string): Promise<string[]> {
  const r = await h.api('GET', `${path}?limit=100`);
  assert.equal(r.status, 200);
  return list(r).map((s) => String(s.name));
}

const assignmentBody = {
  name: 'signup_flow_assignments',
  description: 'Assignments of the signup flow test',
  tags: ['growth'],
  sql: 'SELECT user_id, stable_id, experiment_id, group_id, exposure_ts FROM analytics.exposures WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
  timestampColumn: 'exposure_ts',
  experimentIDColumn: 'experiment_id',
  groupIDColumn: 'group_id',
  idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'STABLE_ID' }],
};

test('default seed: every list has the documented kinds and the live extras', async () => {
  const as = await h.api('GET', AS);
  assert.equal(as.status, 200);
  const items = list(as);
  assert.equal(items.length, 4);
  const exp = items.find((s) => s.name === 'Experiment Exposures');
  assert.ok(exp);
  assert.equal(exp.groupNameColumn, 'group_name');
  assert.equal(exp.scheduledReloadHour, 6);
  assert.equal(exp.isVerified, true);
  assert.ok(obj(exp.owner).ownerID);
  for (const s of items) { assert.equal(typeof s.description, 'string'); assert.ok(Array.isArray(s.tags)); }
  assert.equal((await allNames(EPS)).length, 3);
  assert.equal((await allNames(QES)).length, 3);
  const ms = await h.api('GET', MS_LIST);
  assert.equal(list(ms).length, 5);
  assert.ok(list(ms).some((s) => s.disableCURE === false));
  assert.ok(list(await h.api('GET', QES)).some((s) => s.disableCURE === true));
});

test('assignment source: create 201, list, full update with rename, PATCH, delete', async () => {
  const created = await h.api('POST', AS, { ...assignmentBody, owner: { ownerID: 'x', ownerType: 'USER' }, surprise: 1, groupNameColumn: 'group_id' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const d = data(created);
  assert.equal(d.name, 'signup_flow_assignments');
  assert.equal(d.owner, undefined, 'owner is server-owned and absent for API-created sources');
  assert.equal(d.surprise, undefined, 'unknown fields are dropped');
  assert.equal(d.groupNameColumn, 'group_id', 'live extras are stored');
  assert.ok((await allNames(AS)).includes('signup_flow_assignments'));

  const updated = await h.api('POST', AS1('signup_flow_assignments'), { ...assignmentBody, name: 'signup flow v2', description: 'renamed' });
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
  assert.equal(data(updated).name, 'signup flow v2');
  assert.equal(data(updated).groupNameColumn, 'group_id', 'a full update keeps fields it does not mention');
  const names = await allNames(AS);
  assert.ok(names.includes('signup flow v2'));
  assert.ok(!names.includes('signup_flow_assignments'));
  assert.equal(names.indexOf('signup flow v2'), 4, 'a rename keeps the creation-order position');

  const patched = await h.api('PATCH', AS1('signup flow v2'), { tags: ['growth', 'signup'], scheduledReloadHour: 4 });
  assert.equal(patched.status, 200);
  assert.deepEqual(data(patched).tags, ['growth', 'signup']);
  assert.equal(data(patched).scheduledReloadHour, 4);

  const renameTaken = await h.api('PATCH', AS1('signup flow v2'), { name: 'company_exposures' });
  expect400(renameTaken, 'name');

  const del = await h.api('DELETE', AS1('signup flow v2'));
  assert.equal(del.status, 200);
  assert.equal(typeof obj(del.body).message, 'string');
  assert.ok(!(await allNames(AS)).includes('signup flow v2'));
  assert.equal((await h.api('DELETE', AS1('signup flow v2'))).status, 404);
});

test('entity property: create, GET by name (with a space), update, PATCH rename, delete', async () => {
  const body = {
    name: 'user country', sql: 'SELECT user_id, country, updated_at FROM analytics.users', timestampColumn: 'updated_at',
    idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  };
  const c = await h.api('POST', EPS, body);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(data(c).description, '');
  assert.deepEqual(data(c).tags, []);
  const g = await h.api('GET', EP1('user country'));
  assert.equal(g.status, 200);
  assert.equal(data(g).sql, body.sql);
  const seeded = await h.api('GET', EP1('Company Firmographics'));
  assert.equal(seeded.status, 200);
  const u = await h.api('POST', EP1('user country'), { ...body, name: undefined, sql: 'SELECT user_id, country, plan, updated_at FROM analytics.users', timestampAsDay: true });
  assert.equal(u.status, 200, JSON.stringify(u.body));
  assert.equal(data(u).timestampAsDay, true);
  const p = await h.api('PATCH', EP1('user country'), { name: 'user_country', description: 'Country per user' });
  assert.equal(p.status, 200);
  assert.equal((await h.api('GET', EP1('user country'))).status, 404);
  assert.equal(data(await h.api('GET', EP1('user_country'))).description, 'Country per user');
  assert.equal((await h.api('DELETE', EP1('user_country'))).status, 200);
  assert.equal((await h.api('GET', EP1('user_country'))).status, 404);
});

test('qualifying event: create (query and table), GET, update, name cannot change, no PATCH, delete', async () => {
  const c = await h.api('POST', QES, {
    name: 'purchase_qualifier', sql: "SELECT user_id, event_ts FROM analytics.events WHERE event_name = 'purchase'",
    timestampColumn: 'event_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], disableCURE: true,
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(data(c).description, '');
  assert.equal(data(c).disableCURE, true);
  const t = await h.api('POST', QES, {
    name: 'orders_table_qualifier', sql: 'SELECT * FROM analytics.orders', sourceType: 'table', tableName: 'analytics.orders',
    timestampColumn: 'order_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const g = await h.api('GET', QE1('purchase_qualifier'));
  assert.equal(data(g).timestampColumn, 'event_ts');
  const upd = await h.api('POST', QE1('purchase_qualifier'), {
    name: 'purchase_qualifier', sql: "SELECT user_id, stable_id, event_ts FROM analytics.events WHERE event_name = 'purchase'",
    timestampColumn: 'event_ts', idTypeMapping: [{ statsigUnitID: 'stableID', column: 'stable_id' }],
  });
  assert.equal(upd.status, 200, JSON.stringify(upd.body));
  assert.equal(data(upd).disableCURE, true, 'extras survive a full update that does not mention them');
  const rename = await h.api('POST', QE1('purchase_qualifier'), { name: 'other', sql: 'SELECT 1 AS x, now() AS ts', timestampColumn: 'ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'x' }] });
  expect400(rename, 'name');
  assert.equal((await h.api('PATCH', QE1('purchase_qualifier'), { description: 'x' })).status, 404, 'qualifying events have no PATCH');
  assert.equal((await h.api('DELETE', QE1('purchase_qualifier'))).status, 200);
  assert.equal((await h.api('GET', QE1('purchase_qualifier'))).status, 404);
});

test('metric source: create, GET (name with space), update, dependents, delete rules', async () => {
  const c = await h.api('POST', MS_CREATE, {
    name: 'page views', description: 'Page views', sql: "SELECT user_id, event_ts, ds, page_url FROM analytics.events WHERE event_name = 'page_view'",
    timestampColumn: 'event_ts', datePartitionColumn: 'ds', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
    customFieldMapping: [{ key: 'path', formula: 'page_url' }], isVerified: true,
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const g = await h.api('GET', MS1('page views'));
  assert.equal(g.status, 200);
  assert.deepEqual(data(g).customFieldMapping, [{ key: 'path', formula: 'page_url' }]);
  const u = await h.api('POST', MS1('page views'), {
    sql: 'SELECT user_id, event_ts, ds, page_url, platform FROM analytics.events', timestampColumn: 'event_ts',
    idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  });
  assert.equal(u.status, 200, JSON.stringify(u.body));
  assert.equal(data(u).description, 'Page views');
  expect400(await h.api('POST', MS1('page views'), { name: 'page_views', sql: 'SELECT 1 AS a', timestampColumn: 'a', idTypeMapping: [{ statsigUnitID: 'userID', column: 'a' }] }), 'name');

  const deps = await h.api('GET', `${MS1('Order Revenue')}/metrics`);
  assert.equal(deps.status, 200);
  const metrics = list(deps);
  assert.equal(metrics.length, 3);
  for (const m of metrics) assert.equal(obj(m.warehouseNative).metricSourceName, 'Order Revenue');
  assert.equal(arr(list(await h.api('GET', `${MS1('page views')}/metrics`))).length, 0);
  assert.equal((await h.api('GET', `${MS1('nope')}/metrics`)).status, 404);

  expect400(await h.api('DELETE', MS1('Order Revenue')), 'name');
  assert.equal((await h.api('DELETE', MS1('page views'))).status, 200);
  assert.equal((await h.api('GET', MS1('page views'))).status, 404);
});

test('validation: required fields, types, enums and paths', async () => {
  const r = await h.api('POST', AS, { name: 'x', sql: 'SELECT 1', tags: ['ok', 'fine', 7], idTypeMapping: [{ statsigUnitID: 'userID' }] });
  expect400(r, 'timestampColumn');
  expect400(r, 'experimentIDColumn');
  expect400(r, 'tags[2]');
  expect400(r, 'idTypeMapping[0].column');
  expect400(await h.api('POST', MS_CREATE, { name: 'bad_type', sql: 'SELECT 1 AS a', timestampColumn: 'a', idTypeMapping: [{ statsigUnitID: 'u', column: 'a' }], sourceType: 'view' }), 'sourceType');
  expect400(await h.api('POST', MS_CREATE, { name: 'no_table', sql: 'SELECT 1 AS a', timestampColumn: 'a', idTypeMapping: [{ statsigUnitID: 'u', column: 'a' }], sourceType: 'table', tableName: 'analytics.nope' }), 'tableName');
  expect400(await h.api('POST', EPS, { name: 'x', sql: 'SELECT 1 AS a', idTypeMapping: [], dryRun: 'yes' }), 'dryRun');
  expect400(await h.api('POST', EPS, { name: 'x', sql: 'SELECT 1 AS a', idTypeMapping: [] }), 'idTypeMapping');
  const malformed = await h.api('POST', AS, undefined, { rawBody: '{"name": ' });
  assert.equal(malformed.status, 400);
  assert.equal(obj(malformed.body).status, 400);
  const notObject = await h.api('POST', AS, [1, 2]);
  assert.equal(notObject.status, 400);
  assert.equal((await h.api('GET', EP1('does not exist'))).status, 404);
  assert.equal((await h.api('POST', AS1('does not exist'), assignmentBody)).status, 404);
});

test('duplicate names on create give 400 on property name', async () => {
  expect400(await h.api('POST', AS, { ...assignmentBody, name: 'company_exposures' }), 'name');
  expect400(await h.api('POST', EPS, { name: 'user_profile', sql: 'SELECT user_id FROM analytics.users', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }), 'name');
  expect400(await h.api('POST', QES, { name: 'first_purchase', sql: 'SELECT user_id, order_ts FROM analytics.orders', timestampColumn: 'order_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }), 'name');
  expect400(await h.api('POST', MS_CREATE, { name: 'app_events', sql: 'SELECT user_id, event_ts FROM analytics.events', timestampColumn: 'event_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }), 'name');
});

test('PATCH with sql is rejected with property sql', async () => {
  const msg = expect400(await h.api('PATCH', AS1('company_exposures'), { sql: 'SELECT 1' }), 'sql');
  assert.match(msg, /full update/);
  expect400(await h.api('PATCH', EP1('user_profile'), { sql: 'SELECT 1', description: 'x' }), 'sql');
  assert.notEqual(data(await h.api('GET', EP1('user_profile'))).description, 'x', 'nothing applied');
});

test('DuckDB checks: missing column and SQL errors name the property', async () => {
  const col = expect400(await h.api('POST', AS, {
    ...assignmentBody, name: 'bad_column', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'companyID', column: 'foo' }],
  }), 'idTypeMapping[1].column');
  assert.match(col, /^Column "foo" is not returned by the query\. Available: user_id, stable_id, experiment_id, group_id, exposure_ts$/);
  const syntax = expect400(await h.api('POST', AS, { ...assignmentBody, name: 'bad_sql', sql: 'SELEC user_id FROM analytics.exposures' }), 'sql');
  assert.match(syntax, /syntax error/i);
  const binder = expect400(await h.api('POST', EPS, { name: 'bad_ref', sql: 'SELECT nope FROM analytics.users', idTypeMapping: [{ statsigUnitID: 'userID', column: 'nope' }] }), 'sql');
  assert.match(binder, /nope/);
  expect400(await h.api('POST', QES, { name: 'bad_ts', sql: 'SELECT user_id FROM analytics.events', timestampColumn: 'event_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }), 'timestampColumn');
  expect400(await h.api('POST', MS_CREATE, { name: 'bad_dp', sql: 'SELECT user_id, event_ts FROM analytics.events', timestampColumn: 'event_ts', datePartitionColumn: 'ds', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }), 'datePartitionColumn');
  expect400(await h.api('PATCH', AS1('company_exposures'), { groupNameColumn: 'group_name' }), 'groupNameColumn');
  expect400(await h.api('POST', MS_CREATE, { name: 'no_files', sql: "SELECT * FROM read_csv('/etc/passwd')", timestampColumn: 'a', idTypeMapping: [{ statsigUnitID: 'userID', column: 'a' }] }), 'sql');
  // A PATCH changing a mapped column is checked against the stored SQL.
  expect400(await h.api('PATCH', AS1('Experiment Exposures'), { timestampColumn: 'nope_ts' }), 'timestampColumn');
  assert.equal(data(await h.api('PATCH', AS1('Experiment Exposures'), { timestampColumn: 'EXPOSURE_TS' })).timestampColumn, 'EXPOSURE_TS', 'matching is case-insensitive');
});

test('dryRun: same status and envelope, nothing persisted (create, update, PATCH)', async () => {
  const dry = await h.api('POST', AS, { ...assignmentBody, name: 'dry_assignment', dryRun: true });
  assert.equal(dry.status, 201);
  assert.equal(obj(dry.body).message, 'Dry run succeeded; nothing was saved.');
  assert.equal(data(dry).name, 'dry_assignment');
  assert.equal(data(dry).dryRun, undefined);
  assert.ok(!(await allNames(AS)).includes('dry_assignment'));

  const before = data(await h.api('GET', EP1('user_profile')));
  const dryUpd = await h.api('POST', EP1('user_profile'), { sql: 'SELECT user_id, plan FROM analytics.users', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], timestampColumn: '', dryRun: true });
  assert.equal(dryUpd.status, 200, JSON.stringify(dryUpd.body));
  assert.equal(data(dryUpd).sql, 'SELECT user_id, plan FROM analytics.users');
  const dryPatch = await h.api('PATCH', EP1('user_profile'), { name: 'renamed_profile', tags: ['x'], dryRun: true });
  assert.equal(dryPatch.status, 200);
  assert.equal(data(dryPatch).name, 'renamed_profile');
  assert.deepEqual(data(await h.api('GET', EP1('user_profile'))), before, 'dry runs changed nothing');
  assert.equal((await h.api('GET', EP1('renamed_profile'))).status, 404);

  const dryQe = await h.api('POST', QES, { name: 'dry_qe', sql: 'SELECT user_id, order_ts FROM analytics.orders', timestampColumn: 'order_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], dryRun: true });
  assert.equal(dryQe.status, 201);
  assert.equal((await h.api('GET', QE1('dry_qe'))).status, 404);
  const dryMsUpd = await h.api('POST', MS1('user_signups'), { sql: 'SELECT user_id, signup_ts FROM analytics.users', timestampColumn: 'signup_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], dryRun: true });
  assert.equal(dryMsUpd.status, 200);
  assert.match(String(data(await h.api('GET', MS1('user_signups'))).sql), /country/);

  // Dry runs run the same checks.
  expect400(await h.api('POST', AS, { ...assignmentBody, name: 'dry_bad', timestampColumn: 'nope', dryRun: true }), 'timestampColumn');
  expect400(await h.api('POST', AS, { ...assignmentBody, name: 'company_exposures', dryRun: true }), 'name');
});

test('every exchange in this file conforms to the spec', () => {
  const { documented, undocumented } = assertExchangesConform(h.exchanges);
  assert.ok(documented > 60, `documented=${documented}`);
  assert.ok(undocumented > 0);
});
