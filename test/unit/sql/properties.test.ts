// Properties of analyzeSql over inputs nobody wrote: arbitrary strings and mutated corpus queries,
// in every dialect. It never throws, and every span it returns lies within the input.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeSql, type SqlAnalysis } from '../../../src/core/sql/analyze.ts';
import { SQL_DIALECTS } from '../../../src/core/sql/dialects.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';
import { BROKEN, brokenFor, HELD_OUT_VALID, VALID } from './corpus.ts';

before(() => useSqlParser());

function assertWithin(sql: string, a: SqlAnalysis): void {
  const inside = (from: number, to: number, what: string) => {
    assert.ok(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= sql.length, `${what} ${from}-${to} outside 0-${sql.length}: ${JSON.stringify(sql.slice(0, 200))}`);
  };
  for (const p of a.problems) {
    inside(p.from, p.to, `problem "${p.message}"`);
    assert.ok(p.message.length > 0);
    // analyzeSql's last-resort catch would hide a bug as "not checked": it must never fire.
    assert.ok(!p.message.includes('the analysis failed'), `${p.message}: ${JSON.stringify(sql.slice(0, 200))}`);
  }
  for (const c of a.output?.columns ?? []) inside(c.from, c.to, `column ${c.name ?? c.expression}`);
  for (const u of a.output?.unknown ?? []) inside(u.from, u.to, `unknown part "${u.reason}"`);
  for (const m of a.macros) inside(m.from, m.to, 'macro');
}

const dialect = fc.constantFrom(...SQL_DIALECTS);
const SQL_PIECES = ['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'GROUP BY', 'CASE', 'WHEN', 'THEN', 'END', 'WITH', 'AS', ' ', '\n', '\r\n', '\t', '(', ')', ',', ';', '.', '*',
  "'", '"', '`', '$$', '/*', '*/', '--', '#', '{statsig_start_date}', '`{statsig_end_date}`', '{statsig_x}', '{', '}', 'a', 't', 'user_id', '1', '=', '<=', '::', ':', '|>', '😀', 'é', '\u0000', '\\'];
const sqlish = fc.array(fc.constantFrom(...SQL_PIECES), { maxLength: 40 }).map((p) => p.join(' '));
const CORPUS = [...VALID.map((v) => v.sql), ...HELD_OUT_VALID.map((v) => v.sql), ...BROKEN.map((b) => brokenFor(b, 'snowflake').sql)];

/** A corpus query with a few edits: a range deleted, a piece inserted, a range duplicated. */
const mutated = fc.tuple(fc.constantFrom(...CORPUS), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom(...SQL_PIECES), fc.constantFrom('delete', 'insert', 'duplicate')), { minLength: 1, maxLength: 4 }))
  .map(([sql, edits]) => edits.reduce((s, [at, len, piece, op]) => {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    if (op === 'delete') return s.slice(0, i) + s.slice(i + len);
    if (op === 'insert') return s.slice(0, i) + piece + s.slice(i);
    return s.slice(0, i) + s.slice(i, i + len) + s.slice(i);
  }, sql));

describe('analyzeSql properties', () => {
  it('arbitrary strings (any code unit): never throws, spans within the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), dialect, (sql, d) => assertWithin(sql, analyzeSql(sql, d))), { numRuns: 400 });
  });

  it('SQL-shaped noise: never throws, spans within the input', () => {
    fc.assert(fc.property(sqlish, dialect, (sql, d) => assertWithin(sql, analyzeSql(sql, d))), { numRuns: 800 });
  });

  it('mutated corpus queries: never throws, spans within the input', () => {
    fc.assert(fc.property(mutated, dialect, (sql, d) => assertWithin(sql, analyzeSql(sql, d))), { numRuns: 800 });
  });

  it('deep nesting and long chains are refused or parsed, never a crash; the parser keeps working', () => {
    const nasty = [
      `SELECT ${'('.repeat(3000)}1${')'.repeat(3000)}`,
      `SELECT ${Array.from({ length: 20_000 }, () => 'a').join('+')}`,
      `SELECT 1 WHERE ${Array.from({ length: 5000 }, () => 'a = 1').join(' AND ')}`,
      Array.from({ length: 8000 }, () => 'SELECT 1').join(' UNION ALL '),
      `SELECT ${'CASE WHEN a THEN '.repeat(3000)}1${' END'.repeat(3000)}`,
      `SELECT * FROM ${'(SELECT * FROM '.repeat(2000)}t${')'.repeat(2000)}`,
    ];
    for (const sql of nasty) for (const d of SQL_DIALECTS) assertWithin(sql, analyzeSql(sql, d));
    assert.deepEqual(analyzeSql('SELECT a FROM t', 'snowflake').output?.columns.map((c) => c.name), ['a']);
  });
});
