// A source's SQL as a document of its own (the `.sql` view, "Open SQL in Text Editor"): a real
// text editor with language sql, saved into the same draft, validated the same way, its
// diagnostics at SQL positions, and in step with the source's own document.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { TestingApi } from '../../src/main.ts';
import { closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, silentPrompts, testEnv, testingApi, until } from './helpers.ts';

let api: TestingApi;
let projectId: string;

const sourceUri = (kind: string, name: string) => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/${kind}/${encodeURIComponent(name)}.json` });
const sqlUri = (uri: vscode.Uri) => uri.with({ path: uri.path.replace(/\.json$/, '.sql') });

async function replaceAllAndSave(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'save failed');
}


suite('The SQL in a text editor (.sql view)', () => {
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

  test('Open SQL in Text Editor shows exactly the source\'s SQL, as a sql document in a text editor', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputText, 'a text editor');
    assert.equal(tab.input.uri.toString(), sqlUri(uri).toString());
    const doc = await vscode.workspace.openTextDocument(sqlUri(uri));
    assert.equal(doc.languageId, 'sql');
    const source = JSON.parse((await vscode.workspace.openTextDocument(uri)).getText()) as { sql: string };
    assert.equal(doc.getText(), source.sql);
  });

  test('saving the .sql view saves the source\'s draft (every other field kept), validates it, and the source\'s document follows', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    const source = await vscode.workspace.openTextDocument(uri);
    const before = JSON.parse(source.getText()) as Record<string, unknown>;
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const sql = `${view.getText()}\n-- narrowed in the .sql view`;
    await replaceAllAndSave(view, sql);
    await api.validator.settled(uri);
    const draft = await api.drafts.get(uri);
    assert.ok(draft, 'a draft');
    assert.deepEqual(JSON.parse(draft.content), { ...before, sql });
    assert.match(api.validator.last(uri)?.status.text ?? '', /dry run passed/i);
    await until('the source document to show the new SQL', () => (JSON.parse(source.getText()) as { sql: string }).sql === sql);
    assert.equal(source.isDirty, false);
  });

  test('a failing dry run marks the exact SQL in the .sql view; a save of the source updates the view', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const original = view.getText();
    const broken = 'SELECT user_id\nFROM no_such_schema.no_such_table';
    await replaceAllAndSave(view, broken);
    await api.validator.settled(uri);
    const marks = await until('a diagnostic on the .sql view', () => {
      const found = vscode.languages.getDiagnostics(sqlUri(uri)).filter((d) => d.source === 'Statsig dry run');
      return found.length > 0 && found;
    });
    assert.match(view.getText(marks[0]?.range), /no_such_schema\.no_such_table/);
    assert.equal(marks[0]?.range.start.line, 1, 'on the SQL\'s own second line, not the JSON\'s');
    // Now the other way: the source's document saved with other SQL; the clean view follows.
    const source = await vscode.workspace.openTextDocument(uri);
    await until('the source document to show the view\'s SQL', () => (JSON.parse(source.getText()) as { sql: string }).sql === broken);
    const fixed = `${original}\n-- fixed`;
    await replaceAllAndSave(source, JSON.stringify({ ...(JSON.parse(source.getText()) as object), sql: fixed }, null, 2));
    await api.validator.settled(uri);
    await until('the .sql view to show the saved SQL', () => view.getText() === fixed);
    assert.equal(vscode.languages.getDiagnostics(sqlUri(uri)).filter((d) => d.source === 'Statsig dry run').length, 0);
  });

  test('Push from the .sql view pushes its source (the view names the source it shows)', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const sql = `${view.getText()} -- pushed from the view`;
    await replaceAllAndSave(view, sql);
    await api.validator.settled(uri);
    // The source's own document (open since an earlier test) reloads the saved draft first.
    const source = await vscode.workspace.openTextDocument(uri);
    await until('the source document to show the view\'s SQL', () => (JSON.parse(source.getText()) as { sql: string }).sql === sql);
    const errors: string[] = [];
    api.prompts.current = {
      warning: (_m, _o, ...items) => Promise.resolve(items.find((i) => i === 'Push')),
      // The push diff's notification: Push… (the diff was read).
      info: (_m, ...items) => Promise.resolve(items.find((i) => i === 'Push…')),
      error: (m) => {
        errors.push(m);
        return Promise.resolve(undefined);
      },
    };
    await vscode.commands.executeCommand(Commands.push);
    assert.deepEqual(errors, []);
    const remote = await fetch(`${emulator.url()}/console/v1/metrics/metric_source/app_events`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    assert.equal(((await remote.json()) as { data: { sql: string } }).data.sql, sql);
    assert.equal(await api.drafts.get(uri), undefined, 'the draft settled');
  });

  test('Compare with Statsig, any time: the SQL as SQL (Statsig ↔ the live .sql view) and the other fields without it', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const theirs = view.getText();
    await replaceAllAndSave(view, `${theirs}\n-- mine`);
    await api.validator.settled(uri);
    await vscode.commands.executeCommand(Commands.compare, uri);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.match(tab?.label ?? '', /app_events: Statsig ↔ your draft/);
    const diffs = (tab?.input as { textDiffs?: { original: vscode.Uri; modified: vscode.Uri }[] } | undefined)?.textDiffs ?? [];
    const sql = diffs.find((d) => d.original.path.endsWith('.sql'));
    assert.ok(sql, `a SQL diff among ${diffs.length}`);
    assert.equal((await vscode.workspace.openTextDocument(sql.original)).getText(), theirs, 'left: Statsig\'s SQL, as text');
    assert.equal((await vscode.workspace.openTextDocument(sql.original)).languageId, 'sql');
    assert.equal(sql.modified.toString(), sqlUri(uri).toString(), 'right: the live .sql view');
    const fields = diffs.find((d) => d.original.path.endsWith('.json'));
    assert.ok(fields);
    assert.doesNotMatch((await vscode.workspace.openTextDocument(fields.modified)).getText(), /"sql"/);
  });

  test('the project\'s SQL dialect (Set SQL Dialect…) decides how the SQL is parsed locally', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const localErrors = () => vscode.languages.getDiagnostics(sqlUri(uri)).filter((d) => d.source === 'Statsig (SQL check)' && d.severity === vscode.DiagnosticSeverity.Error);
    const bigQueryOnly = 'SELECT * EXCEPT (stable_id) FROM analytics.events';
    try {
      assert.equal(api.connections.dialectOf(projectId), 'snowflake', 'the setting\'s default');
      await replaceAllAndSave(view, bigQueryOnly);
      await api.validator.settled(uri);
      assert.ok(localErrors().length > 0, 'Snowflake has no SELECT * EXCEPT (…)');
      await api.store.setDialect(api.connections.baseUrl, projectId, 'bigquery');
      await api.connections.reload();
      assert.equal(api.connections.dialectOf(projectId), 'bigquery');
      api.validator.recheckOpen(projectId);
      await until('the local check to follow the dialect', () => localErrors().length === 0);
    } finally {
      await api.store.setDialect(api.connections.baseUrl, projectId, undefined);
      await api.connections.reload();
    }
  });

  test('a .sql view is checked as it is typed, before any save: the mistake on its exact token; undoing it clears the mark', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openSql, uri);
    const view = await vscode.workspace.openTextDocument(sqlUri(uri));
    const editor = await vscode.window.showTextDocument(view);
    const end = view.positionAt(view.getText().length);
    assert.ok(await editor.edit((b) => b.insert(end, '\n  AND AND ds IS NOT NULL')));
    assert.equal(view.isDirty, true);
    const marks = await until('a mark while typing', () => {
      const found = vscode.languages.getDiagnostics(sqlUri(uri)).filter((d) => d.source === 'Statsig (SQL check)' && d.severity === vscode.DiagnosticSeverity.Error);
      return found.length > 0 && found;
    });
    assert.equal(view.getText(marks[0]?.range), 'AND');
    assert.equal(marks[0]?.range.start.line, view.lineCount - 1, 'on the typed line');
    assert.equal(await api.drafts.get(uri), undefined, 'nothing was saved');
    await vscode.commands.executeCommand('undo');
    await until('the text to be back', () => !view.isDirty);
    await until('the mark to go', () => !vscode.languages.getDiagnostics(sqlUri(uri)).some((d) => d.message.includes('found AND')));
  });
});
