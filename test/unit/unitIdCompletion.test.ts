// Where a unit ID type is being typed in a source's JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitIdSlotAt } from '../../src/core/unitIdCompletion.ts';

const text = '{\n  "name": "m",\n  "idTypeMapping": [\n    { "statsigUnitID": "use", "column": "user_id" },\n    { "statsigUnitID": }\n  ]\n}\n';

test('inside the value of idTypeMapping[n].statsigUnitID: the string to replace', () => {
  const at = text.indexOf('"use"') + 2;
  const slot = unitIdSlotAt(text, at);
  assert.deepEqual(slot?.replace && text.slice(slot.replace.start, slot.replace.end), '"use"');
});

test('an empty value is a slot too; keys, other fields and other paths are not', () => {
  assert.ok(unitIdSlotAt(text, text.indexOf('"statsigUnitID": }') + '"statsigUnitID": '.length));
  assert.equal(unitIdSlotAt(text, text.indexOf('"statsigUnitID"') + 3), undefined, 'on the key');
  assert.equal(unitIdSlotAt(text, text.indexOf('"user_id"') + 2), undefined, 'the column');
  assert.equal(unitIdSlotAt(text, text.indexOf('"m"') + 1), undefined, 'the name');
});
