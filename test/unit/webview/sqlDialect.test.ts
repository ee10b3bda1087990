import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PostgreSQL, StandardSQL } from '@codemirror/lang-sql';
import { sqlDialectFor } from '../../../src/webview/sqlDialect.ts';

describe('SQL dialects', () => {
  it('maps every setting value to a CodeMirror dialect', () => {
    for (const setting of ['snowflake', 'bigquery', 'databricks', 'redshift', 'postgres', 'duckdb']) {
      assert.notEqual(sqlDialectFor(setting), StandardSQL, setting);
    }
    assert.equal(sqlDialectFor('athena'), StandardSQL, 'Trino quotes like ANSI SQL');
    assert.equal(sqlDialectFor('postgres'), PostgreSQL);
    assert.equal(sqlDialectFor('redshift'), PostgreSQL);
  });

  it('lexes the warehouse quirks: backticks in BigQuery/Databricks, # comments in BigQuery', () => {
    assert.equal(sqlDialectFor('bigquery').spec.identifierQuotes, '`');
    assert.equal(sqlDialectFor('bigquery').spec.hashComments, true);
    assert.equal(sqlDialectFor('databricks').spec.identifierQuotes, '`');
    assert.equal(sqlDialectFor('snowflake').spec.slashComments, true);
  });

  it('falls back to standard SQL for unknown values', () => {
    assert.equal(sqlDialectFor('oracle'), StandardSQL);
    assert.equal(sqlDialectFor('__proto__'), StandardSQL);
  });
});
