// Dot-segment names: URL normalisation would send a request for "." or ".." elsewhere (a dry run
// of "." became a create; ".." hit the list). The client refuses to build such a path and sends
// nothing; such names listed by the server are shown as not addressable, never as sources.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UnaddressableNameError, unaddressableReason } from '../../../src/core/kinds.ts';
import { harness, type Harness } from '../helpers/emulator.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

test('unaddressableReason: exactly the names a URL would rewrite', () => {
  for (const bad of ['.', '..']) assert.match(unaddressableReason(bad) ?? '', /dot segment/, bad);
  for (const fine of ['...', '.a', 'a.', 'a..b', '%2e', '%2e%2e', ' .', 'a/..', 'orders', 'a b', '\u0000']) assert.equal(unaddressableReason(fine), undefined, JSON.stringify(fine));
});

test('get, update, patch, delete and dependents of "." or ".." throw before any request', async () => {
  const before = h.emulator.stats().requests;
  for (const name of ['.', '..']) {
    await assert.rejects(h.api.get({ kind: 'metricSource', name }), UnaddressableNameError);
    await assert.rejects(h.api.update({ kind: 'metricSource', name }, { name, sql: 'SELECT 1', timestampColumn: 'x', idTypeMapping: [] }, { dryRun: true }), UnaddressableNameError);
    await assert.rejects(h.api.patch({ kind: 'entityPropertySource', name }, { description: 'x' }), UnaddressableNameError);
    await assert.rejects(h.api.delete({ kind: 'qualifyingEvent', name }), UnaddressableNameError);
    await assert.rejects(h.api.dependents({ kind: 'metricSource', name }), UnaddressableNameError);
  }
  assert.equal(h.emulator.stats().requests, before, 'no request was sent');
});

test('a source named "." in a listing is reported as not addressable, not as a source', async () => {
  const created = await h.api.create('entityPropertySource', {
    name: '.', sql: 'SELECT user_id, signup_ts FROM analytics.users', timestampColumn: 'signup_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  });
  assert.equal(created.status, 201);
  const listing = await h.api.list('entityPropertySource');
  assert.ok(!listing.records.some((r) => r.ref.kind === 'entityPropertySource' && r.ref.name === '.'));
  const item = listing.invalid.find((i) => i.label === '.');
  assert.ok(item?.unaddressable);
  assert.match(item.issues[0] ?? '', /cannot be opened, pushed or deleted/);
});
