// Runs the analysis over the corpus and counts, per dialect: valid queries parsed, their output
// columns (and completeness) and tables right; mistakes caught, and caught on the exact token.
// Shared by the corpus test (which asserts the measured floors) and npm run bench:sql.
import { analyzeSql } from '../../../src/core/sql/analyze.ts';
import { SQL_DIALECTS, type SqlDialect } from '../../../src/core/sql/dialects.ts';
import { BROKEN, brokenFor, HELD_OUT_BROKEN, HELD_OUT_VALID, VALID, type BrokenQuery, type ValidQuery } from './corpus.ts';

export interface DialectScore {
  readonly dialect: SqlDialect;
  readonly valid: number;
  readonly parsed: number;
  readonly columnsRight: number;
  readonly tablesRight: number;
  readonly broken: number;
  readonly caught: number;
  readonly exact: number;
  /** What went wrong, one line each (for the report and the test's message). */
  readonly misses: readonly string[];
}

const cut = (s: string) => JSON.stringify(s.length > 50 ? `${s.slice(0, 50)}…` : s);

export function scoreCorpus(set: 'tuning' | 'held-out' = 'tuning'): DialectScore[] {
  const validSet: readonly ValidQuery[] = set === 'tuning' ? VALID : HELD_OUT_VALID;
  const brokenSet: readonly BrokenQuery[] = set === 'tuning' ? BROKEN : HELD_OUT_BROKEN;
  return SQL_DIALECTS.map((dialect) => {
    const misses: string[] = [];
    let valid = 0;
    let parsed = 0;
    let columnsRight = 0;
    let tablesRight = 0;
    for (const q of validSet.filter((v) => v.dialect === dialect)) {
      valid++;
      const a = analyzeSql(q.sql, dialect);
      const errors = a.problems.filter((p) => p.severity === 'error');
      if (a.parsed && errors.length === 0) parsed++;
      else misses.push(`valid "${q.name}": ${errors.map((e) => e.message).join(' | ') || a.problems.map((p) => p.message).join(' | ')}`);
      const columns = a.output?.columns.map((c) => c.name ?? c.expression) ?? null;
      const complete = a.output ? a.output.unknown.length === 0 : null;
      if (JSON.stringify(columns) === JSON.stringify(q.columns) && complete === (q.complete ?? true)) columnsRight++;
      else if (a.output) misses.push(`columns "${q.name}": got ${JSON.stringify(columns)}${complete ? '' : ' (incomplete)'}, want ${JSON.stringify(q.columns)}${q.complete === false ? ' (incomplete)' : ''}`);
      if (JSON.stringify(a.tables) === JSON.stringify(q.tables)) tablesRight++;
      else misses.push(`tables "${q.name}": got ${JSON.stringify(a.tables)}, want ${JSON.stringify(q.tables)}`);
    }
    let broken = 0;
    let caught = 0;
    let exact = 0;
    for (const b of brokenSet) {
      if (b.validIn?.includes(dialect)) continue;
      broken++;
      const { sql, from, to } = brokenFor(b, dialect);
      const a = analyzeSql(sql, dialect);
      const error = a.problems.find((p) => p.severity === 'error');
      if (!error) {
        misses.push(`broken "${b.name}": not caught`);
        continue;
      }
      caught++;
      if (error.from === from && error.to === to) exact++;
      else misses.push(`broken "${b.name}": at ${cut(sql.slice(error.from, error.to))} (${error.from}-${error.to}), want ${cut(sql.slice(from, to))} (${from}-${to}): ${error.message}`);
    }
    return { dialect, valid, parsed, columnsRight, tablesRight, broken, caught, exact, misses };
  });
}

export function formatScores(scores: readonly DialectScore[]): string {
  const pct = (a: number, b: number) => `${a}/${b}`.padEnd(7);
  const lines = ['dialect     parsed  columns tables  caught  exact'];
  for (const s of scores) {
    lines.push(`${s.dialect.padEnd(11)} ${pct(s.parsed, s.valid)} ${pct(s.columnsRight, s.valid)} ${pct(s.tablesRight, s.valid)} ${pct(s.caught, s.broken)} ${pct(s.exact, s.broken)}`);
  }
  const sum = (f: (s: DialectScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  lines.push(`${'all'.padEnd(11)} ${pct(sum((s) => s.parsed), sum((s) => s.valid))} ${pct(sum((s) => s.columnsRight), sum((s) => s.valid))} ${pct(sum((s) => s.tablesRight), sum((s) => s.valid))} ${pct(sum((s) => s.caught), sum((s) => s.broken))} ${pct(sum((s) => s.exact), sum((s) => s.broken))}`);
  return lines.join('\n');
}
