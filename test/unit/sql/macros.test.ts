// Statsig's macros become literals of the dialect before parsing, and every position maps back
// into what the user wrote.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DIALECTS, SQL_DIALECTS } from '../../../src/core/sql/dialects.ts';
import { tokenize } from '../../../src/core/sql/lexer.ts';
import { STATSIG_MACROS, substituteMacros } from '../../../src/core/sql/macros.ts';

const sub = (sql: string, dialect = DIALECTS.snowflake) => substituteMacros(sql, tokenize(sql, dialect), dialect.id);

describe('Statsig macros', () => {
  it('documented macros become typed literals; the int forms numbers; timestamps TIMESTAMP literals', () => {
    const r = sub('WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date} AND di >= {statsig_start_date_int} AND ts > {statsig_experiment_start_timestamp}');
    assert.equal(r.text, "WHERE ds BETWEEN DATE '2024-01-01' AND DATE '2024-01-31' AND di >= 20240101 AND ts > TIMESTAMP '2024-01-01 00:00:00'");
    assert.deepEqual(r.macros.map((m) => [m.name, m.macro?.documented]), [
      ['statsig_start_date', true], ['statsig_end_date', true], ['statsig_start_date_int', true], ['statsig_experiment_start_timestamp', true],
    ]);
    assert.ok(STATSIG_MACROS.filter((m) => m.documented).length === 5);
  });

  it('spaces inside the braces, the backticks of Statsig\'s docs, and the undocumented _ts forms', () => {
    assert.equal(sub('x < { statsig_end_ts }').text, "x < TIMESTAMP '2024-01-31 23:59:59'");
    assert.equal(sub('x BETWEEN `{statsig_start_date}` AND `{statsig_end_date}`').text, "x BETWEEN DATE '2024-01-01' AND DATE '2024-01-31'");
    assert.equal(sub('{statsig_start_timestamp}').text, "TIMESTAMP '2024-01-01 00:00:00'");
  });

  it('a macro inside a string literal or a comment stays as written; a table suffix glues like Statsig\'s text replacement', () => {
    assert.equal(sub("ds >= '{statsig_start_date}' -- {statsig_end_date}").text, "ds >= '{statsig_start_date}' -- {statsig_end_date}");
    assert.equal(sub('FROM events_{statsig_start_date_int}').text, 'FROM events_20240101');
    assert.equal(sub('SELECT {a}').macros.length, 0);
  });

  it('an unknown {statsig_…} is NULL for the parse and reported as unknown', () => {
    const r = sub('x = {statsig_someday}');
    assert.equal(r.text, 'x = NULL');
    assert.equal(r.macros[0]?.macro, undefined);
  });

  it('offsets map back: before, inside (start → macro start, end → macro end) and after a macro', () => {
    const sql = 'a {statsig_start_date} b';
    const r = sub(sql);
    const parsedB = r.text.indexOf(' b') + 1;
    assert.equal(r.map.toSource(0), 0);
    assert.equal(r.map.toSource(2), 2);
    assert.equal(r.map.toSource(5), 2);
    assert.equal(r.map.toSource(5, 'end'), sql.indexOf('}') + 1);
    assert.equal(r.map.toSource(2, 'end'), 2, 'an end at the macro\'s start stays before it');
    assert.equal(r.map.toSource(parsedB), sql.indexOf(' b') + 1);
  });

  it('property: every mapped offset lies within the user\'s text, in order', () => {
    const piece = fc.constantFrom('{statsig_start_date}', '{statsig_end_date_int}', '`{statsig_end_date}`', '{ statsig_x }', 'a', ' ', "'s'", '\n', '{', '}', '`', 'é', '😀');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom(...SQL_DIALECTS), (pieces, d) => {
      const sql = pieces.join('');
      const r = sub(sql, DIALECTS[d]);
      let previous = 0;
      for (let t = 0; t <= r.text.length; t++) {
        const s = r.map.toSource(t);
        const e = r.map.toSource(t, 'end');
        assert.ok(s >= 0 && s <= sql.length && e >= 0 && e <= sql.length && s <= e);
        assert.ok(s >= previous);
        previous = s;
      }
    }), { numRuns: 300 });
  });
});
