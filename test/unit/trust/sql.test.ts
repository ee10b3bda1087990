// The issue "Trust": what a hostile or pathological document did to the save pipeline and the
// editor. Each test here failed on the code before the fix; speed is measured by
// `npm run bench:validate`, never asserted in a unit test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSql, sqlMentions, SqlMentions } from '../../../src/core/sqlCheck.ts';

describe('Trust: user strings never become regular expressions', () => {
  it('a 32K-character column name is checked, never thrown on ("regular expression too large")', () => {
    const column = 'c'.repeat(32 * 1024);
    assert.equal(sqlMentions('select 1', column), false);
    assert.equal(sqlMentions(`select ${column} from t`, column.toUpperCase()), true);
    assert.equal(sqlMentions(`select "${column}.x" from t`, `${column}.x`), true);
  });

  it('column names with regex characters are plain text', () => {
    assert.equal(sqlMentions('select "a.b(c)" from t', 'a.b(c)'), true);
    assert.equal(sqlMentions('select axb from t', 'a.b'), false);
    assert.equal(sqlMentions('select [x from t', '[x'), true);
  });

  it('an unterminated /* hides the rest of the SQL from the column check', () => {
    assert.equal(sqlMentions('select 1 /* user_id', 'user_id'), false);
    assert.equal(sqlMentions(`select user_id /*${' /*'.repeat(1000)}`, 'user_id'), true);
    assert.deepEqual(checkSql(`select 1 /*${' /*'.repeat(1000)}`).map((p) => p.from), [9]);
  });

  it('strings are not mentions, quoted identifiers are; SqlMentions answers many names from one reading', () => {
    const m = new SqlMentions(`select "Event Name", user_id, 'ts' as x -- plan\nfrom t /* country */`);
    assert.deepEqual(['event name', 'USER_ID', 'ts', 'x', 'plan', 'country', 'user'].map((c) => m.has(c)), [true, true, false, true, false, false, false]);
  });
});
