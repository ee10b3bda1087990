// The host enforces read-only, identity and server-owned fields on edits from the webview.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editRefusal, readOnlyFields } from '../../src/core/editPolicy.ts';

test('server-owned, identity and immutable fields are refused; ordinary fields pass', () => {
  assert.match(editRefusal('metricSource', false, ['owner']) ?? '', /read-only/);
  assert.match(editRefusal('metricSource', false, ['owner', 'ownerName']) ?? '', /read-only/, 'nested inside a read-only field');
  assert.match(editRefusal('assignmentSource', false, ['name']) ?? '', /read-only/);
  assert.match(editRefusal('ingestionSource', false, ['source_name']) ?? '', /read-only/);
  assert.match(editRefusal('ingestionSource', false, ['id']) ?? '', /read-only/);
  assert.equal(editRefusal('metricSource', false, ['sql']), undefined);
  assert.equal(editRefusal('metricSource', false, ['idTypeMapping', 0, 'column']), undefined);
  assert.equal(editRefusal('ingestionSource', false, ['column_mapping', 'ids', 'userID']), undefined);
});

test('prototype keys and non-field paths are refused', () => {
  for (const p of [['__proto__'], ['constructor', 'x'], ['prototype'], [0]]) assert.ok(editRefusal('metricSource', false, p), JSON.stringify(p));
});

test('the read-only list is what the form is told (identity always; immutable ones only once created)', () => {
  assert.deepEqual(readOnlyFields('metricSource', false), ['owner', 'name']);
  assert.deepEqual(readOnlyFields('ingestionSource', true), ['id', 'type', 'dataset', 'source_name']);
});
