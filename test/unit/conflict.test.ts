// Push's conflict decision, field by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remoteChanges, sameAsRemote } from '../../src/core/conflict.ts';

const base = { name: 'm', sql: 'SELECT 1', description: 'old', tags: ['a'], owner: { ownerID: 'u1' } };

test('a field changed on Statsig that the draft already holds is not a conflict', () => {
  const remote = { ...base, description: 'theirs' };
  const draft = { ...base, description: 'theirs', sql: 'SELECT 2' };
  assert.deepEqual(remoteChanges(base, remote, draft, ['owner']), { changedOnStatsig: ['description'], overwritten: [] });
});

test('a field changed on Statsig that the draft holds differently is overwritten', () => {
  const remote = { ...base, description: 'theirs', tags: ['a', 'b'] };
  const draft = { ...base, description: 'mine' };
  assert.deepEqual(remoteChanges(base, remote, draft, ['owner']), { changedOnStatsig: ['description', 'tags'], overwritten: ['description', 'tags'] });
});

test('server-owned fields and untouched fields never count; added and removed fields do', () => {
  assert.deepEqual(remoteChanges(base, { ...base, owner: { ownerID: 'u2' } }, { ...base, sql: 'x' }, ['owner']).changedOnStatsig, []);
  const { description: _d, ...withoutDescription } = base;
  assert.deepEqual(remoteChanges(base, { ...withoutDescription, extra: 1 }, base, ['owner']), { changedOnStatsig: ['description', 'extra'], overwritten: ['description', 'extra'] });
});

test('sameAsRemote ignores server-owned fields and key order', () => {
  assert.equal(sameAsRemote({ tags: ['a'], description: 'old', sql: 'SELECT 1', name: 'm' }, base, ['owner']), true);
  assert.equal(sameAsRemote({ ...base, sql: 'SELECT 2' }, base, ['owner']), false);
});
