import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSourceText } from '../../../src/webview/sourceText.ts';

describe('source text', () => {
  it('parses a JSON object', () => {
    assert.deepEqual(parseSourceText('{"name": "orders", "tags": []}'), { ok: true, value: { name: 'orders', tags: [] } });
  });

  it('says what is wrong and where, 1-based', () => {
    assert.deepEqual(parseSourceText('{\n  "name": "orders",\n}'), { ok: false, message: 'a property name was expected', line: 3, column: 1 });
    assert.deepEqual(parseSourceText('{"a": 1 // note\n}'), { ok: false, message: 'comments are not allowed in JSON', line: 1, column: 9 });
    assert.deepEqual(parseSourceText('{"a": "x'), { ok: false, message: 'unterminated string', line: 1, column: 7 });
    const empty = parseSourceText('');
    assert.ok(!empty.ok);
    assert.equal(empty.line, 1);
  });

  it('wants an object, not another JSON value', () => {
    for (const [text, what] of [['[]', 'an array'], ['null', 'null'], ['"x"', 'a string'], ['3', 'a number']] as const) {
      const parsed = parseSourceText(text);
      assert.ok(!parsed.ok);
      assert.equal(parsed.message, `a source must be a JSON object, not ${what}`);
    }
  });

  it('keeps "__proto__" as data', () => {
    const parsed = parseSourceText('{"__proto__": {"polluted": true}}');
    assert.ok(parsed.ok);
    assert.ok(Object.hasOwn(parsed.value, '__proto__'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
