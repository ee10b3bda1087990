// One path notation both ways: formatPath writes what parsePropertyPath (the Console API's
// errors[].property) reads back, whatever the keys hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parsePropertyPath } from '../../src/core/document.ts';
import { formatPath } from '../../src/shared/jsonPath.ts';

test('identifier keys and indexes read as the Console API writes them; odd keys are quoted', () => {
  assert.equal(formatPath(['idTypeMapping', 1, 'column']), 'idTypeMapping[1].column');
  assert.equal(formatPath(['column_mapping', 'ids', 'my id']), 'column_mapping.ids["my id"]');
  assert.deepEqual(parsePropertyPath('column_mapping.ids["my id"]'), ['column_mapping', 'ids', 'my id']);
  assert.deepEqual(parsePropertyPath('a["x\\"]y"].b'), ['a', 'x"]y', 'b']);
});

test('property: parsePropertyPath(formatPath(path)) is the path', () => {
  const segment = fc.oneof(fc.string({ maxLength: 8 }), fc.nat({ max: 1_000_000 }), fc.constantFrom('a.b', '[0]', '"', '\\', ']', 'x y', '0'));
  fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), (path) => {
    assert.deepEqual(parsePropertyPath(formatPath(path)), path);
  }), { seed: 11, numRuns: 2_000 });
});
