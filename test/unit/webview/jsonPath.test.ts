import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatPath, getAt, isPathPrefix, jsonEqual, pathKey, removeAt, setAt,
} from '../../../src/shared/jsonPath.ts';

const doc = { name: 'orders', tags: ['a', 'b'], idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], nested: { x: { y: 1 } } };

describe('json paths', () => {
  it('reads values by path, undefined when a step is missing or of the wrong shape', () => {
    assert.equal(getAt(doc, ['idTypeMapping', 0, 'column']), 'user_id');
    assert.equal(getAt(doc, ['tags', 1]), 'b');
    assert.deepEqual(getAt(doc, []), doc);
    assert.equal(getAt(doc, ['idTypeMapping', 3, 'column']), undefined);
    assert.equal(getAt(doc, ['tags', 'length']), undefined, 'no properties of arrays by name');
    assert.equal(getAt(doc, ['name', 0]), undefined);
    assert.equal(getAt(doc, ['toString']), undefined, 'no inherited properties');
  });

  it('sets values without touching the original, creating missing parents', () => {
    const next = setAt(doc, ['idTypeMapping', 0, 'column'], 'uid');
    assert.equal(getAt(next, ['idTypeMapping', 0, 'column']), 'uid');
    assert.equal(doc.idTypeMapping[0]?.column, 'user_id');
    assert.equal(getAt(next, ['nested']), doc.nested, 'untouched subtrees are shared');
    assert.deepEqual(setAt({}, ['a', 'b', 0], 'x'), { a: { b: ['x'] } });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const next = setAt({}, ['__proto__', 'polluted'], true) as Record<string, unknown>;
    assert.ok(Object.hasOwn(next, '__proto__'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(next), Object.prototype);
  });

  it('removes keys and array items', () => {
    assert.deepEqual(removeAt(doc, ['nested', 'x', 'y']), { ...doc, nested: { x: {} } });
    assert.deepEqual(getAt(removeAt(doc, ['tags', 0]), ['tags']), ['b']);
    assert.equal(removeAt(doc, ['absent', 'x']), doc);
    assert.equal(removeAt(doc, ['absent']), doc);
  });

  it('compares paths', () => {
    assert.ok(isPathPrefix(['idTypeMapping'], ['idTypeMapping', 1, 'column']));
    assert.ok(isPathPrefix([], ['x']));
    assert.ok(!isPathPrefix(['idTypeMapping', 0], ['idTypeMapping', 1, 'column']));
    assert.ok(!isPathPrefix(['a', 'b'], ['a']));
    assert.ok(!isPathPrefix([1], ['1']), 'an index is not a key');
    assert.notEqual(pathKey([1]), pathKey(['1']));
  });

  it('formats paths in the Console API notation', () => {
    const cases: [(string | number)[], string][] = [
      [['idTypeMapping', 1, 'column'], 'idTypeMapping[1].column'],
      [['name'], 'name'],
      [['column_mapping', 'ids', 'userID'], 'column_mapping.ids.userID'],
      [['metadata', 'app version'], 'metadata["app version"]'],
      [[0, 'a'], '[0].a'],
      [[], ''],
    ];
    for (const [path, text] of cases) assert.equal(formatPath(path), text);
  });

  it('compares JSON values structurally', () => {
    assert.ok(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] }));
    assert.ok(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 }));
    assert.ok(jsonEqual({ a: 1 }, { a: 1, b: undefined }), 'one rule for the whole project: undefined is the same as missing (JSON has no undefined)');
    assert.ok(!jsonEqual([1, 2], [2, 1]));
    assert.ok(!jsonEqual('1', 1));
  });
});
