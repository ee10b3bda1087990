// Every operation of every kind, through the real client, over real HTTP, against the emulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refKey, type NamedKindId, type SourceRecord, type SourceRef } from '../../../src/core/kinds.ts';
import { NotFoundError, ValidationError } from '../../../src/core/errors.ts';
import { NAMED_KINDS } from '../../../src/core/kinds.ts';
import { TEST_KEY, harness, type Harness } from '../helpers/emulator.ts';
import { ingestionRuns, ingestionSchedule, ingestionStatus } from '../../../src/core/ingestionExtras.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => {
  for (const l of h.logs) assert.ok(!l.message.includes(TEST_KEY), `key leaked in a log line: ${l.message}`);
  await h.close();
});

function named(r: SourceRecord): { kind: NamedKindId; name: string } {
  assert.notEqual(r.ref.kind, 'ingestionSource');
  return r.ref as { kind: NamedKindId; name: string };
}

/** A fresh copy of an existing source under a new name, minus server-owned fields. */
function copyAs(r: SourceRecord, name: string): Record<string, unknown> {
  const { owner: _owner, ...rest } = r.data;
  return { ...rest, name };
}

for (const d of NAMED_KINDS) {
  describe(`${d.label}`, () => {
    it('lists the seeded sources with every required field', async () => {
      const listing = await h.api.list(d.id);
      assert.ok(listing.records.length >= 3, `${listing.records.length} records`);
      assert.deepEqual(listing.invalid, []);
      for (const r of listing.records) assert.equal(typeof r.data['sql'], 'string');
    });

    it('reads one source by its identity', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const one = await h.api.get(first.ref);
      assert.equal(one.key, first.key);
      assert.deepEqual(one.data, first.data);
    });

    it('a name that does not exist is a NotFoundError', async () => {
      await assert.rejects(h.api.get({ kind: d.id, name: 'does not exist 42' }), NotFoundError);
    });

    it('dry-run create validates and persists nothing; create persists', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const name = `created ${d.id}`;
      const dry = await h.api.create(d.id, copyAs(first, name), { dryRun: true });
      assert.equal(dry.status, 201);
      await assert.rejects(h.api.get({ kind: d.id, name }), NotFoundError);
      const real = await h.api.create(d.id, copyAs(first, name));
      assert.equal(real.status, 201);
      assert.equal(real.record?.data['name'], name);
      const back = await h.api.get({ kind: d.id, name });
      assert.equal(back.data['sql'], first.data['sql']);
    });

    it('a duplicate name is a ValidationError naming the property', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const error = await h.api.create(d.id, copyAs(first, String(first.data['name']))).catch((e: unknown) => e);
      assert.ok(error instanceof ValidationError, String(error));
      assert.ok(error.errors.some((e) => e.property === 'name'), JSON.stringify(error.errors));
    });

    it('full update (dry run first, then real) changes SQL and keeps unknown keys', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const ref = named(first);
      const sql = `${String(first.data['sql'])}\n-- edited by the test`;
      const dry = await h.api.update(ref, { ...first.data, sql }, { dryRun: true });
      assert.equal(dry.status, 200);
      assert.equal((await h.api.get(ref)).data['sql'], first.data['sql'], 'dry run persisted nothing');
      const real = await h.api.update(ref, { ...first.data, sql });
      assert.equal(real.record?.data['sql'], sql);
      const back = await h.api.get(ref);
      assert.equal(back.data['sql'], sql);
      for (const k of Object.keys(first.data)) {
        if (k !== 'sql') assert.ok(k in back.data, `key ${k} survived the round trip`);
      }
    });

    it('a mapped column the SQL does not return fails the dry run on that property', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const error = await h.api.update(named(first), { ...first.data, timestampColumn: 'no_such_column' }, { dryRun: true }).catch((e: unknown) => e);
      assert.ok(error instanceof ValidationError, String(error));
      assert.deepEqual(error.errors.map((e) => e.property), ['timestampColumn']);
    });

    it('SQL that does not parse fails the dry run on `sql`', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const error = await h.api.update(named(first), { ...first.data, sql: 'SELEC oops FROM' }, { dryRun: true }).catch((e: unknown) => e);
      assert.ok(error instanceof ValidationError, String(error));
      assert.equal(error.errors[0]?.property, 'sql');
    });

    if (d.capabilities.patch) {
      it('PATCH (dry run, then real) changes only the given fields', async () => {
        const [first] = (await h.api.list(d.id)).records;
        assert.ok(first);
        const ref = named(first);
        await h.api.patch(ref, { description: 'dry' }, { dryRun: true });
        assert.notEqual((await h.api.get(ref)).data['description'], 'dry');
        const res = await h.api.patch(ref, { description: 'patched', tags: ['a', 'b'] });
        assert.equal(res.status, 200);
        const back = await h.api.get(ref);
        assert.equal(back.data['description'], 'patched');
        assert.deepEqual(back.data['tags'], ['a', 'b']);
      });

      it('PATCH with sql is refused locally before anything is sent', async () => {
        const before = h.emulator.stats().requests;
        const [first] = (await h.api.list(d.id)).records;
        assert.ok(first);
        const afterList = h.emulator.stats().requests;
        await assert.rejects(h.api.patch(named(first), { sql: 'select 1' }), ValidationError);
        assert.equal(h.emulator.stats().requests, afterList);
        assert.ok(afterList > before);
      });
    }

    it('delete removes the source', async () => {
      const [first] = (await h.api.list(d.id)).records;
      assert.ok(first);
      const name = `to delete ${d.id}`;
      await h.api.create(d.id, copyAs(first, name));
      const ref: SourceRef = { kind: d.id, name };
      const res = await h.api.delete(ref);
      assert.equal(res.status, 200);
      await assert.rejects(h.api.get(ref), NotFoundError);
    });
  });
}

describe('Metric source dependents', () => {
  it('lists the metrics built on a metric source', async () => {
    const sources = (await h.api.list('metricSource')).records;
    let total = 0;
    for (const s of sources) total += (await h.api.dependents(s.ref))?.length ?? 0;
    assert.ok(total > 0, 'the default seed has metrics on some metric source');
  });
});

describe('Ingestion sources', () => {
  it('are discovered over every type × dataset combination, concurrently', async () => {
    const before = h.emulator.stats();
    const listing = await h.api.list('ingestionSource');
    const after = h.emulator.stats();
    assert.ok(listing.records.length >= 3, `${listing.records.length}`);
    assert.equal(listing.requests, 32);
    assert.equal(after.requests - before.requests, 32);
    assert.ok(after.maxConcurrent > 1);
    for (const r of listing.records) assert.equal(r.ref.kind, 'ingestionSource');
  });

  it('read one, patch its query and mapping, then delete it', async () => {
    const [first] = (await h.api.list('ingestionSource')).records;
    assert.ok(first && first.ref.kind === 'ingestionSource');
    const one = await h.api.get(first.ref);
    assert.equal(one.key, refKey(first.ref));
    const query = typeof first.data['query'] === 'string' ? first.data['query'] : 'SELECT 1';
    const patched = await h.api.patch(first.ref, { query: `${query} -- patched`, column_mapping: first.data['column_mapping'] });
    assert.equal(patched.status, 200);
    assert.match(String((await h.api.get(first.ref)).data['query']), /-- patched$/);
    await h.api.delete(first.ref);
    await assert.rejects(h.api.get(first.ref), NotFoundError);
  });

  it('create adds a source that discovery then finds', async () => {
    const created = await h.api.create('ingestionSource', {
      type: 'snowflake-v2', dataset: 'Metrics', source_name: 'unit_test_metrics',
      query: 'SELECT user_id, ds, metric_name, metric_value FROM analytics.daily_metrics',
      column_mapping: { unit_id: 'user_id', id_type: 'userID', dateid: 'ds', metric_name: 'metric_name', metric_value: 'metric_value' },
      enabled: true,
    });
    assert.equal(created.status, 200);
    const listing = await h.api.list('ingestionSource');
    assert.ok(listing.records.some((r) => r.key === 'ingestionSource:snowflake-v2/Metrics/unit_test_metrics'));
  });

  it('has no dry run, and says so (create and patch alike, before sending anything)', async () => {
    const [first] = (await h.api.list('ingestionSource')).records;
    assert.ok(first);
    const before = h.emulator.stats().requests;
    await assert.rejects(
      h.api.create('ingestionSource', { type: 's3', dataset: 'Events', source_name: 'x' }, { dryRun: true }),
      /no dry run for ingestion sources/,
    );
    await assert.rejects(h.api.patch(first.ref, { enabled: false }, { dryRun: true }), /no dry run for ingestion sources/);
    assert.equal(h.emulator.stats().requests, before, 'nothing was sent');
  });

  it('schedule, runs and status endpoints parse', async () => {
    const schedule = await ingestionSchedule(h.api.client, 'Metrics');
    assert.equal(typeof schedule.scheduled_hour_pst, 'number');
    const runs = await ingestionRuns(h.api.client);
    assert.ok(Array.isArray(runs));
    const status = await ingestionStatus(h.api.client, { startDate: '2024-01-01', endDate: '2030-01-01' });
    assert.ok(Array.isArray(status));
  });
});

describe('Everything at once', () => {
  it('listEverything returns every kind', async () => {
    const all = await h.api.listEverything();
    assert.equal(all.size, 5);
    for (const [kind, r] of all) assert.equal(r.status, 'fulfilled', kind);
  });
});
