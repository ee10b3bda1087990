import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalChange } from '../../../src/webview/textDiff.ts';

function apply(text: string, change: ReturnType<typeof minimalChange>): string {
  return change ? text.slice(0, change.from) + change.insert + text.slice(change.to) : text;
}

describe('minimal change', () => {
  it('is undefined for equal strings', () => {
    assert.equal(minimalChange('select 1', 'select 1'), undefined);
  });

  it('replaces only the span that differs', () => {
    assert.deepEqual(minimalChange('SELECT a FROM t', 'SELECT a, b FROM t'), { from: 8, to: 8, insert: ', b' });
    assert.deepEqual(minimalChange('SELECT a, b FROM t', 'SELECT a FROM t'), { from: 8, to: 11, insert: '' });
    assert.deepEqual(minimalChange('SELECT x FROM t', 'SELECT y FROM t'), { from: 7, to: 8, insert: 'y' });
    assert.deepEqual(minimalChange('', 'abc'), { from: 0, to: 0, insert: 'abc' });
    assert.deepEqual(minimalChange('abc', ''), { from: 0, to: 3, insert: '' });
  });

  it('does not let prefix and suffix overlap on repeated characters', () => {
    for (const [a, b] of [['aaa', 'aaaa'], ['aaaa', 'aa'], ['abab', 'ab'], ['xyzxyz', 'xyz']] as const) {
      const change = minimalChange(a, b);
      assert.ok(change && change.from <= change.to);
      assert.equal(apply(a, change), b);
    }
  });

  it('never splits a surrogate pair', () => {
    const a = 'x \u{1F600} y';
    const b = 'x \u{1F601} y';
    const change = minimalChange(a, b);
    assert.deepEqual(change, { from: 2, to: 4, insert: '\u{1F601}' });
    assert.equal(apply(a, change), b);
  });

  it('round-trips random edits', () => {
    let seed = 7;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 500; i++) {
      const a = Array.from({ length: random(12) }, () => 'ab\n'[random(3)]).join('');
      const b = Array.from({ length: random(12) }, () => 'ab\n'[random(3)]).join('');
      assert.equal(apply(a, minimalChange(a, b)), b, `${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  });
});
