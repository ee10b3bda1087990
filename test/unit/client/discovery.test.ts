// Ingestion discovery (32 type × dataset questions) against the emulator: one failing question
// never hides what the others found, a refresh can ask only what was found, and an answer of a
// shape we do not read is an error that names the shape.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ingestionItems } from '../../../src/core/api.ts';
import { harness, type Harness } from '../helpers/emulator.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

test('a full discovery asks 32 questions and remembers which combinations answered', async () => {
  const full = await h.api.list('ingestionSource');
  assert.equal(full.requests, 32);
  assert.ok(full.records.length > 0);
  assert.deepEqual(full.failures, []);
  assert.ok((full.probed?.length ?? 0) > 0 && (full.probed?.length ?? 0) < 32, `probed ${full.probed?.length}`);
  // A refresh of only those finds the same sources with far fewer requests.
  const again = await h.api.list('ingestionSource', { only: full.probed ?? [] });
  assert.equal(again.requests, full.probed?.length);
  assert.deepEqual(again.records.map((r) => r.key).sort(), full.records.map((r) => r.key).sort());
});

test('one question answered 403 (or 400): the others are kept, the failure is reported with its combination', async () => {
  const full = await h.api.list('ingestionSource');
  for (const status of [403, 400]) {
    h.emulator.setFaults({ failNext: { status, count: 1 } });
    const listing = await h.api.list('ingestionSource');
    assert.equal(listing.failures?.length, 1, `status ${status}`);
    assert.match(listing.failures?.[0]?.label ?? '', /^[a-z0-9-]+ · [A-Za-z_]+$/);
    const lost = full.records.filter((r) => !listing.records.some((x) => x.key === r.key));
    // Only sources of the one failed combination can be missing.
    for (const r of lost) assert.equal(r.ref.kind === 'ingestionSource' ? `${r.ref.type} · ${r.ref.dataset}` : '', listing.failures?.[0]?.label);
    assert.ok(listing.probed?.some((c) => `${c.type} · ${c.dataset}` === listing.failures?.[0]?.label), 'a failed combination is asked again on the next refresh');
  }
});

test('every question failing is an error, not an empty list', async () => {
  h.emulator.setFaults({ failNext: { status: 403, count: 32 } });
  await assert.rejects(h.api.list('ingestionSource'), (e: Error) => e.name === 'ForbiddenError');
  h.emulator.setFaults({ failNext: null });
});

test('an answer of neither shape is an invalid item naming what came, never silently empty', () => {
  const items = ingestionItems('snowflake-v2', 'Events', { id: 'x', type: 'snowflake-v2', enabled: true, data: { dataset: 'Events', whatever: [] } });
  assert.equal(items.length, 1);
  const [item] = items;
  assert.ok(item && 'issues' in item);
  assert.match(item.issues[0] ?? '', /neither data\.sources\[\] nor data\.source_name \(its keys: dataset, whatever\)/);
  assert.deepEqual(ingestionItems('snowflake-v2', 'Events', { id: 'x', type: 'snowflake-v2', enabled: true, data: { dataset: 'Events', sources: [] } }), [], 'an empty sources[] is a real empty answer');
});

test('"not configured" ingestion answers (404 on a read) are logged at debug level, not as ~28 warnings per refresh', async () => {
  h.logs.length = 0;
  await h.api.list('ingestionSource');
  const notConfigured = h.logs.filter((l) => /GET \/console\/v1\/ingestion\?/.test(l.message) && /not configured/.test(l.message));
  assert.ok(notConfigured.length > 20, `${notConfigured.length} not-configured answers`);
  assert.deepEqual(notConfigured.filter((l) => l.level !== 'debug').map((l) => l.level), []);
});
