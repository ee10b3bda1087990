// Sources as code in VS Code: Pull to Workspace… writes the folder format into the workspace; a
// workspace source's files validate on save (local checks and Statsig's dry run, problems on the
// files), push against the lock's base (a change made on Statsig since the pull is a conflict), open
// in the custom editor as one document whose save writes the two plain files; the tree marks
// sources the workspace tracks. In the real extension host, over real HTTP to the emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EDITOR_VIEW_TYPE } from '../../src/constants.ts';
import { parseLock, sourceHash } from '../../src/core/sourceLock.ts';
import type { TestingApi } from '../../src/main.ts';
import type { SourcesNode } from '../../src/features/tree/sourcesTree.ts';
import { workspaceDocumentUri } from '../../src/features/workspace/workspaceSources.ts';
import { behindTheBack, closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, isReview, remote, scriptPrompts, silentPrompts, testingApi, until, withoutOwner, type Asked } from './helpers.ts';

let api: TestingApi;
let projectId: string;

const PATH = '/console/v1/metrics/metric_source/app_events';
const folder = () => {
  const ws = vscode.workspace.workspaceFolders?.[0];
  assert.ok(ws, 'the integration tests run with a workspace folder');
  return ws.uri;
};
const root = () => vscode.Uri.joinPath(folder(), 'statsig');
const file = (path: string) => vscode.Uri.joinPath(root(), path);
const sqlFile = () => file('metric-sources/app_events.sql');
const jsonFile = () => file('metric-sources/app_events.source.json');
const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);
/** Like until, for a probe that must await (until would take its promise for a value). */
async function eventually(what: string, probe: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const describe = (asked: readonly Asked[]) => asked.map((q) => `${q.kind}: ${q.message}`).join(' | ');
const lock = async () => {
  const parsed = parseLock(await read(file('statsig.lock.json')));
  assert.ok(parsed.ok);
  return parsed.lock;
};

/** The project as the tree's project item names it (with one project connected, the tree shows its groups at the top). */
function projectNode(): SourcesNode {
  const project = api.connections.current.find((p) => p.id === projectId);
  assert.ok(project, 'the project is connected');
  return { type: 'project', id: project.id, project };
}

/** The tree item of a metric source (after the tree has had the workspace's roots). */
async function metricItem(name: string): Promise<vscode.TreeItem> {
  const top = await api.tree.getChildren();
  const groups = top.some((n) => n.type === 'group') ? top : await api.tree.getChildren(projectNode());
  const group = groups.find((n) => n.type === 'group' && n.kind === 'metricSource');
  await until('the metric sources to be listed', () => api.model.records(projectId, 'metricSource').length > 0);
  const node = (await api.tree.getChildren(group)).find((n) => n.type === 'source' && n.record.ref.kind === 'metricSource' && n.record.ref.name === name);
  assert.ok(node, `${name} is in the tree`);
  return api.tree.getTreeItem(node);
}

/** Replaces a file's text in its editor and saves it (which validates); waits for the validation. */
async function editAndSave(uri: vscode.Uri, change: (text: string) => string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  // A document kept in memory from an earlier test follows the file a pull rewrote (the file watcher) before it is edited.
  const disk = await read(uri);
  await until('the document to show the file as on disk', () => doc.getText() === disk);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), change(doc.getText()));
  assert.ok(await vscode.workspace.applyEdit(edit));
  const validated = new Promise<void>((resolve) => {
    const sub = api.workspaceValidator.onDidChange((e) => {
      if (!e.busy) {
        sub.dispose();
        resolve();
      }
    });
  });
  assert.ok(await doc.save(), 'save failed');
  await validated;
  return doc;
}

async function pull(arg: unknown, answer: (q: Asked) => string | undefined = () => undefined): Promise<Asked[]> {
  const asked = scriptPrompts(api, answer);
  await vscode.commands.executeCommand(Commands.pullToWorkspace, arg);
  return asked;
}

suite('Sources as code in the workspace', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  setup(async () => {
    await emulator.reset();
    await vscode.workspace.fs.delete(root(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.workspaceSources.refresh();
    scriptPrompts(api);
  });

  teardown(async () => {
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(root(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.workspaceSources.refresh();
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('Pull to Workspace… on the project writes every source as two plain files and the lock; the tree marks them as in the workspace', async () => {
    const asked = await pull(projectNode());
    const done = asked.find((q) => q.message.startsWith('Pulled'));
    assert.ok(done, describe(asked));
    assert.match(done.message, /^Pulled \d+ sources of "Emulator" into statsig: \d+ written, 0 unchanged, 0 removed\.$/);
    const sql = await read(sqlFile());
    assert.equal(sql, (await remote(PATH))['sql'], 'the SQL byte for byte');
    const fields = JSON.parse(await read(jsonFile())) as Record<string, unknown>;
    assert.equal(fields['name'], 'app_events');
    assert.equal('sql' in fields, false, 'the SQL is only in the .sql file');
    assert.equal('owner' in fields, false, 'server-owned fields are not written');
    assert.ok(await exists(file('ingestion-sources/snowflake-v2/Events/app_events_ingest.source.json')), 'ingestion sources under <type>/<dataset>/');
    assert.ok(await exists(file('metric-sources/Order Revenue~21.source.json')), 'names are encoded');
    const l = await lock();
    assert.equal(l.projectId, projectId);
    assert.equal(l.sources['metricSource/app_events']?.hash, sourceHash('metricSource', await remote(PATH)));
    await eventually('the tree to mark app_events as in the workspace', async () => String((await metricItem('app_events')).description).startsWith('workspace ✓')).catch(async () => {
      assert.fail(`tree description: ${String((await metricItem('app_events')).description)}`);
    });
    assert.match(String((await metricItem('app_events')).contextValue), /\bworkspace\b/);

    // Compare right after the pull: both sides of the diff say the same (no key order or server-owned field shows as a change).
    await vscode.commands.executeCommand(Commands.compare, sqlFile());
    const snapshots = await until('the diff\'s snapshots', () => {
      const docs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'statsig-remote' && d.uri.path.endsWith('/app_events.json') && d.uri.fragment);
      const left = docs.find((d) => d.uri.fragment === 'statsig');
      const right = docs.find((d) => d.uri.fragment === 'draft');
      return left && right && { left, right };
    });
    assert.equal(snapshots.right.getText(), snapshots.left.getText(), 'Compare shows no change for files as pulled');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Pulled again with nothing changed: nothing written.
    const again = await pull(projectNode());
    assert.match(again.find((q) => q.message.startsWith('Pulled'))?.message ?? describe(again), /: 0 written, \d+ unchanged, 0 removed\.$/);
  });

  test('saving a .sql file validates it like a draft: a mistake is marked at its line in the .sql file by the dry run; fixed, the dry run passes; the tree says the copy differs', async () => {
    await pull(projectNode());
    const before = (await emulator.stats()).mutations;
    await editAndSave(sqlFile(), (sql) => sql.replace('FROM analytics.events', 'FROM analytics.no_such_table'));
    const problems = await until('problems on the .sql file', () => {
      const d = vscode.languages.getDiagnostics(sqlFile()).filter((x) => x.source === 'Statsig dry run');
      return d.length > 0 && d;
    });
    assert.match(problems[0]?.message ?? '', /no_such_table/);
    assert.equal(problems[0]?.range.start.line, 4, 'at the FROM line of the .sql file');
    assert.ok((await emulator.stats()).mutations > before, 'Statsig\'s dry run ran');

    await editAndSave(sqlFile(), (sql) => sql.replace('FROM analytics.no_such_table', 'FROM analytics.events -- reviewed'));
    assert.deepEqual(vscode.languages.getDiagnostics(sqlFile()).filter((x) => x.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
    const status = api.workspaceValidator.last((await api.workspaceSources.find(sqlFile()))!);
    assert.match(status?.status.text ?? '', /^Dry run passed/);
    await api.model.refresh(projectId, 'metricSource');
    await eventually('the tree to say the copy differs', async () => String((await metricItem('app_events')).description).startsWith('workspace ≠ Statsig'));
    assert.doesNotMatch(String((await remote(PATH))['sql']), /reviewed/, 'saving pushes nothing');
  });

  test('Push of files Statsig\'s dry run refuses: refused with the count, nothing sent, the files unchanged', async () => {
    await pull(projectNode());
    await editAndSave(sqlFile(), (sql) => sql.replace('FROM analytics.events', 'FROM analytics.no_such_table'));
    const before = await remote(PATH);
    const asked = scriptPrompts(api);
    await vscode.commands.executeCommand(Commands.push, sqlFile());
    const refused = asked.find((q) => q.message.startsWith('Push refused: "app_events" has 1 error from Statsig\'s dry run.'));
    assert.ok(refused, describe(asked));
    assert.deepEqual(refused.items, ['Show Problems']);
    assert.equal(asked.some((q) => q.modal), false, describe(asked));
    assert.deepEqual(await remote(PATH), before, 'nothing pushed');
    assert.match(await read(sqlFile()), /no_such_table/);
  });

  test('a name that disagrees with its file is a problem on the .source.json, at its line', async () => {
    await pull(projectNode());
    await editAndSave(jsonFile(), (text) => text.replace('"name": "app_events"', '"name": "app_events_2"'));
    const problems = vscode.languages.getDiagnostics(jsonFile());
    assert.equal(problems.length, 1, problems.map((p) => p.message).join(' | '));
    assert.match(problems[0]?.message ?? '', /"name" is "app_events_2" but the file name says "app_events"/);
    assert.equal(problems[0]?.range.start.line, 1);
  });

  test('Push from the .sql file: shown, confirmed, sent; the lock records Statsig\'s new version; the tree says the copy is the same again', async () => {
    await pull(projectNode());
    const doc = await editAndSave(sqlFile(), (sql) => `${sql}\n-- pushed from the workspace`);
    await vscode.window.showTextDocument(doc);
    const asked = scriptPrompts(api, (q) => (q.modal && q.message.startsWith('Push metric source "app_events" from your files') ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push);
    assert.ok(asked.findIndex(isReview) >= 0 && asked.findIndex(isReview) < asked.findIndex((q) => q.modal), `the diff is read before the modal: ${describe(asked)}`);
    assert.ok(asked.some((q) => q.message.startsWith('Pushed metric source "app_events"')), describe(asked));
    const now = await remote(PATH);
    assert.match(String(now['sql']), /-- pushed from the workspace$/);
    assert.equal((await lock()).sources['metricSource/app_events']?.hash, sourceHash('metricSource', now));
    await api.model.refresh(projectId, 'metricSource');
    await eventually('the tree to say the copy is the same as Statsig', async () => String((await metricItem('app_events')).description).startsWith('workspace ✓'));
  });

  test('a change made on Statsig since the pull is a conflict: Cancel keeps Statsig\'s change; Overwrite pushes the files', async () => {
    await pull(projectNode());
    await behindTheBack('POST', PATH, { ...withoutOwner(await remote(PATH)), description: 'theirs' });
    await editAndSave(sqlFile(), (sql) => `${sql}\n-- mine`);
    const cancelled = scriptPrompts(api);
    await vscode.commands.executeCommand(Commands.push, sqlFile());
    const conflict = cancelled.find((q) => q.message.includes('changed on Statsig since your files were pulled'));
    assert.ok(conflict?.modal, describe(cancelled));
    assert.deepEqual(conflict.items, ['Compare', 'Overwrite']);
    assert.equal((await remote(PATH))['description'], 'theirs', 'nothing pushed');
    assert.doesNotMatch(String((await remote(PATH))['sql']), /-- mine/);

    const overwrite = scriptPrompts(api, (q) => (q.message.includes('changed on Statsig since') ? 'Overwrite' : q.modal && q.message.startsWith('Push metric source') ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, sqlFile());
    assert.ok(overwrite.some((q) => q.message.startsWith('Pushed')), describe(overwrite));
    assert.match(String((await remote(PATH))['sql']), /-- mine$/);
  });

  test('a change made on Statsig while the push was being confirmed is never overwritten: nothing is sent, the user is told', async () => {
    await pull(projectNode());
    await editAndSave(sqlFile(), (sql) => `${sql}\n-- mine`);
    const asked = scriptPrompts(api, async (q) => {
      if (!(q.modal && q.message.startsWith('Push metric source'))) return undefined;
      await behindTheBack('POST', PATH, { ...withoutOwner(await remote(PATH)), description: 'theirs, meanwhile' });
      return 'Push';
    });
    await vscode.commands.executeCommand(Commands.push, sqlFile());
    assert.ok(asked.some((q) => q.message.startsWith('Nothing was pushed: "app_events" changed on Statsig')), describe(asked));
    const now = await remote(PATH);
    assert.equal(now['description'], 'theirs, meanwhile');
    assert.doesNotMatch(String(now['sql']), /-- mine/);
  });

  test('Open in Statsig Source Editor: the two files as one document in the custom editor; its save writes the .sql and leaves the .source.json byte for byte', async () => {
    await pull(projectNode());
    const jsonBefore = await read(jsonFile());
    await vscode.commands.executeCommand(Commands.openWorkspaceSource, sqlFile());
    const docUri = workspaceDocumentUri({ jsonUri: jsonFile() });
    const tab = await until('the custom editor', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === docUri.toString()));
    assert.equal((tab.input as vscode.TabInputCustom).viewType, EDITOR_VIEW_TYPE);
    const doc = await vscode.workspace.openTextDocument(docUri);
    const value = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.equal(value['sql'], await read(sqlFile()), 'the document holds the SQL of the .sql file');
    const edit = new vscode.WorkspaceEdit();
    const sql = String(value['sql']);
    const at = doc.getText().indexOf('FROM analytics.events');
    edit.insert(docUri, doc.positionAt(at), '/* edited */ ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await eventually('the .sql file to be written', async () => (await read(sqlFile())) === sql.replace('FROM analytics.events', '/* edited */ FROM analytics.events'));
    assert.equal(await read(jsonFile()), jsonBefore, 'the .source.json is untouched');
  });

  test('Pull to Workspace… never overwrites a local change without asking; declined, the file is kept', async () => {
    await pull(projectNode());
    await editAndSave(sqlFile(), (sql) => `${sql}\n-- local change`);
    await behindTheBack('POST', PATH, { ...withoutOwner(await remote(PATH)), description: 'theirs' });
    const asked = await pull(projectNode());
    const question = asked.find((q) => q.message.startsWith('Pulling would overwrite your changes to 1 source'));
    assert.ok(question?.modal, describe(asked));
    assert.match(question.detail ?? '', /metric-sources\/app_events\.sql/);
    assert.match(await read(sqlFile()), /-- local change$/);
    assert.equal(asked.some((q) => q.message.startsWith('Pulled')), false);

    const forced = await pull(projectNode(), (q) => (q.message.startsWith('Pulling would overwrite') ? 'Overwrite My Changes' : undefined));
    assert.ok(forced.some((q) => q.message.startsWith('Pulled')), describe(forced));
    assert.doesNotMatch(await read(sqlFile()), /-- local change/);
    assert.equal((JSON.parse(await read(jsonFile())) as Record<string, unknown>)['description'], 'theirs');
  });
});
