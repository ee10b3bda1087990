// The one JSON equality: key order ignored, undefined-valued keys equal missing ones, own keys only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonEqual } from '../../src/shared/jsonPath.ts';

test('structural, order-free, undefined = missing', () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(jsonEqual({ a: 1, b: undefined }, { a: 1 }), true, 'JSON has no undefined');
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: undefined }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 2 }), false);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual({ a: null }, { a: undefined }), false, 'null is a value');
  assert.equal(jsonEqual({}, []), false);
  assert.equal(jsonEqual({ toString: 1 }, {}), false, 'own keys only');
});
