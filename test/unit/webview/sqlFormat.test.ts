// Format SQL's pure part (src/shared/sqlFormat.ts): the dialect mapping, realistic warehouse queries
// per dialect, refusals in plain words, and properties with fast-check (fixed seed): formatting
// never throws, never loses or alters a macro, and changes nothing but whitespace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_FORMAT_LENGTH, SQL_DIALECT_SETTINGS, describeFormatterError, formatSql, formatterLanguage, macrosIn,
} from '../../../src/shared/sqlFormat.ts';
import { manifest } from '../helpers/manifest.ts';

const SEED = 20_261_201;
const squash = (s: string) => s.replace(/\s+/g, '');

function formatted(sql: string, dialect: string, tabSize?: number): string {
  const result = formatSql(sql, { dialect, ...(tabSize === undefined ? {} : { tabSize }) });
  assert.ok(result.ok, `${dialect}: ${result.ok ? '' : result.message}\n${sql}`);
  return result.sql;
}

describe('dialects', () => {
  it('maps every statsigWhn.sqlDialect value to its sql-formatter language; anything else is standard SQL', () => {
    const setting = (manifest.contributes.configuration as { properties: Record<string, { enum?: string[] }> }).properties['statsigWhn.sqlDialect'];
    assert.deepEqual([...SQL_DIALECT_SETTINGS].sort(), [...(setting?.enum ?? [])].sort(), 'one mapping per value of the setting');
    assert.deepEqual(Object.fromEntries(SQL_DIALECT_SETTINGS.map((d) => [d, formatterLanguage(d)])), {
      snowflake: 'snowflake', bigquery: 'bigquery', redshift: 'redshift', postgres: 'postgresql', duckdb: 'duckdb',
      databricks: 'spark', athena: 'trino',
    });
    assert.equal(formatterLanguage('oracle'), 'sql');
    assert.equal(formatterLanguage('__proto__'), 'sql');
    assert.equal(formatterLanguage('constructor'), 'sql');
  });

  const QUERIES: Readonly<Record<string, string>> = {
    snowflake: `with e as (select user_id, event_ts, payload:platform::string as platform from analytics.events where event_ts >= {statsig_start_date} and event_ts < {statsig_end_date}) select user_id, platform, count(*) as n from e group by 1, 2 qualify row_number() over (partition by user_id order by n desc) = 1`,
    bigquery: 'select user_id, timestamp(event_ts) as ts from `proj.analytics.events` , unnest(items) as item where date(event_ts) between {statsig_start_date} and {statsig_end_date}',
    redshift: `select user_id, event_ts::date as ds from analytics.events where event_ts >= '{statsig_start_date}' and event_ts < '{statsig_end_date}'`,
    postgres: `select distinct on (user_id) user_id, event_ts from analytics.events where event_ts >= {statsig_start_date_ts} order by user_id, event_ts desc`,
    duckdb: `select user_id, count(*) filter (where amount > 0) as paid from analytics.orders where ds between {statsig_start_date} and {statsig_end_date} group by all`,
    databricks: 'select user_id, exploded.item from analytics.events lateral view explode(items) exploded as item where ds >= {statsig_start_date}',
    athena: `select user_id, cast(event_ts as date) as ds from analytics.events cross join unnest(tags) as t(tag) where ds >= date '{statsig_start_date}' and ds <= {statsig_end_date}`,
  };
  for (const [dialect, sql] of Object.entries(QUERIES)) {
    it(`${dialect}: a realistic query is laid out, macros and case kept, and formatting it again changes nothing`, () => {
      const out = formatted(sql, dialect);
      assert.notEqual(out, sql);
      assert.ok(out.split('\n').length > 4, out);
      assert.deepEqual(macrosIn(out), macrosIn(sql));
      assert.ok(macrosIn(sql).length >= 1);
      assert.equal(squash(out), squash(sql), 'only whitespace changed');
      assert.match(out, /^select/m, 'lower-case keywords stay lower case');
      assert.equal(formatted(out, dialect), out, 'idempotent');
    });
  }

  it('keeps the case the user typed: upper stays upper, lower stays lower, mixed stays mixed', () => {
    assert.equal(formatted('SELECT a FROM t WHERE b >= {statsig_start_date}', 'snowflake'), 'SELECT\n  a\nFROM\n  t\nWHERE\n  b >= {statsig_start_date}');
    assert.match(formatted('Select Count(*) From t', 'snowflake'), /^Select\n {2}Count\(\*\)\nFrom\n {2}t$/);
  });

  it('indents by the user\'s tab size (2 when absent or out of range)', () => {
    assert.equal(formatted('select a, b from t', 'postgres', 4), 'select\n    a,\n    b\nfrom\n    t');
    assert.equal(formatted('select a from t', 'postgres'), 'select\n  a\nfrom\n  t');
    assert.equal(formatted('select a from t', 'postgres', 0.5), 'select\n  a\nfrom\n  t');
    assert.equal(formatted('select a from t', 'postgres', 100), `select\n${' '.repeat(16)}a\nfrom\n${' '.repeat(16)}t`);
  });

  it('macros stay one token wherever they are: in expressions, as a table, in strings and comments, next to casts', () => {
    const sql = "select {statsig_start_date}::date as d, '{statsig_end_date}' as s -- until {statsig_end_date_ts}\nfrom {my_table} where ts>={ custom macro }";
    const out = formatted(sql, 'snowflake');
    assert.deepEqual(macrosIn(out), ['{statsig_start_date}', '{statsig_end_date}', '{statsig_end_date_ts}', '{my_table}', '{ custom macro }']);
    assert.match(out, /ts >= \{ custom macro \}/);
  });
});

describe('refusals', () => {
  it('SQL the dialect does not have: not formatted, one plain sentence with the line and column', () => {
    const result = formatSql('select\n  ts::date as ds\nfrom t', { dialect: 'bigquery' });
    assert.ok(!result.ok);
    assert.equal(result.message, 'The SQL could not be read as BigQuery: unexpected "::date as" at line 2, column 5.');
  });

  it('an unfinished query: "it ends too early", not the parser\'s grammar dump', () => {
    const result = formatSql('select (a from t', { dialect: 'snowflake' });
    assert.ok(!result.ok);
    assert.equal(result.message, 'The SQL could not be read as Snowflake: it ends too early (at line 1, column 17).');
  });

  it('Databricks variant paths (a:b) are not Spark SQL to sql-formatter: refused, said so', () => {
    const result = formatSql('select raw:path from t', { dialect: 'databricks' });
    assert.ok(!result.ok);
    assert.match(result.message, /^The SQL could not be read as Databricks \(Spark SQL\): unexpected ":path from" at line 1, column 11\.$/);
  });

  it('empty or blank SQL is left as it is; SQL over the length limit is refused', () => {
    assert.deepEqual(formatSql('', { dialect: 'snowflake' }), { ok: true, sql: '' });
    assert.deepEqual(formatSql(' \n\t', { dialect: 'snowflake' }), { ok: true, sql: ' \n\t' });
    const long = `select ${'a, '.repeat(MAX_FORMAT_LENGTH / 3)}b from t`;
    const result = formatSql(long, { dialect: 'snowflake' });
    assert.ok(!result.ok);
    assert.match(result.message, /^The SQL is too long to format here \([\d,]+ characters; the limit is 100,000\)\.$/);
  });

  it('describes any error in one short line', () => {
    assert.equal(describeFormatterError(new Error('Parse error: Unexpected "x" at line 3 column 9.\nSQL dialect used: "sql".')), 'unexpected "x" at line 3, column 9');
    assert.equal(describeFormatterError(new Error('Parse error: something odd.')), 'something odd');
    assert.equal(describeFormatterError('weird'), 'weird');
    assert.equal(describeFormatterError(new Error('')), 'the formatter did not say why');
    assert.ok(describeFormatterError(new Error('x'.repeat(10_000))).length <= 160);
  });
});

// ------------------------------------------------------------------ properties

const KNOWN_MACROS = ['{statsig_start_date}', '{statsig_end_date}', '{statsig_start_date_ts}', '{statsig_end_date_ts}'];
/** Never a keyword of any dialect. */
const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).map((s) => `c_${s}`);
const macro = fc.oneof(fc.constantFrom(...KNOWN_MACROS), ident.map((s) => `{${s}}`));
const space = fc.constantFrom(' ', '  ', '\n', '\n  ', '\t', ' \n\n ');
const condition = fc.oneof(
  fc.tuple(ident, macro).map(([c, m]) => `${c} >= ${m}`),
  fc.tuple(ident, macro, macro).map(([c, a, b]) => `${c} between ${a} and ${b}`),
  fc.tuple(ident, macro).map(([c, m]) => `${c} < date(${m})`),
  fc.tuple(ident, macro).map(([c, m]) => `${c} = '${m}'`),
  fc.tuple(ident, ident).map(([a, b]) => `${a} = ${b}`),
);
const select = fc.record({
  columns: fc.array(fc.oneof(ident, fc.tuple(ident, ident).map(([a, b]) => `${a} as ${b}`), fc.constant('count(*) as n')), { minLength: 1, maxLength: 5 }),
  table: fc.tuple(ident, ident).map(([s, t]) => `${s}.${t}`),
  conditions: fc.array(condition, { minLength: 0, maxLength: 4 }),
  comment: fc.option(macro.map((m) => `-- from ${m}`), { nil: undefined }),
});
/** A query with macros where warehouse SQL has them, laid out badly (random spaces and line breaks). */
const query = fc.tuple(select, fc.option(fc.tuple(ident, select), { nil: undefined }), fc.array(space, { minLength: 40, maxLength: 40 })).map(([main, cte, spaces]) => {
  let i = 0;
  const sp = () => spaces[i++ % spaces.length] ?? ' ';
  const render = (q: typeof main, from = q.table) => [
    q.comment ? `${q.comment}\n` : '',
    `select${sp()}${q.columns.join(`,${sp()}`)}${sp()}from${sp()}${from}`,
    q.conditions.length ? `${sp()}where${sp()}${q.conditions.join(`${sp()}and${sp()}`)}` : '',
  ].join('');
  return cte ? `with ${cte[0]} as (${sp()}${render(cte[1])}${sp()})${sp()}${render(main, cte[0])}` : render(main);
});
const dialect = fc.constantFrom(...SQL_DIALECT_SETTINGS, 'unknown');

describe('properties (fixed seed)', () => {
  it('a query with macros formats in every dialect: every macro kept, in order, and nothing but whitespace changes', () => {
    fc.assert(fc.property(query, dialect, fc.integer({ min: 1, max: 8 }), (sql, d, tabSize) => {
      const out = formatted(sql, d, tabSize);
      assert.deepEqual(macrosIn(out), macrosIn(sql));
      assert.equal(squash(out), squash(sql));
    }), { seed: SEED, numRuns: 400 });
  });

  it('any text at all: never throws; either a layout-only result with the same macros or a one-line reason', () => {
    const piece = fc.oneof(
      fc.constantFrom('select ', 'from ', 'where ', ' and ', '(', ')', ',', "'", '"', '`', '--', '/*', '*/', '\n', '{', '}', '::', ':', ';', '$$', '[', ']', '#', '\\'),
      macro, ident, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const sqlish = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(sqlish, fc.string({ unit: 'binary', maxLength: 80 })), dialect, (sql, d) => {
      let result: ReturnType<typeof formatSql> | undefined;
      assert.doesNotThrow(() => { result = formatSql(sql, { dialect: d }); });
      assert.ok(result);
      if (result.ok) {
        assert.deepEqual(macrosIn(result.sql), macrosIn(sql));
        assert.equal(squash(result.sql), squash(sql));
      } else {
        assert.match(result.message, /^\S.*\.$/);
        assert.ok(!result.message.includes('\n'), result.message);
        assert.ok(result.message.length < 300, result.message);
      }
    }), { seed: SEED, numRuns: 1500 });
  });
});
