// Format SQL in the real extension host: the command formats the SQL of an open source's JSON
// document in one undo step, keeps Statsig's macros as typed, follows the dialect setting and the
// user's tab size for SQL, and when the formatter cannot read the SQL changes nothing and says why
// (through the Prompts seam).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import { formatSource } from '../../src/core/document.ts';
import type { TestingApi } from '../../src/main.ts';
import type { Prompts } from '../../src/platform/prompts.ts';
import { macrosIn } from '../../src/shared/sqlFormat.ts';
import { connectEmulatorOnly, disconnect, emulator, silentPrompts, testingApi } from './helpers.ts';

let api: TestingApi;
let projectId: string;

function script(): string[] {
  const asked: string[] = [];
  const record = (message: string) => {
    asked.push(message);
    return Promise.resolve(undefined);
  };
  const prompts: Prompts = { warning: (message) => record(message), info: (message) => record(message), error: (message) => record(message) };
  api.prompts.current = prompts;
  return asked;
}

const MESSY = 'select user_id, event_name, event_ts,  ds from analytics.events where ds between {statsig_start_date} and {statsig_end_date} and event_ts >= {statsig_start_date_ts}';

async function openWithSql(sql: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: '/metricSource/app_events.json' });
  await vscode.commands.executeCommand(Commands.open, uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), formatSource({ ...sqlOf(doc, true), sql }));
  assert.ok(await vscode.workspace.applyEdit(edit));
  return doc;
}

function sqlOf(doc: vscode.TextDocument): string;
function sqlOf(doc: vscode.TextDocument, whole: true): Record<string, unknown>;
function sqlOf(doc: vscode.TextDocument, whole = false): string | Record<string, unknown> {
  const value = JSON.parse(doc.getText()) as Record<string, unknown>;
  return whole ? value : String(value['sql']);
}

const format = (uri?: vscode.Uri) => vscode.commands.executeCommand<string | undefined>(Commands.formatSql, ...(uri ? [uri] : []));
const squash = (s: string) => s.replace(/\s+/g, '');

suite('Format SQL', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
    await emulator.reset();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('statsigWhn').update('sqlDialect', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('editor', { languageId: 'sql' }).update('tabSize', undefined, vscode.ConfigurationTarget.Global, true);
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('formats the active source\'s SQL as one undo step: macros, case and everything but the layout kept; the rest of the JSON untouched', async () => {
    const asked = script();
    const doc = await openWithSql(MESSY);
    const before = doc.getText();
    const version = doc.version;
    assert.equal(await format(), 'formatted', 'the command with no argument formats the active source editor');
    const sql = sqlOf(doc);
    assert.ok(sql.split('\n').length >= 8, sql);
    assert.match(sql, /^select\n {4}user_id,/, 'lower-case keywords stay lower case; the default tab size (4) indents');
    assert.deepEqual(macrosIn(sql), ['{statsig_start_date}', '{statsig_end_date}', '{statsig_start_date_ts}']);
    assert.equal(squash(sql), squash(MESSY));
    assert.deepEqual({ ...sqlOf(doc, true), sql: undefined }, { ...(JSON.parse(before) as Record<string, unknown>), sql: undefined }, 'only the SQL changed');
    assert.equal(doc.version, version + 1, 'one change of the document');
    assert.deepEqual(asked, []);
    // Formatting formatted SQL changes nothing (and adds no undo step).
    assert.equal(await format(), 'unchanged');
    assert.equal(doc.version, version + 1);

    // One Undo takes the whole format back; Redo brings it again.
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before, 'one undo restores the SQL as typed');
    await vscode.commands.executeCommand('redo');
    assert.equal(sqlOf(doc), sql);
  });

  test('SQL the formatter cannot read: nothing changes, and the user is told why in one sentence', async () => {
    const asked = script();
    const doc = await openWithSql('select (user_id from analytics.events where ds >= {statsig_start_date}');
    const before = doc.getText();
    assert.equal(await format(doc.uri), 'refused');
    assert.equal(doc.getText(), before);
    assert.deepEqual(asked, ['Format SQL left "app_events" unchanged. The SQL could not be read as Snowflake: it ends too early (at line 1, column 71).']);
  });

  test('follows the dialect setting and the user\'s tab size for SQL ([sql] editor.tabSize)', async () => {
    const asked = script();
    await vscode.workspace.getConfiguration('statsigWhn').update('sqlDialect', 'bigquery', vscode.ConfigurationTarget.Global);
    const doc = await openWithSql('select ts::date as ds from analytics.events');
    assert.equal(await format(doc.uri), 'refused', 'BigQuery has no :: casts');
    assert.match(asked[0] ?? '', /could not be read as BigQuery: unexpected "::date as" at line 1, column 10\.$/);

    await vscode.workspace.getConfiguration('statsigWhn').update('sqlDialect', 'snowflake', vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('editor', { languageId: 'sql' }).update('tabSize', 3, vscode.ConfigurationTarget.Global, true);
    assert.equal(await format(doc.uri), 'formatted');
    assert.equal(sqlOf(doc), 'select\n   ts::date as ds\nfrom\n   analytics.events');
  });

  test('no source at hand: says so and changes nothing', async () => {
    const asked = script();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await format(), undefined);
    assert.deepEqual(asked, ['Open a Statsig source to format its SQL.']);
  });
});
