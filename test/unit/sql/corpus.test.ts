// The corpus (corpus.ts), per dialect: every valid query parsed, its output columns (and whether
// they are all known) and its tables right; every mistake caught, on the exact token. The floors
// are what was measured (docs/sql.md "Corpus"): all of it, on both the tuning and the held-out
// sets. A floor below 100 % would hide a regression; a miss prints what went wrong.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useSqlParser } from '../helpers/sqlParser.ts';
import { formatScores, scoreCorpus, type DialectScore } from './corpusReport.ts';

before(() => useSqlParser());

function check(scores: readonly DialectScore[]): void {
  const report = formatScores(scores);
  for (const s of scores) {
    const why = `${s.dialect}:\n${s.misses.join('\n')}\n\n${report}`;
    assert.ok(s.valid >= 2 && s.broken >= 27, `${s.dialect} has too few cases`);
    assert.equal(s.parsed, s.valid, `parsed, ${why}`);
    assert.equal(s.columnsRight, s.valid, `output columns, ${why}`);
    assert.equal(s.tablesRight, s.valid, `tables, ${why}`);
    assert.equal(s.caught, s.broken, `mistakes caught, ${why}`);
    assert.equal(s.exact, s.broken, `mistakes on the exact token, ${why}`);
  }
}

describe('SQL corpus, per dialect', () => {
  it('tuning set: parsed, columns, tables, mistakes caught and on the exact token', () => check(scoreCorpus('tuning')));
  it('held-out set: the same', () => check(scoreCorpus('held-out')));
});
