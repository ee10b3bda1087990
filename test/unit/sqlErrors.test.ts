// Server SQL errors land where the message points, never on an invented line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateSqlError } from '../../src/core/sqlErrors.ts';

const SQL = 'SELECT user_id,\n  event_ts\nFORM analytics.events\nWHERE ds = 1';
const at = (s: { from: number; to: number } | undefined) => (s ? SQL.slice(s.from, s.to) : undefined);

test('line and position in the warehouses\' own words', () => {
  assert.equal(at(locateSqlError(SQL, 'SQL compilation error: syntax error line 3 at position 0 unexpected \'FORM\'.')), 'FORM analytics.events');
  assert.equal(at(locateSqlError(SQL, 'Syntax error: Unexpected identifier "FORM" at [3:1]')), 'FORM');
  assert.equal(at(locateSqlError(SQL, 'line 3:1: mismatched input \'FORM\'')), 'FORM');
  assert.equal(at(locateSqlError(SQL, 'Parser Error: syntax error at or near "FORM"\nLINE 3: FORM analytics.events')), 'FORM analytics.events');
});

test('a quoted token, or a named table or column, found in the SQL', () => {
  assert.equal(at(locateSqlError(SQL, 'Parser Error: syntax error at or near "FORM"')), 'FORM');
  const sql2 = 'SELECT nope\nFROM missing_table';
  const span = locateSqlError(sql2, 'Catalog Error: Table with name missing_table does not exist! Did you mean "pg_tables"?');
  assert.equal(span && sql2.slice(span.from, span.to), 'missing_table');
  const span2 = locateSqlError(sql2, 'Binder Error: Referenced column "nope" not found in FROM clause!');
  assert.equal(span2 && sql2.slice(span2.from, span2.to), 'nope');
});

test('nothing found: undefined (the SQL is marked as a whole, on no invented line)', () => {
  assert.equal(locateSqlError(SQL, 'Warehouse timed out'), undefined);
  assert.equal(locateSqlError(SQL, 'syntax error line 99 at position 3'), undefined);
  assert.equal(locateSqlError(SQL, 'unknown "zzz"'), undefined);
  assert.equal(locateSqlError('', 'line 1'), undefined);
});

test('hostile messages stay linear and never throw', () => {
  const long = `${'"'.repeat(50_000)}${'line '.repeat(50_000)}`;
  assert.doesNotThrow(() => locateSqlError(SQL.repeat(100), long));
  assert.doesNotThrow(() => locateSqlError(SQL, '[(.*+?'));
});
