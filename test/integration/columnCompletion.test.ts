// Open as JSON: a source's column fields complete the query's output columns, and hovering one
// shows that column's expression from the SQL, through VS Code's own completion and hover commands
// on a statsig: JSON document, against the emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { TestingApi } from '../../src/main.ts';
import { closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, silentPrompts, testingApi } from './helpers.ts';

let api: TestingApi;
let projectId: string;

const sourceUri = (kind: string, name: string) => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/${kind}/${encodeURIComponent(name)}.json` });

async function openAsJson(uri: vscode.Uri): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand(Commands.openAsJson, uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  assert.equal(doc.languageId, 'json');
  return doc;
}

async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** Our completion items at `offset` (the JSON language server adds its own; ours are Field items with a column's detail). */
async function columnsAt(doc: vscode.TextDocument, offset: number): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(offset), '"');
  return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Field && typeof i.detail === 'string' && i.documentation instanceof vscode.MarkdownString);
}

const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

async function hoversAt(doc: vscode.TextDocument, offset: number): Promise<vscode.MarkdownString[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
  return hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes(' of this query:'));
}

suite('Open as JSON: column completions and hover', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  setup(async () => {
    await emulator.reset();
    api.prompts.current = silentPrompts;
  });

  teardown(async () => {
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
  });

  test('a column field completes the output columns of the query (through SELECT * over a CTE), replacing the value typed', async () => {
    const doc = await openAsJson(sourceUri('assignmentSource', 'holdout_assignments'));
    const text = doc.getText();
    const value = text.indexOf('"group_id"', text.indexOf('"groupIDColumn"'));
    assert.ok(value > 0);
    const items = await columnsAt(doc, value + 3);
    assert.deepEqual(items.map(label), ['user_id', 'stable_id', 'experiment_id', 'group_id', 'assigned_at']);
    const group = items.find((i) => label(i) === 'group_id');
    assert.equal(group?.insertText, '"group_id"');
    const range = group?.range instanceof vscode.Range ? group.range : undefined;
    assert.equal(range && doc.getText(range), '"group_id"', 'the whole string is replaced');
    assert.match((group?.documentation as vscode.MarkdownString).value, /```sql\nCASE WHEN hash\(user_id\) % 10 = 0 THEN 'holdout' ELSE 'launched' END\n```/);
    // idTypeMapping[].column too; the unit ID type and the name are not columns.
    const mapped = text.indexOf('"stable_id"', text.indexOf('"idTypeMapping"'));
    assert.equal((await columnsAt(doc, mapped + 2)).length, 5);
    assert.equal((await columnsAt(doc, text.indexOf('"userID"') + 2)).length, 0);
  });

  test('an empty value being typed completes too, and the columns follow the SQL as it is edited (unsaved)', async () => {
    const doc = await openAsJson(sourceUri('metricSource', 'app_events'));
    const value = JSON.parse(doc.getText()) as Record<string, unknown>;
    const edited = JSON.stringify({ ...value, sql: 'SELECT user_id, event_ts AS ts, lower(event) AS event_name FROM analytics.events', timestampColumn: 'ts' }, null, 2)
      .replace(/"timestampColumn": "ts"/, '"timestampColumn": ');
    await replaceAll(doc, edited);
    const at = edited.indexOf('"timestampColumn": ') + '"timestampColumn": '.length;
    const items = await columnsAt(doc, at);
    assert.deepEqual(items.map(label), ['user_id', 'ts', 'event_name']);
    assert.equal(items.find((i) => label(i) === 'event_name')?.detail, 'lower(event)');
  });

  test('hovering a column field\'s value shows that column\'s expression as SQL, as untrusted Markdown', async () => {
    const doc = await openAsJson(sourceUri('assignmentSource', 'holdout_assignments'));
    const text = doc.getText();
    const [hover, ...more] = await hoversAt(doc, text.indexOf('"group_id"', text.indexOf('"groupIDColumn"')) + 3);
    assert.equal(more.length, 0);
    assert.ok(hover);
    assert.equal(hover.isTrusted, false);
    assert.equal(hover.supportHtml, false);
    assert.match(hover.value, /^Column group\\_id of this query:\n\n```sql\nCASE WHEN hash\(user_id\) % 10 = 0 THEN 'holdout' ELSE 'launched' END\n```/);
    assert.equal((await hoversAt(doc, text.indexOf('"holdouts"') + 2)).length, 0, 'a tag is no column');
  });

  test('SQL that tries to be Markdown stays inside the code block', async () => {
    const doc = await openAsJson(sourceUri('metricSource', 'app_events'));
    const value = JSON.parse(doc.getText()) as Record<string, unknown>;
    const sql = 'SELECT user_id, \'```\n[click](command:workbench.action.quit) <img src=x onerror=alert(1)>\' AS ts FROM analytics.events';
    const edited = JSON.stringify({ ...value, sql, timestampColumn: 'ts' }, null, 2);
    await replaceAll(doc, edited);
    const [hover] = await hoversAt(doc, edited.indexOf('"ts"', edited.indexOf('"timestampColumn"')) + 2);
    assert.ok(hover);
    assert.equal(hover.isTrusted, false);
    const fence = hover.value.match(/\n(`{4,})sql\n/)?.[1];
    assert.ok(fence, 'a fence longer than the backticks inside');
    assert.ok(hover.value.includes(`${fence}sql\n'\`\`\`\n[click](command:workbench.action.quit) <img src=x onerror=alert(1)>'\n${fence}`), hover.value);
  });
});
