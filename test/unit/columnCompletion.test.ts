// Open as JSON: where a mapped column is typed or hovered, the query's output columns, the hover's code block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { codeBlock, columnHoverAt, columnHoverMarkdown, markdownText, columnSlotAt, outputColumnChoices, sourceSqlOf } from '../../src/core/columnCompletion.ts';
import { KindIds } from '../../src/core/kinds.ts';
import { useSqlParser } from './helpers/sqlParser.ts';

useSqlParser();

const sql = 'WITH x AS (SELECT user_id, ts FROM analytics.exposures)\nSELECT user_id, CAST(ts AS DATE) AS exposure_day, \'exp_1\' AS experiment_id, upper(g) AS "Group" FROM x';
const assignment = JSON.stringify({
  name: 'a', sql,
  timestampColumn: 'exposure_day', experimentIDColumn: 'experiment_id', groupIDColumn: 'gro', groupNameColumn: '',
  idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'user_id' }],
  description: 'user_id',
}, null, 2);
const at = (text: string, needle: string, plus = 1) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + plus;
};

test('every column field the assignment descriptor names is a slot; keys, the SQL and other fields are not', () => {
  for (const [needle, path] of [
    ['"exposure_day"', ['timestampColumn']],
    ['"experiment_id"', ['experimentIDColumn']],
    ['"gro"', ['groupIDColumn']],
    ['""', ['groupNameColumn']],
  ] as const) {
    const slot = columnSlotAt('assignmentSource', assignment, at(assignment, needle));
    assert.deepEqual(slot?.path, path, needle);
    assert.equal(slot.replace && assignment.slice(slot.replace.start, slot.replace.end), needle);
  }
  const second = assignment.indexOf('"user_id"', assignment.indexOf('stableID'));
  assert.deepEqual(columnSlotAt('assignmentSource', assignment, second + 2)?.path, ['idTypeMapping', 1, 'column']);
  assert.equal(columnSlotAt('assignmentSource', assignment, at(assignment, '"timestampColumn"', 3)), undefined, 'on the key');
  assert.equal(columnSlotAt('assignmentSource', assignment, at(assignment, '"userID"')), undefined, 'the unit ID type');
  assert.equal(columnSlotAt('assignmentSource', assignment, assignment.lastIndexOf('"user_id"') + 2), undefined, 'the description');
  assert.equal(columnSlotAt('assignmentSource', assignment, at(assignment, 'SELECT')), undefined, 'the SQL');
});

test('a field that exists on another kind only is no slot (entity property sources map only timestampColumn)', () => {
  const text = '{ "sql": "SELECT 1 AS a", "experimentIDColumn": "", "timestampColumn": "" }';
  assert.equal(columnSlotAt('entityPropertySource', text, at(text, '"experimentIDColumn": ""', 23)), undefined);
  assert.ok(columnSlotAt('entityPropertySource', text, at(text, '"timestampColumn": ""', 20)));
  assert.ok(columnSlotAt('metricSource', '{ "datePartitionColumn": "" }', 26));
});

test('ingestion column_mapping: its column keys, ids.* and metadata.*; id_type is not a column', () => {
  const text = '{ "query": "SELECT 1 AS u", "column_mapping": { "unit_id": "u", "id_type": "user_id", "ids": { "userID": "" }, "metadata": { "k": "" } } }';
  assert.deepEqual(columnSlotAt('ingestionSource', text, at(text, '"u"'))?.path, ['column_mapping', 'unit_id']);
  assert.deepEqual(columnSlotAt('ingestionSource', text, at(text, '"userID": ""', 11))?.path, ['column_mapping', 'ids', 'userID']);
  assert.deepEqual(columnSlotAt('ingestionSource', text, at(text, '"k": ""', 6))?.path, ['column_mapping', 'metadata', 'k']);
  assert.equal(columnSlotAt('ingestionSource', text, at(text, '"user_id"')), undefined);
  assert.deepEqual(outputColumnChoices('ingestionSource', text, 'duckdb').map((c) => c.name), ['u']);
});

test('half-typed JSON still has its slot and its SQL: an empty value, an unclosed string', () => {
  const empty = `{ "sql": ${JSON.stringify(sql)}, "timestampColumn": `;
  const slot = columnSlotAt('assignmentSource', empty, empty.length);
  assert.deepEqual(slot, { path: ['timestampColumn'], replace: undefined, value: undefined });
  assert.deepEqual(outputColumnChoices('assignmentSource', empty, 'snowflake').map((c) => c.name), ['user_id', 'exposure_day', 'experiment_id', 'Group']);
  const open = `{ "sql": ${JSON.stringify(sql)}, "groupIDColumn": "exp`;
  assert.equal(columnSlotAt('assignmentSource', open, open.length)?.value, 'exp');
});

test('the output columns carry their expressions; a metric source reading a table has none; SQL that does not parse has none', () => {
  const choices = outputColumnChoices('assignmentSource', assignment, 'snowflake');
  assert.deepEqual(choices.find((c) => c.name === 'exposure_day')?.expression, 'CAST(ts AS DATE)');
  assert.deepEqual(outputColumnChoices('metricSource', '{ "sourceType": "table", "sql": "SELECT 1 AS a", "timestampColumn": "" }', 'snowflake'), []);
  assert.deepEqual(outputColumnChoices('assignmentSource', '{ "sql": "SELECT a,, FROM t", "timestampColumn": "" }', 'snowflake'), []);
  assert.equal(sourceSqlOf('ingestionSource', '{ "query": "SELECT 1" }'), 'SELECT 1');
});

test('hover: the expression of the column the value names (case per the dialect), nothing for a missing column', () => {
  const h = columnHoverAt('assignmentSource', assignment, at(assignment, '"exposure_day"', 3), 'snowflake');
  assert.deepEqual(h && { column: h.column, expression: h.expression, text: assignment.slice(h.range.start, h.range.end) }, { column: 'exposure_day', expression: 'CAST(ts AS DATE)', text: '"exposure_day"' });
  assert.equal(columnHoverAt('assignmentSource', assignment, at(assignment, '"gro"'), 'snowflake'), undefined, 'not returned');
  const quoted = assignment.replace('"gro"', '"group"');
  assert.equal(columnHoverAt('assignmentSource', quoted, at(quoted, '"group"'), 'snowflake')?.expression, 'upper(g)', 'a case-only match still names it');
  assert.equal(columnHoverAt('assignmentSource', assignment, at(assignment, '"timestampColumn"', 2), 'snowflake'), undefined, 'the key');
});

test('codeBlock: a fence no backtick run in the code can close', () => {
  assert.equal(codeBlock('SELECT 1', 'sql'), '```sql\nSELECT 1\n```\n');
  const nasty = 'SELECT "```" AS x\n````\n[link](command:workbench.action.quit) <img src=x>';
  const block = codeBlock(nasty, 'sql');
  assert.ok(block.startsWith('`````sql\n'));
  assert.ok(block.endsWith('\n`````\n'));
  assert.equal(block.slice('`````sql\n'.length, -'\n`````\n'.length), nasty);
});

test('the hover names the column as plain text (escaped) and shows the expression as a code block', () => {
  assert.equal(markdownText('a_b [x](command:y) <b>'), 'a\\_b \\[x\\]\\(command\\:y\\) \\<b\\>');
  assert.equal(columnHoverMarkdown({ column: 'group_id', expression: 'upper(g)' }), 'Column group\\_id of this query:\n\n```sql\nupper(g)\n```\n');
});

test('property: slot, choices and hover never throw and stay inside the text, for arbitrary text and offsets', () => {
  const jsonish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.tuple(fc.constantFrom(assignment, '{ "query": "SELECT 1 AS u", "column_mapping": { "ids": { "a": "' ), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
      .map(([t, a, b, s]) => t.slice(0, a % (t.length + 1)) + s + t.slice(b % (t.length + 1))),
  );
  fc.assert(fc.property(fc.constantFrom(...KindIds), jsonish, fc.integer({ min: -5, max: 400 }), fc.constantFrom('snowflake', 'bigquery', 'duckdb' as const), (kind, text, offset, dialect) => {
    const slot = columnSlotAt(kind, text, offset);
    if (slot?.replace) assert.ok(slot.replace.start >= 0 && slot.replace.end <= text.length && slot.replace.start <= slot.replace.end);
    outputColumnChoices(kind, text, dialect);
    const hover = columnHoverAt(kind, text, offset, dialect);
    if (hover) assert.ok(hover.range.start >= 0 && hover.range.end <= text.length);
  }), { numRuns: 500 });
});
