// The measure of the old mapped-column check: names that appear in the SQL but are not
// output columns (`ds` from a WHERE, `rn` from a CTE, a table's name…). The regex accepted every one;
// the analysis must never accept one: an error ("not returned") where it can tell, at worst a note
// ("cannot be known") where the warehouse names a column after its text (Databricks' unaliased CAST).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeSql, matchColumn } from '../../../src/core/sql/index.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';
import { HELD_OUT_VALID, VALID } from './corpus.ts';

before(() => useSqlParser());

test('names in the SQL that are not output columns are never accepted: an error for all but the ones a warehouse may name after an expression', () => {
  let names = 0;
  let unknown = 0;
  const accepted: string[] = [];
  for (const q of [...VALID, ...HELD_OUT_VALID]) {
    if (q.complete === false) continue;
    const analysis = analyzeSql(q.sql, q.dialect);
    assert.ok(analysis.output && analysis.output.unknown.length === 0, `${q.name}: output known`);
    const outputs = new Set(q.columns.map((c) => c.toLowerCase()));
    // Lower-case words of the SQL: the corpus writes keywords upper-case and names lower-case.
    const words = new Set((q.sql.replace(/'[^']*'/g, ' ').replace(/\{[^}]*\}/g, ' ').match(/\b[a-z_][a-z0-9_]*\b/g) ?? []));
    for (const word of words) {
      if (outputs.has(word)) continue;
      names++;
      const match = matchColumn(analysis.output, word, q.dialect);
      if (match.kind === 'unknown') unknown++;
      else if (match.kind !== 'missing') accepted.push(`${q.name} (${q.dialect}): ${word} → ${match.kind}`);
    }
  }
  assert.deepEqual(accepted, []);
  assert.ok(names >= 200, `${names} names checked`);
  assert.ok(unknown <= names / 100, `${unknown} of ${names} only noted as unknown`);
  console.log(`# ${names} names in the SQL that are not outputs: ${names - unknown} errors, ${unknown} notes, 0 accepted`);
});
