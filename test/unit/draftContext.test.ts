// What a draft started from: decided once (src/core/draftContext.ts), carried by the save event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { draftContext, revertsToBase } from '../../src/core/draftContext.ts';
import type { SourceRef } from '../../src/core/kinds.ts';

const ref: SourceRef = { kind: 'metricSource', name: 'orders' };
const read = { name: 'orders', sql: 'SELECT 1', owner: { ownerID: 'u1' } };
const later = { name: 'orders', sql: 'SELECT 2', owner: { ownerID: 'u1' } };

test('a first save takes as base the version the document was read from, not the one fetched since', () => {
  const ctx = draftContext('p1', ref, { draft: undefined, readFrom: read, lastRemote: later });
  assert.deepEqual(ctx, { projectId: 'p1', kind: 'metricSource', ref, isNew: false, base: read, compareWith: read });
});

test('a saved draft keeps its base whatever was read or fetched since', () => {
  const ctx = draftContext('p1', ref, { draft: { base: read, isNew: false }, readFrom: later, lastRemote: later });
  assert.equal(ctx.base, read);
  assert.equal(ctx.compareWith, read);
});

test('an unknown base stays unknown (push asks); local checks compare with Statsig\'s version as last read', () => {
  const restored = draftContext('p1', ref, { draft: undefined, readFrom: undefined, lastRemote: later });
  assert.equal(restored.base, null);
  assert.equal(restored.compareWith, later);
  const savedUnknown = draftContext('p1', ref, { draft: { base: null, isNew: false }, readFrom: read, lastRemote: later });
  assert.equal(savedUnknown.base, null);
  assert.equal(savedUnknown.compareWith, later);
});

test('a new source has no base and nothing to compare with, even when something of that name was read', () => {
  const ctx = draftContext('p1', ref, { draft: { base: null, isNew: true }, readFrom: read, lastRemote: later });
  assert.equal(ctx.isNew, true);
  assert.equal(ctx.base, null);
  assert.equal(ctx.compareWith, undefined);
});

test('saving exactly the base (server-owned fields aside) reverts; any other change, a new source or an unknown base does not', () => {
  const ctx = draftContext('p1', ref, { draft: undefined, readFrom: read, lastRemote: undefined });
  assert.equal(revertsToBase(ctx, { name: 'orders', sql: 'SELECT 1' }), true);
  assert.equal(revertsToBase(ctx, { name: 'orders', sql: 'SELECT 1', description: '' }), false);
  assert.equal(revertsToBase(draftContext('p1', ref, { draft: { base: null, isNew: true }, readFrom: read, lastRemote: read }), read), false);
  assert.equal(revertsToBase(draftContext('p1', ref, { draft: undefined, readFrom: undefined, lastRemote: read }), read), false);
});

test('property: the base is the draft\'s when there is a draft, else what was read; compareWith never invents a version', () => {
  const json = fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), { nil: undefined });
  const draft = fc.option(fc.record({ base: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), { nil: null }), isNew: fc.boolean() }), { nil: undefined });
  fc.assert(fc.property(draft, json, json, (d, readFrom, lastRemote) => {
    const ctx = draftContext('p', ref, { draft: d, readFrom, lastRemote });
    assert.equal(ctx.base, d ? d.base : (readFrom ?? null));
    assert.equal(ctx.isNew, d?.isNew ?? false);
    if (ctx.isNew) assert.equal(ctx.compareWith, undefined);
    else assert.equal(ctx.compareWith, ctx.base ?? lastRemote);
  }), { seed: 10, numRuns: 500 });
});
