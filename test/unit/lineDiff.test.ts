// The plan's unified diff: applying its hunks to the old text gives the new one, exactly (final
// newline included), and equal texts give no diff.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../src/core/lineDiff.ts';

/** Applies a unified diff to `a` (a minimal patch(1), strict: context must match). */
function apply(a: string, diff: string): string {
  const lines = a === '' ? [] : a.split('\n');
  const aLines = a.endsWith('\n') || a === '' ? lines.slice(0, -1 + (a === '' ? 1 : 0)) : lines;
  let aNoEol = a !== '' && !a.endsWith('\n');
  const out: string[] = [];
  let pos = 0;
  let bNoEol = false;
  const rows = diff.split('\n').slice(2, -1);
  let lastMark = '';
  for (const row of rows) {
    if (row.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(row);
      assert.ok(m, row);
      const start = Number(m[1]) - (m[2] === '0' ? 0 : 1);
      while (pos < start) out.push(aLines[pos++] ?? '');
      continue;
    }
    if (row === '\\ No newline at end of file') {
      if (lastMark === '+' || lastMark === ' ') bNoEol = true;
      if (lastMark === '-' || lastMark === ' ') aNoEol = false;
      continue;
    }
    lastMark = row[0] ?? '';
    const text = row.slice(1);
    if (lastMark === ' ' || lastMark === '-') {
      assert.equal(aLines[pos], text, `context/removed line ${pos}`);
      pos++;
    }
    if (lastMark === ' ' || lastMark === '+') out.push(text);
  }
  while (pos < aLines.length) out.push(aLines[pos++] ?? '');
  if (aNoEol && pos === aLines.length && out.length > 0 && !bNoEol) bNoEol = true;
  return out.length === 0 ? '' : `${out.join('\n')}${bNoEol ? '' : '\n'}`;
}

test('unifiedDiff: the hunks and line numbers diff -u prints', () => {
  const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
  const b = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';
  assert.equal(unifiedDiff(a, b, { from: 'statsig', to: 'files' }),
    '--- statsig\n+++ files\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n');
  assert.equal(unifiedDiff('select 1', 'select 1\n', { from: 'x', to: 'y' }), '--- x\n+++ y\n@@ -1 +1 @@\n-select 1\n\\ No newline at end of file\n+select 1\n');
  assert.equal(unifiedDiff('', 'a\n', { from: 'x', to: 'y' }), '--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n');
  assert.equal(unifiedDiff('same\n', 'same\n', { from: 'x', to: 'y' }), '');
});

test('unifiedDiff: applying the diff to the old text gives the new text (property)', () => {
  const text = fc.array(fc.constantFrom('select', 'from t', 'where x', '', 'a', 'b'), { maxLength: 14 }).chain((lines) =>
    fc.boolean().map((eol) => (lines.length === 0 ? '' : `${lines.join('\n')}${eol ? '\n' : ''}`)));
  fc.assert(fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
    const diff = unifiedDiff(a, b, { from: 'a', to: 'b', context });
    if (a === b) return diff === '';
    assert.equal(apply(a, diff), b);
    return true;
  }), { numRuns: 500 });
});
