// Push history and Go to Source in the real extension host, against the emulator over loopback
// HTTP. Pushes go through the real Push command (its questions answered through the Prompts seam);
// the quick picks are the real ones, answered with VS Code's own quick-open commands.
import * as assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import { formatSource } from '../../src/core/document.ts';
import { HistoryFolder } from '../../src/core/pushHistory.ts';
import type { TestingApi } from '../../src/main.ts';
import type { Prompts } from '../../src/platform/prompts.ts';
import { closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, silentPrompts, testingApi, until } from './helpers.ts';

let api: TestingApi;
let projectId: string;

interface Asked { kind: 'warning' | 'info' | 'error'; message: string; modal: boolean; items: string[] }

/** Answers every modal with `modal`, the push diff's notification with its Push… button, anything else with nothing. */
function script(modal: (q: Asked) => string | undefined = () => undefined): Asked[] {
  const asked: Asked[] = [];
  const respond = (q: Asked) => {
    asked.push(q);
    if (!q.modal && q.message.startsWith('Read the diff of')) return Promise.resolve(q.items[0]);
    return Promise.resolve(q.modal ? modal(q) : undefined);
  };
  const prompts: Prompts = {
    warning: (message, options, ...items) => respond({ kind: 'warning', message, modal: options.modal === true, items }),
    info: (message, ...items) => respond({ kind: 'info', message, modal: false, items }),
    error: (message, ...items) => respond({ kind: 'error', message, modal: false, items }),
  };
  api.prompts.current = prompts;
  return asked;
}

function uriOf(kind: string, name: string, project = projectId): vscode.Uri {
  return vscode.Uri.from({ scheme: 'statsig', authority: project, path: `/${kind}/${encodeURIComponent(name)}.json` });
}

const APP_EVENTS = () => uriOf('metricSource', 'app_events');

async function saveWith(uri: vscode.Uri, change: (json: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  await vscode.commands.executeCommand(Commands.open, uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), formatSource(change(JSON.parse(doc.getText()) as Record<string, unknown>)));
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'save failed');
  await api.validator.settled(uri);
}

/** Saves the change and pushes it through the Push command, confirming its modal. */
async function pushChange(uri: vscode.Uri, change: (json: Record<string, unknown>) => Record<string, unknown>): Promise<Asked[]> {
  await saveWith(uri, change);
  const asked = script((q) => (q.message.startsWith('Push ') ? 'Push' : undefined));
  await vscode.commands.executeCommand(Commands.push, uri);
  assert.ok(asked.some((q) => q.message.startsWith('Pushed metric source')), `pushed: ${asked.map((q) => q.message).join(' | ')}`);
  return asked;
}

const sqlIn = (json: string | undefined) => (JSON.parse(json ?? '{}') as { sql?: string }).sql;
const descriptionIn = (json: string | undefined) => (JSON.parse(json ?? '{}') as { description?: string }).description;
const withSql = (sql: string) => (json: Record<string, unknown>) => ({ ...json, sql });

type Item = vscode.QuickPickItem & { readonly uri?: vscode.Uri };

/** The quick pick on screen once it shows an item matching `label` (and has finished loading, with `settled`). */
async function pickShowing(label: string | RegExp, { settled = false } = {}): Promise<{ pick: vscode.QuickPick<Item>; item: Item }> {
  const match = (i: Item) => (typeof label === 'string' ? i.label === label : label.test(i.label));
  try {
    return await until(`a quick pick showing ${String(label)}`, () => {
      const pick: vscode.QuickPick<Item> | undefined = api.picks.current;
      const item = pick?.items.find(match);
      return pick && item && (!settled || !pick.busy) ? { pick, item } : undefined;
    }, { tries: 400 });
  } catch (error) {
    const now = api.picks.current;
    throw new Error(`${(error as Error).message}; on screen: ${now ? `"${now.title ?? ''}" [${now.items.map((i) => i.label).join(', ')}]` : 'no quick pick'}`, { cause: error });
  }
}

/** Chooses `label` in the quick pick on screen, as Enter on it would. */
async function choose(label: string | RegExp): Promise<void> {
  const { pick, item } = await pickShowing(label);
  // The extension host's activeItems is set at once; the workbench's follows over IPC and answers
  // with onDidChangeActive. Accepting before that answer took the first item instead (seen in CI
  // and on a loaded machine): wait for the workbench to say it has this item active.
  const echoed = new Promise<boolean>((resolve) => {
    const sub = pick.onDidChangeActive((items) => {
      if (items[0] === item) {
        sub.dispose();
        resolve(true);
      }
    });
    setTimeout(() => {
      sub.dispose();
      resolve(false);
    }, 5000);
  });
  pick.activeItems = [item];
  const confirmed = await echoed;
  await new Promise((r) => setTimeout(r, confirmed ? 100 : 500));
  await vscode.commands.executeCommand('quickInput.accept');
  await until(`the pick to close after choosing ${String(label)}`, () => api.picks.current !== pick, { tries: 100 });
}

interface DiffPair { readonly original: vscode.Uri; readonly modified: vscode.Uri }

/** The SQL sides of the changes editor titled `title…`. */
async function sqlDiff(title: string): Promise<{ left: string; right: string }> {
  const tab = await until(`a diff titled ${title}`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith(title)), { tries: 200 });
  const diffs = (tab.input as { textDiffs?: DiffPair[] }).textDiffs ?? [];
  const sql = diffs.find((d) => d.modified.path.endsWith('.sql'));
  assert.ok(sql, `the diff has a SQL side: ${diffs.map((d) => d.modified.toString()).join(', ')}`);
  const text = async (u: vscode.Uri) => (await vscode.workspace.openTextDocument(u)).getText();
  return { left: await text(sql.original), right: await text(sql.modified) };
}

suite('Push history', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
    // Pushes of other suites stay out of these counts.
    await rm(vscode.Uri.joinPath(api.drafts.storage, 'history').fsPath, { recursive: true, force: true });
  });

  setup(async () => {
    await emulator.reset();
    await emulator.clearFaults();
    script();
  });

  teardown(async () => {
    api.picks.current?.hide();
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('two pushes are listed newest first with their changed fields; compares show the right SQL; Restore makes a draft and pushes nothing', async () => {
    const uri = APP_EVENTS();
    const original = (await api.state.fetch(uri)).data['sql'] as string;
    const first = `${original}\n  AND event_value >= 1`;
    const second = `${original}\n  AND event_value >= 2`;
    await pushChange(uri, withSql(first));
    await pushChange(uri, (json) => ({ ...withSql(second)(json), description: 'second push' }));

    const entries = await api.history.list(uri);
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((e) => e.pushed['sql']), [second, first], 'newest first');
    assert.deepEqual(entries.map((e) => e.changed), [['description', 'sql'], ['sql']]);
    assert.deepEqual(entries.map((e) => e.mode), ['update', 'update'], 'metric sources have no PATCH: full updates');
    assert.equal(entries[1]?.replaced?.['sql'], original, 'the first push replaced the seed');
    assert.equal(entries[0]?.replaced?.['sql'], first, 'the second replaced the first');
    assert.deepEqual(entries.map((e) => [e.projectId, e.projectLabel, e.kind, e.name]), [[projectId, 'Emulator', 'metricSource', 'app_events'], [projectId, 'Emulator', 'metricSource', 'app_events']]);

    // Show Push History… of the source: time, project, mode and fields, newest first.
    const showing = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    const { pick } = await pickShowing(/\d{2}:\d{2}:\d{2}/);
    assert.equal(pick.title, 'Push history of "app_events"');
    assert.deepEqual(pick.items.map((i) => [i.description, i.detail]), [['updated (full) in "Emulator"', 'Changed: description, sql'], ['updated (full) in "Emulator"', 'Changed: sql']]);
    const olderLabel = pick.items[1]?.label ?? '';
    const newerLabel = pick.items[0]?.label ?? '';
    assert.notEqual(olderLabel, newerLabel);
    // Numbered per source, #1 the oldest: two pushes within one second stay apart.
    assert.match(newerLabel, /^#2 · /);
    assert.match(olderLabel, /^#1 · /);
    // The older version, compared with the newer one.
    await choose(olderLabel);
    await choose('Compare with Another Version…');
    await choose(newerLabel);
    await showing;
    assert.deepEqual(await sqlDiff('app_events: pushed'), { left: first, right: second });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // The older version next to what it replaced, and next to Statsig's current version.
    const replacedShowing = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(olderLabel);
    await choose('Compare with What It Replaced');
    await replacedShowing;
    assert.deepEqual(await sqlDiff('app_events: before'), { left: original, right: first });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const currentShowing = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(olderLabel);
    await choose('Compare with Statsig\'s Current Version');
    await currentShowing;
    assert.deepEqual(await sqlDiff('app_events: pushed'), { left: first, right: second });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Restore the older version: a draft with its content, based on Statsig's current version; nothing sent.
    const before = await emulator.stats();
    const asked = script();
    const restoring = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(olderLabel);
    await choose('Restore This Version…');
    await restoring;
    const draft = await api.drafts.get(uri);
    assert.equal(sqlIn(draft?.content), first, 'the draft holds the restored version');
    assert.equal(draft?.base?.['sql'], second, 'its base is Statsig\'s current version');
    assert.equal(draft?.isNew, false);
    assert.equal((await emulator.stats()).mutations, before.mutations, 'nothing was pushed (no mutation reached the emulator)');
    assert.equal(asked.filter((q) => q.modal).length, 0, 'no draft existed: nothing to ask');
    assert.match(api.validator.last(uri)?.status.text ?? '', /^Restored the version pushed .* as a draft, not pushed yet\./, 'the editor no longer says "Pushed"');
    assert.match(asked.at(-1)?.message ?? '', /^The version of "app_events" pushed .* is now your draft\. Nothing was pushed/);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === uri.toString(), 'the source editor is open on it');
    const doc = await vscode.workspace.openTextDocument(uri);
    await until('the editor to show the restored draft', () => sqlIn(doc.getText()) === first);
    // The source editor just opened: its webview takes the focus once it has loaded. The next Show
    // Push History starts at once, as a quick user would: its picks stay open (ignoreFocusOut).

    // The newest version is what Statsig has: nothing to restore, the draft stays.
    const same = script();
    const newest = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(newerLabel);
    await choose('Restore This Version…');
    await newest;
    assert.deepEqual(same.map((q) => q.message), ['Statsig already has this version of "app_events": there is nothing to restore.']);
    assert.equal(sqlIn((await api.drafts.get(uri))?.content), first);

    // Restoring over a draft asks first (modal); Cancel keeps the draft as it is.
    await saveWith(uri, (json) => ({ ...json, description: 'my own edit' }));
    const afterSave = await emulator.stats(); // the save ran a dry run
    const over = script();
    const again = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(olderLabel);
    await choose('Restore This Version…');
    await again;
    const question = over.find((q) => q.modal);
    assert.match(question?.message ?? '', /^Replace your draft of "app_events" with the version pushed /);
    assert.deepEqual(question?.items, ['Replace Draft']);
    assert.equal(descriptionIn((await api.drafts.get(uri))?.content), 'my own edit', 'Cancel kept the draft');
    // Replace Draft: the restored version again, still based on Statsig's current version.
    script((q) => (q.message.startsWith('Replace your draft') ? 'Replace Draft' : undefined));
    const replacing = vscode.commands.executeCommand(Commands.showPushHistory, uri);
    await choose(olderLabel);
    await choose('Restore This Version…');
    await replacing;
    const replaced = await api.drafts.get(uri);
    assert.equal(sqlIn(replaced?.content), first);
    assert.notEqual(descriptionIn(replaced?.content), 'my own edit');
    assert.equal(replaced?.base?.['sql'], second);
    assert.equal((await emulator.stats()).mutations, afterSave.mutations, 'nothing was pushed');
  });

  test('from the palette with no source: every source\'s pushes, newest first, the name first', async () => {
    await pushChange(APP_EVENTS(), (json) => ({ ...json, description: 'palette' }));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const showing = vscode.commands.executeCommand(Commands.showPushHistory);
    const { pick } = await pickShowing('app_events');
    assert.equal(pick.title, 'Push history (every source)');
    const all = await api.history.list();
    assert.equal(pick.items.length, all.length);
    assert.match(pick.items[0]?.description ?? '', /\d{2}:\d{2}:\d{2} \(just now\) · updated \(full\) in "Emulator"$/);
    assert.equal(pick.items[0]?.detail, 'Changed: description');
    pick.hide();
    await showing;
  });

  test('a history that cannot be written never fails the push: no error shown, the draft settled, nothing recorded', async () => {
    const uri = APP_EVENTS();
    const folder = new HistoryFolder(vscode.Uri.joinPath(api.drafts.storage, 'history').fsPath).folderOf(uri.toString());
    await mkdir(vscode.Uri.joinPath(api.drafts.storage, 'history').fsPath, { recursive: true });
    await rm(folder, { recursive: true, force: true });
    await writeFile(folder, 'in the way'); // a file where the source's folder should be
    try {
      const asked = await pushChange(uri, (json) => ({ ...json, description: 'history blocked' }));
      assert.equal(asked.filter((q) => q.kind === 'error').length, 0, 'no error was shown');
      assert.equal(await api.drafts.get(uri), undefined, 'the push settled its draft');
    } finally {
      await rm(folder, { force: true });
    }
    assert.deepEqual(await api.history.list(uri), [], 'nothing was recorded');
  });
});

suite('Go to Source', () => {
  let second: string;

  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
    const key = await emulator.projectKey('goto-second');
    second = (await api.store.add(api.connections.baseUrl, 'goto-second', 'Second', key)).id;
    await api.connections.reload();
  });

  setup(async () => {
    await emulator.reset();
    script();
  });

  teardown(async () => {
    api.picks.current?.hide();
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await disconnect(api, second);
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('lists the sources of both connected projects, the recently opened first; choosing one opens its editor', async () => {
    // Opened last: Second's orders source (in the source editor), then Emulator's app_events as its .sql view.
    const secondEvents = uriOf('metricSource', 'app_events', second);
    await vscode.commands.executeCommand(Commands.open, secondEvents);
    await vscode.commands.executeCommand(Commands.openSql, APP_EVENTS());
    await until('the recent list to follow the tabs', () => api.recent.list()[0] === APP_EVENTS().toString());
    assert.equal(api.recent.list()[1], secondEvents.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const going = vscode.commands.executeCommand(Commands.goToSource);
    const { pick } = await pickShowing('holdout_assignments', { settled: true });
    assert.equal(pick.matchOnDescription, true);
    const items = pick.items;
    assert.equal(items[0]?.kind, vscode.QuickPickItemKind.Separator);
    assert.equal(items[0]?.label, 'recently opened');
    assert.deepEqual(items.slice(1, 3).map((i) => [i.label, i.description]), [['app_events', 'metric source · Emulator'], ['app_events', 'metric source · Second']]);
    const sources = items.filter((i) => i.uri);
    const projects = new Set(sources.map((i) => i.description?.split(' · ').at(-1)));
    assert.deepEqual([...projects].sort(), ['Emulator', 'Second']);
    const perProject = (label: string) => sources.filter((i) => i.description?.endsWith(`· ${label}`)).length;
    assert.equal(perProject('Emulator'), perProject('Second'), 'both projects serve the same seed');
    assert.ok(perProject('Emulator') > 10, `every kind of source is listed (${perProject('Emulator')})`);
    assert.equal(new Set(sources.map((i) => i.uri?.toString())).size, sources.length, 'each source once');

    const target = uriOf('assignmentSource', 'holdout_assignments', second);
    const item = sources.find((i) => i.uri?.toString() === target.toString());
    assert.ok(item);
    pick.activeItems = [item];
    await until('the active item', () => pick.activeItems[0] === item);
    await new Promise((r) => setTimeout(r, 150));
    await vscode.commands.executeCommand('quickInput.accept');
    await going;
    const tab = await until('the source editor', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputCustom && t.input.uri.toString() === target.toString() ? t : undefined;
    });
    assert.ok(tab);
    await until('the recent list to have it first', () => api.recent.list()[0] === target.toString());
  });

  test('one kind failing to load hides none of the others, and says which', async () => {
    await api.model.refresh();
    // Only the listing of metric sources of the first project is refused: reload just that one.
    await emulator.setFaults({ failNext: { status: 403, count: 1 } });
    await api.model.refresh(projectId, 'metricSource');
    await emulator.clearFaults();
    const going = vscode.commands.executeCommand(Commands.goToSource);
    const { pick } = await pickShowing(/could not be loaded/, { settled: true });
    assert.ok(pick.items.some((i) => i.label === 'holdout_assignments'), 'the other kinds are listed');
    assert.match(pick.items.find((i) => /could not be loaded/.test(i.label))?.label ?? '', /Metric Sources of "Emulator" could not be loaded/);
    pick.hide();
    await going;
  });

  test('with no connected project it says so and offers to connect', async () => {
    await disconnect(api, second);
    await disconnect(api, projectId);
    try {
      const asked = script();
      await vscode.commands.executeCommand(Commands.goToSource);
      assert.deepEqual(asked.map((q) => [q.message, q.items]), [['No Statsig project is connected yet: connect one to go to its sources.', ['Set API Key…']]]);
      assert.equal(api.picks.current, undefined);
    } finally {
      projectId = await connectEmulatorOnly(api);
      const key = await emulator.projectKey('goto-second');
      second = (await api.store.add(api.connections.baseUrl, 'goto-second', 'Second', key)).id;
      await api.connections.reload();
    }
  });
});
