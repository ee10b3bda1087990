// Push's conflict decision, field by field.
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { decidePush, remoteChanges, sameAsRemote } from '../../src/core/pushDecision.ts';

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

describe('decidePush', () => {
  const ref = { kind: 'metricSource' as const, name: 'm' };
  const remote = { name: 'm', sql: 'SELECT 1', description: 'old', tags: ['a'], timestampColumn: 'ts', idTypeMapping: [], owner: { ownerID: 'u1' } };
  const decide = (draft: { value: Record<string, unknown>; isNew: boolean; base: Record<string, unknown> | null }, now: Record<string, unknown> | undefined) =>
    decidePush({ kind: 'metricSource', ref, draft, remote: now });

  it('a new source whose name is taken, a source deleted on Statsig: nothing to push, said so', () => {
    assert.deepEqual(decide({ value: remote, isNew: true, base: null }, remote), { action: 'existsAlready' });
    assert.deepEqual(decide({ value: remote, isNew: false, base: remote }, undefined), { action: 'deletedOnStatsig' });
  });

  it('create, update (sql changed), or nothing when the draft equals Statsig\'s version', () => {
    const created = decide({ value: remote, isNew: true, base: null }, undefined);
    assert.ok(created.action === 'push' && created.plan.mode === 'create' && created.conflict === undefined);
    const updated = decide({ value: { ...remote, sql: 'SELECT 2' }, isNew: false, base: remote }, remote);
    assert.ok(updated.action === 'push');
    assert.equal(updated.plan.mode, 'update');
    assert.deepEqual(updated.plan.changed, ['sql']);
    const same = decide({ value: remote, isNew: false, base: remote }, { ...remote, owner: { ownerID: 'u2' } });
    assert.ok(same.action === 'push' && same.plan.mode === 'none' && same.conflict === undefined, 'server-owned fields do not count');
  });

  it('conflicts: unknown base; fields changed on Statsig that the draft holds differently; none when the draft already has them', () => {
    const unknown = decide({ value: { ...remote, sql: 'SELECT 2' }, isNew: false, base: null }, remote);
    assert.ok(unknown.action === 'push');
    assert.deepEqual(unknown.conflict, { reason: 'unknownBase' });
    const theirs = { ...remote, description: 'theirs' };
    const clash = decide({ value: { ...remote, description: 'mine' }, isNew: false, base: remote }, theirs);
    assert.ok(clash.action === 'push');
    assert.deepEqual(clash.conflict, { reason: 'changedOnStatsig', fields: ['description'] });
    const merged = decide({ value: { ...theirs, sql: 'SELECT 2' }, isNew: false, base: remote }, theirs);
    assert.ok(merged.action === 'push' && merged.conflict === undefined && merged.plan.mode === 'update');
  });
});
