// analyzeSql: syntax errors on the exact token with plain messages, output columns through CTEs,
// subqueries and aliases, tables read, and how a mapped column relates to the output.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeSql, matchColumn, MAX_SQL_LENGTH, outputColumnNames, type SqlAnalysis } from '../../../src/core/sql/analyze.ts';
import type { SqlDialect } from '../../../src/core/sql/dialects.ts';
import { resetSqlParserForTests } from '../../../src/core/sql/parser.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';

before(() => useSqlParser());

const errorOf = (sql: string, dialect: SqlDialect = 'snowflake') => {
  const p = analyzeSql(sql, dialect).problems.find((x) => x.severity === 'error');
  return p ? { at: sql.slice(p.from, p.to), message: p.message } : undefined;
};
const names = (a: SqlAnalysis) => a.output?.columns.map((c) => c.name ?? c.expression);

describe('analyzeSql: syntax errors', () => {
  it('says what was expected after what, on the token', () => {
    assert.deepEqual(errorOf('SELECT a FROM t WHERE AND b = 1'), { at: 'AND', message: 'Expected an expression after WHERE, found AND.' });
    assert.deepEqual(errorOf('SELECT a FROM t WHERE = 1', 'postgres'), { at: '=', message: 'Expected an expression after WHERE, found "=".' });
    assert.deepEqual(errorOf('SELECT a, b FORM t'), { at: 'FORM', message: '"FORM" is not a keyword here: did you mean FROM?' });
    assert.deepEqual(errorOf('SELCT a FROM t'), { at: 'SELCT', message: '"SELCT" is not a keyword here: did you mean SELECT?' });
    assert.deepEqual(errorOf("SELECT a FROM t WHERE d BETWEEN '2024-01-01'"), { at: "'2024-01-01'", message: 'BETWEEN needs AND (BETWEEN low AND high), found the end of the query.' });
    assert.deepEqual(errorOf('SELECT count(a FROM t'), { at: 'FROM', message: 'Expected ) to close the count( at line 1, column 13, found FROM.' });
    assert.deepEqual(errorOf('SELECT a b c FROM t'), { at: 'c', message: 'Unexpected "c" after "b": is a comma or an operator missing before it?' });
  });

  it('positions count UTF-16 in the user\'s text: tabs, CRLF, emoji and macros before the error', () => {
    const sql = "SELECT '😀😀',\t{statsig_start_date} AS d\r\nFROM t\r\nWHERE x = 1 AND AND y";
    assert.deepEqual(errorOf(sql)?.at, 'AND');
    const p = analyzeSql(sql, 'snowflake').problems[0];
    assert.equal(p?.from, sql.lastIndexOf('AND'));
    const emoji = "SELECT '😀😀' AS e, x y z FROM t";
    assert.equal(errorOf(emoji)?.at, 'z');
  });

  it('an error inside a macro\'s literal marks the whole macro', () => {
    const sql = 'SELECT a FROM t WHERE {statsig_start_date} {statsig_end_date}';
    assert.equal(errorOf(sql)?.at, '{statsig_end_date}');
  });

  it('unclosed strings, quoted names and comments: from the opening to the end of its line', () => {
    assert.deepEqual(errorOf("SELECT 'abc FROM t\nWHERE 1"), { at: "'abc FROM t", message: "This string is never closed (missing ')." });
    assert.deepEqual(errorOf('SELECT "abc FROM t'), { at: '"abc FROM t', message: 'This quoted name is never closed (missing ").' });
    assert.deepEqual(errorOf('SELECT `abc FROM t', 'bigquery'), { at: '`abc FROM t', message: 'This quoted name is never closed (missing `).' });
    assert.deepEqual(errorOf('SELECT a /* note\nFROM t'), { at: '/* note', message: 'This comment is never closed (missing */).' });
  });

  it('empty SQL, only comments, a second statement, a statement that is not a query', () => {
    assert.deepEqual(analyzeSql('  \n', 'snowflake').problems.map((p) => [p.code, p.message]), [['empty', 'The SQL is empty.']]);
    assert.equal(analyzeSql('-- nothing\n/* here */', 'snowflake').problems[0]?.code, 'empty');
    const two = 'SELECT a FROM t; SELECT b FROM u';
    const p = analyzeSql(two, 'snowflake').problems[0];
    assert.deepEqual([p?.code, two.slice(p?.from, p?.to)], ['several-statements', 'SELECT']);
    assert.equal(analyzeSql('SELECT a FROM t;', 'snowflake').problems.length, 0, 'a final ; is fine');
    const insert = analyzeSql('INSERT INTO t VALUES (1)', 'postgres');
    assert.deepEqual(insert.problems.map((x) => [x.code, x.message]), [['not-a-query', 'A source\'s SQL must be a query (SELECT … or WITH …), not INSERT.']]);
  });

  it('unknown macros are warnings and the rest is still analysed', () => {
    const a = analyzeSql('SELECT user_id FROM t WHERE ds >= {statsig_someday} AND x < {STATSIG_END_DATE}', 'snowflake');
    assert.deepEqual(a.problems.map((p) => p.severity), ['warning', 'warning']);
    assert.match(a.problems[1]?.message ?? '', /Did you mean \{statsig_end_date\}\?/);
    assert.deepEqual(names(a), ['user_id']);
  });

  it('too long, too deep, pipe syntax: not checked, said so (an info), never a false error', () => {
    const long = analyzeSql(`SELECT ${'a, '.repeat(MAX_SQL_LENGTH / 3)}b FROM t`, 'snowflake');
    assert.deepEqual([long.checked, long.problems[0]?.code, long.problems[0]?.severity], [false, 'not-checked', 'info']);
    const deep = analyzeSql(`SELECT ${Array.from({ length: 2000 }, () => 'a').join(' + ')} FROM t`, 'snowflake');
    assert.match(deep.problems[0]?.message ?? '', /not checked locally: it nests or chains expressions more than 500 levels deep/);
    assert.equal(analyzeSql('SELECT a FROM t', 'snowflake').checked, true, 'and the parser is still fine');
    assert.match(analyzeSql(`SELECT ${'('.repeat(60)}1${')'.repeat(60)}`, 'postgres').problems[0]?.message ?? '', /not checked locally: it nests more deeply than the local parser goes/);
    assert.match(analyzeSql('FROM t |> WHERE a > 1 |> SELECT a', 'bigquery').problems[0]?.message ?? '', /not checked locally: it uses BigQuery's pipe syntax/);
  });

  it('without a parser (not set up, or the .wasm missing) the SQL is reported as not checked', () => {
    resetSqlParserForTests();
    const a = analyzeSql('SELECT a FROM t', 'duckdb');
    assert.deepEqual([a.checked, a.problems[0]?.severity, a.problems[0]?.message], [false, 'info', 'The SQL was not checked locally: the SQL parser was not set up. Statsig\'s dry run checks it.']);
    useSqlParser();
    assert.equal(analyzeSql('SELECT a FROM t', 'duckdb').checked, true);
  });
});

describe('analyzeSql: output columns and tables', () => {
  it('aliases, qualified columns, * over CTEs and subqueries (EXCLUDE, RENAME, ILIKE), CTE names are not tables', () => {
    const a = analyzeSql(`WITH a AS (SELECT x, y AS z, _tmp FROM raw.t), b AS (SELECT * EXCLUDE (_tmp) FROM a)
SELECT b.*, s.w AS renamed, * RENAME (x AS x2) FROM b, (SELECT w FROM raw.u WHERE k IN (SELECT k FROM raw.v)) s`, 'snowflake');
    assert.deepEqual(a.problems, []);
    assert.deepEqual(names(a), ['x', 'z', 'renamed', 'x2', 'z', 'w']);
    assert.deepEqual(outputColumnNames(a), ['x', 'z', 'renamed', 'x2', 'z', 'w']);
    assert.deepEqual(a.tables, ['raw.t', 'raw.u', 'raw.v']);
    assert.deepEqual(names(analyzeSql("WITH a AS (SELECT xa, xb, y FROM t) SELECT * ILIKE 'x%' FROM a", 'snowflake')), ['xa', 'xb']);
  });

  it('a * over a table leaves the output unknown, and says which table', () => {
    const a = analyzeSql('SELECT *, x AS y FROM analytics.events', 'snowflake');
    assert.deepEqual(names(a), ['y']);
    assert.equal(outputColumnNames(a), null);
    assert.equal(a.output?.unknown[0]?.reason, 'it selects * from the table analytics.events, whose columns only the warehouse knows');
  });

  it('set operations take the first branch\'s names; BY NAME merges; recursive CTEs and column lists', () => {
    assert.deepEqual(names(analyzeSql('SELECT a, b FROM t UNION ALL SELECT c, d FROM u', 'postgres')), ['a', 'b']);
    assert.deepEqual(names(analyzeSql('SELECT a FROM t UNION ALL BY NAME SELECT b, a FROM u', 'duckdb')), ['a', 'b']);
    const r = analyzeSql('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r', 'postgres');
    assert.deepEqual([names(r), r.tables], [['n'], []]);
    assert.deepEqual(names(analyzeSql('SELECT * FROM (SELECT 1, 2) AS s (a, b)', 'postgres')), ['a', 'b']);
  });

  it('unaliased expressions: Postgres names, BigQuery f0_, Athena _colN, the text elsewhere', () => {
    assert.deepEqual(names(analyzeSql('SELECT count(*), ts::date, CASE WHEN a THEN 1 END, a + 1 FROM t', 'postgres')), ['count', 'ts', 'case', '?column?']);
    assert.deepEqual(names(analyzeSql('SELECT a, COUNT(*), b + 1 FROM t', 'bigquery')), ['a', 'f0_', 'f1_']);
    assert.deepEqual(names(analyzeSql('SELECT a, count(*) FROM t', 'athena')), ['a', '_col1']);
    assert.deepEqual(names(analyzeSql('SELECT a, COUNT(*), v:x FROM t', 'snowflake')), ['a', 'COUNT(*)', 'v:x']);
  });

  it('a keyword taken for a column name is an error (WHERE AND at the end parses)', () => {
    assert.deepEqual(errorOf('SELECT a FROM t WHERE AND'), { at: 'AND', message: 'Expected an expression after WHERE, found AND.' });
  });
});

describe('matchColumn', () => {
  const out = (sql: string, d: SqlDialect) => analyzeSql(sql, d).output ?? { columns: [], unknown: [] };

  it('found, case-insensitively for unquoted names', () => {
    assert.equal(matchColumn(out('SELECT USER_ID, ts FROM t', 'snowflake'), 'user_id', 'snowflake').kind, 'found');
  });

  it('missing, with what the query returns, when the output is fully known', () => {
    const m = matchColumn(out('WITH x AS (SELECT user_id, ds, ROW_NUMBER() OVER (ORDER BY ds) AS rn FROM t) SELECT user_id, exposure_ts FROM x WHERE rn = 1', 'snowflake'), 'ds', 'snowflake');
    assert.deepEqual(m, { kind: 'missing', returns: ['user_id', 'exposure_ts'], more: 0 });
    const wide = matchColumn(out(`SELECT ${Array.from({ length: 30 }, (_, i) => `c${i}`).join(', ')} FROM t`, 'snowflake'), 'ts', 'snowflake');
    assert.deepEqual(wide.kind === 'missing' ? [wide.returns.length, wide.more] : [], [12, 18]);
  });

  it('a quoted name that differs only in case, where the dialect compares quoted names exactly', () => {
    assert.equal(matchColumn(out('SELECT "UserId" FROM t', 'snowflake'), 'userid', 'snowflake').kind, 'case');
    assert.equal(matchColumn(out('SELECT `UserId` FROM t', 'bigquery'), 'userid', 'bigquery').kind, 'found');
  });

  it('unknown when a * over a table could hold it, or an unnamed expression could be called so', () => {
    const m = matchColumn(out('SELECT *, 1 AS one FROM analytics.events', 'duckdb'), 'ts', 'duckdb');
    assert.equal(m.kind, 'unknown');
    assert.equal(matchColumn(out('SELECT a, current_date FROM t', 'duckdb'), 'current_date', 'duckdb').kind, 'unknown');
    assert.equal(matchColumn(out('SELECT a, COUNT(*) FROM t', 'snowflake'), 'ts', 'snowflake').kind, 'missing', 'COUNT(*) cannot be named ts');
    assert.equal(matchColumn(out('SELECT a, CAST(ts AS DATE) FROM t', 'databricks'), 'ts', 'databricks').kind, 'unknown');
  });
});
