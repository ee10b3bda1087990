// Seeds: the default seed's SQL passes the emulator's own DuckDB checks; large:N is fast and
// deterministic; the seed parser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkIngestionAgainstWarehouse, checkSourceAgainstWarehouse } from './api.ts';
import { SOURCE_KINDS } from './model.ts';
import { buildSeed, parseSeed } from './seeds.ts';
import type { Warehouse } from './warehouse.ts';
import { createWarehouse, substituteMacros } from './warehouse.ts';

let wh: Warehouse;
before(async () => { wh = await createWarehouse(); });
after(() => { wh.close(); });

test('parseSeed accepts default, empty and large:N only', () => {
  assert.deepEqual(parseSeed('default'), { kind: 'default' });
  assert.deepEqual(parseSeed('empty'), { kind: 'empty' });
  assert.deepEqual(parseSeed('large:42'), { kind: 'large', count: 42 });
  for (const bad of ['', 'large', 'large:', 'large:-1', 'large:1.5', 'Default', 'large:99999999']) assert.equal(parseSeed(bad), null, bad);
  assert.throws(() => buildSeed('nope'));
});

test('default seed: realistic shape', () => {
  const s = buildSeed('default');
  assert.equal(s.sources.assignment.size, 4);
  assert.equal(s.sources.entityProperty.size, 3);
  assert.equal(s.sources.qualifyingEvent.size, 3);
  assert.equal(s.sources.metricSource.size, 5);
  assert.ok(s.ingestion.length >= 3 && s.ingestion.length <= 4);
  assert.ok(new Set(s.ingestion.map((i) => `${i.type}/${i.dataset}`)).size >= 3);
  const all = SOURCE_KINDS.flatMap((k) => [...s.sources[k].values()]);
  assert.ok(all.some((r) => r.name.includes(' ')), 'a name with a space');
  assert.ok(all.filter((r) => r.isVerified === true).length >= 2);
  assert.ok(all.some((r) => r.owner !== undefined) && all.some((r) => r.owner === undefined));
  const idTypes = new Set(all.flatMap((r) => r.idTypeMapping.map((m) => m.statsigUnitID)));
  for (const t of ['userID', 'stableID', 'companyID']) assert.ok(idTypes.has(t), t);
  assert.ok(all.some((r) => r.sql.includes('{statsig_start_date}')));
  assert.ok(all.some((r) => 'groupNameColumn' in r) && all.some((r) => 'scheduledReloadHour' in r) && all.some((r) => 'disableCURE' in r));
  assert.ok(s.metrics.length > 0);
  for (const m of s.metrics) assert.ok(s.sources.metricSource.has(m.warehouseNative.metricSourceName), m.name);
});

test('default seed: every source and ingestion query passes the DuckDB checks', async () => {
  const s = buildSeed('default');
  for (const kind of SOURCE_KINDS) {
    for (const rec of s.sources[kind].values()) {
      assert.deepEqual(await checkSourceAgainstWarehouse(wh, kind, rec), [], `${kind} ${rec.name}`);
    }
  }
  for (const ing of s.ingestion) assert.deepEqual(await checkIngestionAgainstWarehouse(wh, ing), [], ing.source_name);
});

test('large seed SQL is valid too (sampled)', async () => {
  const s = buildSeed('large:40');
  for (const kind of SOURCE_KINDS) {
    for (const rec of s.sources[kind].values()) assert.deepEqual(await checkSourceAgainstWarehouse(wh, kind, rec), [], rec.name);
  }
});

test('large:10000 builds in well under a second, round-robin, deterministic names', () => {
  const t0 = performance.now();
  const s = buildSeed('large:10000');
  const ms = performance.now() - t0;
  assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  for (const kind of SOURCE_KINDS) assert.equal(s.sources[kind].size, 2500);
  assert.ok(s.sources.assignment.has('large_assignment_00042'));
  assert.ok(s.sources.metricSource.has('large_metric_source_02499'));
  assert.deepEqual([...buildSeed('large:10').sources.entityProperty.keys()], ['large_entity_property_00000', 'large_entity_property_00001', 'large_entity_property_00002']);
  assert.ok(s.ingestion.length > 0);
});

test('empty seed is empty', () => {
  const s = buildSeed('empty');
  for (const kind of SOURCE_KINDS) assert.equal(s.sources[kind].size, 0);
  assert.equal(s.ingestion.length, 0);
  assert.equal(s.metrics.length, 0);
});

test('macros become literals; quoted macros stay quoted', async () => {
  assert.equal(substituteMacros('ds >= {statsig_start_date}'), "ds >= DATE '2024-06-01'");
  assert.equal(substituteMacros("ds <= '{statsig_end_date}'"), "ds <= '2024-06-30'");
  assert.equal(substituteMacros('ts < { statsig_end_ts }'), "ts < TIMESTAMP '2024-06-30 23:59:59'");
  const r = await wh.describeQuery("SELECT * FROM analytics.orders WHERE order_ts BETWEEN {statsig_start_ts} AND {statsig_end_ts} AND ds <= '{statsig_end_date}';");
  assert.ok(r.ok);
  const unknown = await wh.describeQuery('SELECT * FROM analytics.orders WHERE ds > {statsig_someday}');
  assert.equal(unknown.ok, false);
});

test('the warehouse refuses file access and multiple statements', async () => {
  const files = await wh.describeQuery("SELECT * FROM read_csv('/etc/hostname')");
  assert.equal(files.ok, false);
  const multi = await wh.describeQuery('SELECT 1) AS q; DROP TABLE analytics.users; SELECT (1');
  assert.equal(multi.ok, false);
  assert.ok((await wh.describeTable('analytics.users')).ok, 'tables are still there');
});
