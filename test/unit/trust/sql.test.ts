// The issue "Trust": what a hostile or pathological document did to the save pipeline and the
// editor. Each test here failed on the code before the fix; speed is measured by
// `npm run bench:validate`, never asserted in a unit test. Re-targeted from the regex column
// check (src/core/sqlCheck.ts, removed) to the parser's output columns (src/core/sql).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeSql, matchColumn } from '../../../src/core/sql/analyze.ts';
import type { SqlDialect } from '../../../src/core/sql/dialects.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';

before(() => useSqlParser());

const match = (sql: string, column: string, dialect: SqlDialect = 'duckdb') => {
  const output = analyzeSql(sql, dialect).output;
  assert.ok(output, `no output for ${sql.slice(0, 80)}`);
  return matchColumn(output, column, dialect).kind;
};

describe('Trust: user strings never become regular expressions', () => {
  it('a 32K-character column name is checked, never thrown on ("regular expression too large")', () => {
    const column = 'c'.repeat(32 * 1024);
    assert.equal(match('select 1 as one', column), 'missing');
    assert.equal(match(`select ${column} from t`, column.toUpperCase()), 'found');
    assert.equal(match(`select "${column}.x" from t`, `${column}.x`), 'found');
  });

  it('column names with regex characters are plain text', () => {
    assert.equal(match('select "a.b(c)" from t', 'a.b(c)'), 'found');
    assert.equal(match('select axb from t', 'a.b'), 'missing');
    assert.equal(match('select "[x" from t', '[x'), 'found');
  });

  it('an unterminated /* is one error at its start, whatever follows', () => {
    const a = analyzeSql(`select 1 /*${' /*'.repeat(1000)}`, 'duckdb');
    assert.deepEqual(a.problems.map((p) => [p.from, p.message]), [[9, 'This comment is never closed (missing */).']]);
  });

  it('strings and comments are not columns, quoted identifiers and aliases are; one analysis answers many names', () => {
    const output = analyzeSql(`select "Event Name", user_id, 'ts' as x -- plan\nfrom t /* country */`, 'duckdb').output;
    assert.ok(output);
    assert.deepEqual(['event name', 'USER_ID', 'ts', 'x', 'plan', 'country', 'user'].map((c) => matchColumn(output, c, 'duckdb').kind),
      ['found', 'found', 'missing', 'found', 'missing', 'missing', 'missing']);
  });
});
