// What the SQL editor offers: each dialect's keywords and functions, the macros in words, other
// sources' tables and columns (analysed once), and the fields that name an output column.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { KindIds, descriptor } from '../../../src/core/kinds.ts';
import { SqlNamesCache, columnFieldPatterns, macroDetail, macroWords, sqlFunctions, sqlKeywords } from '../../../src/core/sql/completions.ts';
import { SQL_DIALECTS } from '../../../src/core/sql/dialects.ts';
import { STATSIG_MACROS } from '../../../src/core/sql/macros.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';

before(() => useSqlParser());

describe('the dialect vocabulary', () => {
  it('every dialect has the common keywords and functions, each once, and its own extras', () => {
    for (const dialect of SQL_DIALECTS) {
      const keywords = sqlKeywords(dialect);
      const functions = sqlFunctions(dialect);
      for (const k of ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'PARTITION BY']) assert.ok(keywords.includes(k), `${dialect}: ${k}`);
      for (const f of ['COUNT', 'COALESCE', 'ROW_NUMBER']) assert.ok(functions.includes(f), `${dialect}: ${f}`);
      assert.equal(new Set(keywords).size, keywords.length, `${dialect}: keywords once`);
      assert.equal(new Set(functions).size, functions.length, `${dialect}: functions once`);
    }
    assert.ok(sqlKeywords('snowflake').includes('QUALIFY'));
    assert.ok(!sqlKeywords('redshift').includes('QUALIFY'), 'Redshift has no QUALIFY');
    assert.ok(sqlFunctions('snowflake').includes('IFF') && !sqlFunctions('bigquery').includes('IFF'));
    assert.ok(sqlFunctions('bigquery').includes('SAFE_CAST') && sqlFunctions('athena').includes('APPROX_DISTINCT'));
  });

  it('every Statsig macro is offered, with what it stands for', () => {
    const words = macroWords();
    assert.deepEqual(words.map((w) => w.label), STATSIG_MACROS.map((m) => m.name));
    const start = STATSIG_MACROS.find((m) => m.name === 'statsig_start_date');
    const endTs = STATSIG_MACROS.find((m) => m.name === 'statsig_end_ts');
    assert.ok(start && endTs);
    assert.equal(macroDetail(start), 'Statsig macro: the start of the analysis window, as a DATE');
    assert.equal(macroDetail(endTs), 'Statsig macro: the end of the analysis window, as a TIMESTAMP (not in Statsig\'s docs; accepted here)');
  });
});

describe('other sources\' tables and columns', () => {
  it('collects each table and known output column once, sorted; unknown columns and broken SQL add nothing', () => {
    const cache = new SqlNamesCache();
    const names = cache.collect([
      'SELECT user_id, ts AS event_ts FROM analytics.events',
      'WITH e AS (SELECT user_id FROM analytics.events) SELECT e.user_id, o.amount FROM e JOIN analytics.orders o ON o.user_id = e.user_id',
      'SELECT * FROM analytics.companies',
      'SELECT a FORM t',
    ], 'snowflake');
    assert.deepEqual(names.tables, ['analytics.companies', 'analytics.events', 'analytics.orders']);
    assert.deepEqual(names.columns, ['amount', 'event_ts', 'user_id']);
  });

  it('analyses each text once per dialect', () => {
    const cache = new SqlNamesCache();
    const first = cache.namesOf('SELECT a FROM t', 'bigquery');
    assert.equal(cache.namesOf('SELECT a FROM t', 'bigquery'), first);
    assert.notEqual(cache.namesOf('SELECT a FROM t', 'snowflake'), first);
  });
});

describe('columnFieldPatterns', () => {
  const patterns = (kind: (typeof KindIds)[number]) => columnFieldPatterns((s) => descriptor(kind).mappedColumns(s));

  it('follows each kind\'s mappedColumns: top-level fields, table cells, map entries', () => {
    assert.deepEqual(patterns('assignmentSource'), [['timestampColumn'], ['experimentIDColumn'], ['groupIDColumn'], ['groupNameColumn'], ['idTypeMapping', '*', 'column']]);
    assert.deepEqual(patterns('metricSource'), [['timestampColumn'], ['datePartitionColumn'], ['idTypeMapping', '*', 'column']]);
    const ingestion = patterns('ingestionSource');
    for (const p of [['column_mapping', 'unit_id'], ['column_mapping', 'timestamp'], ['column_mapping', 'ids', '*'], ['column_mapping', 'metadata', '*']]) {
      assert.ok(ingestion.some((q) => JSON.stringify(q) === JSON.stringify(p)), JSON.stringify(p));
    }
    assert.ok(!ingestion.some((q) => q[1] === 'id_type'), 'id_type names an ID type, not a column');
  });

  it('every pattern it finds is a column the kind maps, for every kind', () => {
    for (const kind of KindIds) {
      for (const pattern of patterns(kind)) {
        // A document with that field set: mappedColumns names it.
        const doc: Record<string, unknown> = {};
        let at: Record<string, unknown> | unknown[] = doc;
        pattern.forEach((segment, i) => {
          const last = i === pattern.length - 1;
          const key = segment === '*' ? (pattern[i - 1] === 'idTypeMapping' ? 0 : 'x') : segment;
          const nextIsIndex = pattern[i + 1] === '*' && segment === 'idTypeMapping';
          const child = last ? 'col' : nextIsIndex ? [] : {};
          (at as Record<string | number, unknown>)[key] = child;
          at = child;
        });
        assert.ok(descriptor(kind).mappedColumns(doc).some((c) => c.column === 'col'), `${kind}: ${JSON.stringify(pattern)}`);
      }
    }
  });

  it('a mappedColumns that throws on the probe gives no patterns', () => {
    assert.deepEqual(columnFieldPatterns(() => { throw new Error('no'); }), []);
  });
});
