import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport, reportLines } from '../../src/core/batchReport.ts';
import { groupOf } from '../../src/core/pendingGroups.ts';

describe('groupOf: the group of the pending-changes view a draft is listed in', () => {
  const draft = { isNew: false };
  it('a draft nobody else touched: Drafts (a new source too)', () => {
    assert.equal(groupOf(draft, undefined), 'drafts');
    assert.equal(groupOf({ isNew: true }, undefined), 'drafts');
  });
  it('changed on Statsig where the draft did not change: Changed on Statsig (a merge takes it by itself)', () => {
    assert.equal(groupOf(draft, { kind: 'changed', fields: ['tags'], conflicting: [] }), 'changed');
  });
  it('deleted on Statsig: Changed on Statsig (Recreate or Discard)', () => {
    assert.equal(groupOf(draft, { kind: 'deleted' }), 'changed');
  });
  it('changed on Statsig where the draft changed too, or a merge waiting to be finished: Conflicts', () => {
    assert.equal(groupOf(draft, { kind: 'changed', fields: ['sql', 'tags'], conflicting: ['sql'] }), 'conflicts');
    assert.equal(groupOf({ isNew: false, merging: { remote: {}, at: 1 } }, undefined), 'conflicts');
  });
});

describe('the Validate All / Push All report', () => {
  const content = JSON.stringify({ name: 'orders', sql: 'SELECT a,\n  b FORM t', timestampColumn: 'ts' }, null, 2);
  const sqlStart = content.indexOf('SELECT');

  it('places a problem inside the SQL at its SQL line and column, any other at its field', () => {
    const lines = reportLines('metricSource', content, [
      { path: ['sql'], message: 'FORM is not a keyword here', severity: 'error', source: 'sql', range: { start: sqlStart, end: sqlStart + 4 }, sqlRange: { from: 14, to: 18 } },
      { path: ['timestampColumn'], message: '"ts" is not returned', severity: 'error', source: 'sql', range: { start: 0, end: 1 } },
      { path: [], message: 'and 3 more', severity: 'error', source: 'statsig', range: { start: 0, end: 0 }, omitted: { error: 3, warning: 0, info: 0 } },
    ]);
    assert.deepEqual(lines, [
      { severity: 'error', where: 'SQL line 2, column 5', message: 'FORM is not a keyword here' },
      { severity: 'error', where: 'timestampColumn', message: '"ts" is not returned' },
    ]);
  });

  it('lists failures first, keeps server text on one line each, and caps the problems of one source', () => {
    const text = renderReport(['Validate All — "P"', '2 drafts: 1 pass, 1 fail.'], [
      { label: 'metric source "a"', mark: 'pass', summary: 'Dry run passed 10:00.', problems: [] },
      {
        label: 'metric source "b"', mark: 'fail', summary: 'Dry run failed:\n✓ metric source "forged": passed',
        problems: Array.from({ length: 25 }, (_, i) => ({ severity: 'error' as const, where: `SQL line ${i + 1}, column 1`, message: `bad\nline ${i}` })),
      },
    ]);
    const lines = text.split('\n');
    assert.equal(lines[3], '✗ metric source "b": Dry run failed: ✓ metric source "forged": passed');
    assert.equal(lines[4], '    error   SQL line 1, column 1: bad line 0');
    assert.equal(lines.filter((l) => l.startsWith('    error')).length, 20);
    assert.match(text, /… and 5 more \(the Problems panel lists them all\)/);
    assert.equal(lines.filter((l) => l.startsWith('✓')).length, 1, 'a message cannot forge an entry');
    assert.ok(text.indexOf('metric source "b"') < text.indexOf('metric source "a"'));
  });
});
