// The webview's pure SQL helpers: the names a query defines (for completion), the typing analysis'
// rule for stale answers, and which fields name an output column.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWebviewMessage } from '../../../src/shared/editorProtocol.ts';
import { matchesPattern } from '../../../src/webview/columnFields.ts';
import { codeOnly, queryNames } from '../../../src/webview/sqlCompletion.ts';
import { TypingAnalysis } from '../../../src/webview/typingAnalysis.ts';

describe('queryNames', () => {
  it('finds CTEs (with column lists, RECURSIVE), table, subquery and column aliases', () => {
    const sql = `WITH RECURSIVE base AS (SELECT 1), other (a, b) AS (SELECT 1, 2)
SELECT b.user_id AS uid, COUNT(*) cnt
FROM base b
JOIN analytics.orders AS o ON o.id = b.id
LEFT JOIN (SELECT 1 AS one) sub ON TRUE
WHERE b.x = 1 GROUP BY 1`;
    const names = queryNames(sql);
    assert.deepEqual(names.ctes, ['base', 'other']);
    assert.deepEqual(names.aliases, ['uid', 'o', 'one', 'b', 'cnt', 'sub']);
  });

  it('ignores names in comments and strings, and keywords after a table', () => {
    const names = queryNames(`-- WITH fake AS (
SELECT 'FROM x y' AS label /* AS hidden */ FROM t WHERE a = 1`);
    assert.deepEqual(names, { ctes: [], aliases: ['label'] });
  });

  it('codeOnly keeps offsets and lines', () => {
    const sql = "SELECT 'a\n' -- c\nFROM t /* x */";
    const code = codeOnly(sql);
    assert.equal(code.length, sql.length);
    assert.equal(code.split('\n').length, sql.split('\n').length);
    assert.ok(!code.includes('--') && code.includes('FROM t'));
  });
});

describe('TypingAnalysis', () => {
  it('sends after the pause, once, with a growing seq; only the latest answer about the current text counts', async () => {
    const sent: [number, string][] = [];
    const typing = new TypingAnalysis((seq, sql) => sent.push([seq, sql]), 20);
    typing.changed('SELECT');
    typing.changed('SELECT a');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(sent, [[1, 'SELECT a']]);
    typing.changed('SELECT a FROM t');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(sent.at(-1), [2, 'SELECT a FROM t']);
    assert.equal(typing.accept(1, 'SELECT a FROM t'), undefined, 'an older request');
    assert.equal(typing.accept(2, 'SELECT a FROM t2'), undefined, 'the text changed since');
    assert.deepEqual(typing.accept(2, 'SELECT a FROM t'), { showProblems: true });
    typing.validated('SELECT a FROM t');
    assert.deepEqual(typing.accept(2, 'SELECT a FROM t'), { showProblems: false }, 'the validation saw this text: its problems stand');
    typing.reset();
    assert.equal(typing.accept(2, 'SELECT a FROM t'), undefined);
  });

  it('cancel drops the pending request', async () => {
    const sent: unknown[] = [];
    const typing = new TypingAnalysis(() => sent.push(1), 10);
    typing.changed('x');
    typing.cancel();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent.length, 0);
  });
});

describe('column field patterns', () => {
  it('* matches any key or index; lengths must agree', () => {
    assert.ok(matchesPattern(['idTypeMapping', 2, 'column'], ['idTypeMapping', '*', 'column']));
    assert.ok(matchesPattern(['column_mapping', 'ids', 'userID'], ['column_mapping', 'ids', '*']));
    assert.ok(!matchesPattern(['idTypeMapping', 2, 'statsigUnitID'], ['idTypeMapping', '*', 'column']));
    assert.ok(!matchesPattern(['column_mapping', 'ids'], ['column_mapping', 'ids', '*']));
  });
});

describe('the typing analysis messages', () => {
  it('analyzeSql needs a seq and at most 1,000,000 characters', () => {
    assert.ok(parseWebviewMessage({ type: 'analyzeSql', seq: 3, sql: 'SELECT 1' }).ok);
    assert.ok(!parseWebviewMessage({ type: 'analyzeSql', seq: -1, sql: 'SELECT 1' }).ok);
    assert.ok(!parseWebviewMessage({ type: 'analyzeSql', seq: 1, sql: 'x'.repeat(1_000_001) }).ok);
  });

  it('sqlAnalysis and the SQL vocabulary parse; columns may be absent', () => {
    assert.ok(parseHostMessage({ type: 'sqlAnalysis', seq: 1, problems: [{ from: 0, to: 3, severity: 'error', message: 'm' }], complete: false }).ok);
    assert.ok(!parseHostMessage({ type: 'sqlAnalysis', seq: 1, problems: [{ from: -1, to: 3, severity: 'error', message: 'm' }], complete: false }).ok);
    assert.ok(parseHostMessage({ type: 'suggestions', sql: { keywords: ['SELECT'], functions: [], macros: [{ label: 'statsig_start_date', detail: 'd' }], tables: [], columns: [] } }).ok);
    assert.ok(parseHostMessage({ type: 'suggestions', unitIdTypes: ['userID'] }).ok);
  });
});
