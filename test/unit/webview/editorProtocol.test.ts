import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWebviewMessage, type HostMessage } from '../../../src/shared/editorProtocol.ts';

const init = {
  type: 'init', kind: 'metricSource', title: 'orders', schema: { type: 'object' }, readOnlyPaths: ['name'],
  sqlField: 'sql', sqlDialect: 'snowflake', text: '{}', isNew: false, capabilities: { dryRun: true },
  editorSettings: { fontFamily: "'Fira Code', monospace", fontSize: 14, tabSize: 4 },
};

describe('host → webview messages', () => {
  const valid: HostMessage[] = [
    init as HostMessage,
    { type: 'document', text: '{"name":"x"}' },
    { type: 'diagnostics', items: [] },
    {
      type: 'diagnostics',
      items: [
        { path: ['idTypeMapping', 1, 'column'], message: 'not a column of the query', severity: 'error' },
        { path: ['sql'], message: 'syntax error', severity: 'warning', sqlRange: { from: 3, to: 9 } },
      ],
    },
    { type: 'status', tone: 'ok', text: 'Dry run passed 12:04' },
    { type: 'extras', sections: [{ title: 'Schedule', rows: [{ label: 'Hour (PST)', value: '3' }] }] },
    { type: 'editorSettings', settings: { fontFamily: 'Menlo', fontSize: 12.5, tabSize: 2 } },
    { type: 'editorSettings', settings: { tabSize: 8 } },
  ];
  for (const message of valid) {
    it(`accepts ${message.type}`, () => {
      const parsed = parseHostMessage(message);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.deepEqual(parsed.message, message);
    });
  }

  const invalid: [string, unknown][] = [
    ['a string', 'init'],
    ['null', null],
    ['an unknown type', { type: 'reload' }],
    ['init without a schema', { ...init, schema: undefined }],
    ['init with another SQL field', { ...init, sqlField: 'statement' }],
    ['a status with an unknown tone', { type: 'status', tone: 'great', text: 'x' }],
    ['diagnostics without a list of items', { type: 'diagnostics', items: { path: [] } }],
    ['a document without text', { type: 'document' }],
    ['init without editor settings', { ...init, editorSettings: undefined }],
    ['editor settings with a tab size of 0', { type: 'editorSettings', settings: { tabSize: 0 } }],
    ['editor settings with a fractional tab size', { type: 'editorSettings', settings: { tabSize: 2.5 } }],
    ['editor settings with an empty font family', { type: 'editorSettings', settings: { fontFamily: '', tabSize: 4 } }],
    ['editor settings with a font size as text', { type: 'editorSettings', settings: { fontSize: '14px', tabSize: 4 } }],
    ['editor settings with a font family of 1,001 characters', { type: 'editorSettings', settings: { fontFamily: 'x'.repeat(1_001), tabSize: 4 } }],
  ];
  for (const [what, message] of invalid) {
    it(`rejects ${what} with a readable reason`, () => {
      const parsed = parseHostMessage(message);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, /\S/);
    });
  }

  const badItems: [string, unknown][] = [
    ['an unknown severity', { path: [], message: 'x', severity: 'fatal' }],
    ['a negative index', { path: ['a', -1], message: 'x', severity: 'error' }],
    ['an index past 2^53', { path: ['a', 2 ** 60], message: 'x', severity: 'error' }],
    ['no message', { path: ['a'], severity: 'error' }],
    ['a string', 'x'],
  ];
  for (const [what, item] of badItems) {
    it(`drops a diagnostic with ${what} and keeps the others`, () => {
      const good = { path: ['sql'], message: 'kept', severity: 'warning' };
      const parsed = parseHostMessage({ type: 'diagnostics', items: [item, good] });
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.deepEqual(parsed.message, { type: 'diagnostics', items: [good] });
    });
  }

  it('says which field is wrong', () => {
    const parsed = parseHostMessage({ type: 'status', tone: 'great', text: 'x' });
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /tone/);
    assert.match(parsed.error, /expected one of/);
  });
});

describe('webview → host messages', () => {
  it('accepts ready, edits that set or remove, and the four commands', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'edit', path: ['timestampColumn'], value: 'ts' },
      { type: 'edit', path: ['idTypeMapping'], value: [{ statsigUnitID: 'userID', column: 'user_id' }] },
      { type: 'edit', path: ['team'], value: null },
      { type: 'edit', path: ['tableName'], remove: true },
      { type: 'command', command: 'save' },
      { type: 'command', command: 'push' },
      { type: 'command', command: 'openAsText' },
      { type: 'command', command: 'formatSql' },
    ]) {
      const parsed = parseWebviewMessage(message);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    }
  });

  it('rejects an edit with neither a value nor remove, or both', () => {
    assert.equal(parseWebviewMessage({ type: 'edit', path: ['a'] }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'edit', path: ['a'], value: 1, remove: true }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'edit', path: ['a'], remove: false }).ok, false);
  });

  it('rejects an edit of the whole document (empty path)', () => {
    const parsed = parseWebviewMessage({ type: 'edit', path: [], value: {} });
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /path/);
  });

  it('rejects unknown commands and message types', () => {
    assert.equal(parseWebviewMessage({ type: 'command', command: 'delete' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'eval', code: '1' }).ok, false);
    assert.equal(parseWebviewMessage(undefined).ok, false);
  });
});
