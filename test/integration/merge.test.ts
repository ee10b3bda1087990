// Merge with Statsig… in the real extension host against the emulator: a colleague changes the source
// on Statsig behind the user's back (the Console API, straight), then the user merges. One-sided
// field changes, a clean SQL merge, a SQL conflict resolved in the `.sql` view, a field conflict
// answered field by field, Escape, and the cases with nothing to merge. Questions are answered
// through the Prompts seam (quick picks included); everything else is VS Code's own API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import { formatSource } from '../../src/core/document.ts';
import { MARKERS } from '../../src/core/merge.ts';
import { UNRESOLVED_MERGE_MESSAGE } from '../../src/core/validation.ts';
import type { TestingApi } from '../../src/main.ts';
import type { PickItem, Prompts } from '../../src/platform/prompts.ts';
import { closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, silentPrompts, testEnv, testingApi, until } from './helpers.ts';

let api: TestingApi;
let projectId: string;

interface Asked { kind: 'warning' | 'info' | 'error' | 'pick'; message: string; detail: string | undefined; modal: boolean; items: string[]; tab?: string }

/** Answers every question with `answer(asked)` and records it; a quick pick is asked as kind 'pick' (its title as message). */
function script(answer: (q: Asked) => string | undefined = () => undefined): Asked[] {
  const asked: Asked[] = [];
  const respond = (q: Asked) => {
    // What is in front while the question is asked (the diff a confirmation is about).
    asked.push({ ...q, tab: vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '' });
    // The push diff's notification: Push… (the user read the diff).
    if (!q.modal && q.message.startsWith('Read the diff of')) return Promise.resolve(q.items[0]);
    return Promise.resolve(answer(q));
  };
  const prompts: Prompts = {
    warning: (message, options, ...items) => respond({ kind: 'warning', message, detail: options.detail, modal: options.modal === true, items }),
    info: (message, ...items) => respond({ kind: 'info', message, detail: undefined, modal: false, items }),
    error: (message, ...items) => respond({ kind: 'error', message, detail: undefined, modal: false, items }),
    pick: (items: readonly PickItem[], options) => respond({
      kind: 'pick', message: options.title, detail: [options.placeHolder, ...items.map((i) => `${i.label}: ${i.description ?? ''}`)].join(' | '), modal: false, items: items.map((i) => i.label),
    }),
  };
  api.prompts.current = prompts;
  return asked;
}

const PATH = '/console/v1/metrics/metric_source/app_events';
const uri = () => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: '/metricSource/app_events.json' });
const sqlUri = () => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: '/metricSource/app_events.sql' });

async function remote(): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url()}${PATH}`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

/** A colleague's full update on Statsig (the emulator's Console API, not the extension). */
async function theyChange(change: (data: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const { owner: _owner, ...now } = await remote();
  const response = await fetch(`${emulator.url()}${PATH}`, {
    method: 'POST', headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '', 'content-type': 'application/json' }, body: JSON.stringify(change(now)),
  });
  assert.ok(response.ok, `emulator POST ${PATH}: ${response.status} ${await response.text()}`);
}

async function openSource(): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand(Commands.open, uri());
  return vscode.workspace.openTextDocument(uri());
}

async function replaceAndSave(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'save failed');
  await api.validator.settled(uri());
}

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;
const json = (doc: vscode.TextDocument) => parse(doc.getText());
const lineSet = (sql: unknown, index: number, line: string) => String(sql).split('\n').map((l, i) => (i === index ? line : l)).join('\n');
const describe = (asked: readonly Asked[]) => asked.map((q) => `${q.kind}: ${q.message}`).join(' | ');

/** Pushes, confirming; fails if push asked to overwrite anything. */
async function pushWithoutOverwrite(): Promise<void> {
  const asked = script((q) => (q.modal && q.message.startsWith('Push metric source') ? 'Push' : undefined));
  await vscode.commands.executeCommand(Commands.push, uri());
  assert.equal(asked.some((q) => q.items.includes('Overwrite')), false, `asked to overwrite: ${describe(asked)}`);
  assert.ok(asked.some((q) => q.message.startsWith('Pushed metric source "app_events"')), describe(asked));
  assert.equal(await api.drafts.get(uri()), undefined, 'the draft settled');
}

suite('Merge with Statsig', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  setup(async () => {
    await emulator.reset();
    script();
  });

  teardown(async () => {
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('one-sided field changes merge by themselves (from push\'s conflict question): the draft\'s description and Statsig\'s tags, pushed without Overwrite', async () => {
    const doc = await openSource();
    await replaceAndSave(doc, formatSource({ ...json(doc), description: 'mine' }));
    await theyChange((now) => ({ ...now, tags: ['core', 'product', 'theirs'] }));
    const asked = script((q) => (q.message.includes('changed on Statsig since') ? 'Merge' : q.modal && q.message.startsWith('Apply the merge') ? 'Apply Merge' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri());
    const conflict = asked.find((q) => q.message.includes('changed on Statsig since'));
    assert.deepEqual(conflict?.items, ['Compare', 'Merge', 'Overwrite']);
    const apply = asked.find((q) => q.message === 'Apply the merge to your draft of "app_events"?');
    assert.ok(apply?.modal, describe(asked));
    assert.match(apply.detail ?? '', /From Statsig: tags\. Kept from your draft: description\./);
    assert.ok(apply.tab?.startsWith('app_events: Statsig (now) ↔ merged draft'), `the merge was shown as a diff before Apply (in front: ${apply.tab ?? ''})`);
    const draft = await api.drafts.get(uri());
    assert.ok(draft);
    assert.deepEqual([parse(draft.content)['description'], parse(draft.content)['tags']], ['mine', ['core', 'product', 'theirs']]);
    assert.deepEqual(draft.base?.['tags'], ['core', 'product', 'theirs'], 'the draft is now based on Statsig\'s version');
    assert.equal(draft.merging, undefined);
    await until('the editor to show the merged draft', () => (json(doc)['tags'] as string[]).includes('theirs') && json(doc)['description'] === 'mine');
    assert.equal(doc.isDirty, false);
    assert.equal(asked.some((q) => q.message.startsWith('Pushed')), false, 'Merge pushes nothing by itself');

    await pushWithoutOverwrite();
    const now = await remote();
    assert.deepEqual([now['description'], now['tags']], ['mine', ['core', 'product', 'theirs']]);
  });

  test('SQL changed on both sides in different lines: a clean merge, confirmed, pushed; Statsig has both changes', async () => {
    const doc = await openSource();
    const sql = json(doc)['sql'];
    const mine = lineSet(sql, 1, '  user_id, stable_id, company_id, -- mine');
    await replaceAndSave(doc, formatSource({ ...json(doc), sql: mine }));
    await theyChange((now) => ({ ...now, sql: lineSet(now['sql'], 5, `${String(now['sql']).split('\n')[5]} -- theirs`) }));
    const asked = script((q) => (q.modal && q.message.startsWith('Apply the merge') ? 'Apply Merge' : undefined));
    await vscode.commands.executeCommand(Commands.merge, uri());
    const apply = asked.find((q) => q.message.startsWith('Apply the merge'));
    assert.match(apply?.detail ?? '', /SQL \("sql"\): your changed lines and Statsig's, merged line by line\./, describe(asked));
    const merged = String(parse((await api.drafts.get(uri()))?.content ?? '{}')['sql']);
    assert.match(merged, /company_id, -- mine\n/);
    assert.match(merged, /\{statsig_end_date\} -- theirs$/);
    assert.equal(merged.includes('<<<<<<<'), false);
    await until('the editor to show the merged SQL', () => json(doc)['sql'] === merged);
    await until('the merged draft to pass the dry run', () => api.validator.last(uri())?.status.text.startsWith('Dry run passed'));

    await pushWithoutOverwrite();
    assert.equal((await remote())['sql'], merged);
  });

  test('SQL conflict on one line: markers in the draft, errors at the marker lines, push refused; resolved in the .sql view and saved, then pushed without Overwrite', async () => {
    const doc = await openSource();
    const base = String(json(doc)['sql']);
    await replaceAndSave(doc, formatSource({ ...json(doc), sql: lineSet(base, 4, 'FROM analytics.events -- mine'), description: 'mine too' }));
    await theyChange((now) => ({ ...now, sql: lineSet(now['sql'], 4, 'FROM analytics.events -- theirs') }));
    const theirs = await remote();
    const asked = script();
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.ok(asked.some((q) => q.message.startsWith('1 conflict in the SQL of "app_events"')), describe(asked));
    const draft = await api.drafts.get(uri());
    assert.ok(draft?.merging, 'the draft remembers the merge');
    assert.equal(draft.merging.remote['sql'], theirs['sql']);
    assert.equal(draft.base?.['sql'], base, 'the base stays until the conflict is resolved');

    // The .sql view is open on the first marker; each marker is an error on its own line.
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), sqlUri().toString());
    assert.equal(editor.selection.active.line, 4, 'the cursor is on the first marker');
    const view = editor.document;
    assert.deepEqual(view.getText().split('\n').slice(4, 11), [
      MARKERS.draft, 'FROM analytics.events -- mine', MARKERS.base, 'FROM analytics.events', MARKERS.separator, 'FROM analytics.events -- theirs', MARKERS.remote,
    ]);
    const marks = await until('the marker errors on the .sql view', () => {
      const found = vscode.languages.getDiagnostics(sqlUri()).filter((d) => d.message === UNRESOLVED_MERGE_MESSAGE);
      return found.length === 4 && found;
    });
    assert.deepEqual(marks.map((m) => [m.range.start.line, m.severity]), [4, 6, 8, 10].map((l) => [l, vscode.DiagnosticSeverity.Error]));

    const refused = script();
    await vscode.commands.executeCommand(Commands.push, uri());
    assert.ok(refused.some((q) => q.message.startsWith('Push refused: the merge of "app_events" is not finished')), describe(refused));
    assert.equal((await remote())['sql'], theirs['sql'], 'nothing was pushed');

    // Resolved: one line kept, the markers deleted, saved in the .sql view.
    const resolvedSql = lineSet(base, 4, 'FROM analytics.events -- mine and theirs');
    const done = script();
    await replaceAndSave(view, resolvedSql);
    const after = await api.drafts.get(uri());
    assert.ok(after);
    assert.equal(after.merging, undefined, 'the merge concluded');
    assert.equal(after.base?.['sql'], theirs['sql'], 'the draft is now based on the version it was merged with');
    assert.equal(parse(after.content)['description'], 'mine too');
    await until('the merge to be announced', () => done.some((q) => q.message.startsWith('Merge of "app_events" finished')));
    await until('no marker errors left', () => !vscode.languages.getDiagnostics(sqlUri()).some((d) => d.message === UNRESOLVED_MERGE_MESSAGE));
    // The source's own document follows the view's save (as it always does; push checks they agree).
    await until('the source document to show the resolved SQL', () => json(doc)['sql'] === resolvedSql);

    await pushWithoutOverwrite();
    const now = await remote();
    assert.deepEqual([now['sql'], now['description']], [resolvedSql, 'mine too']);
  }).timeout(60_000);

  test('a field changed on both sides differently is asked: "Take Statsig\'s" takes it, and the merge concludes at once', async () => {
    const doc = await openSource();
    await replaceAndSave(doc, formatSource({ ...json(doc), description: 'mine', tags: ['mine'] }));
    await theyChange((now) => ({ ...now, description: 'theirs' }));
    const asked = script((q) => (q.kind === 'pick' ? 'Take Statsig\'s' : undefined));
    await vscode.commands.executeCommand(Commands.merge, uri());
    const picks = asked.filter((q) => q.kind === 'pick');
    assert.equal(picks.length, 1, describe(asked));
    assert.equal(picks[0]?.message, 'Merge "app_events" (1/1): "description" changed on both sides');
    assert.deepEqual(picks[0]?.items, ['Keep mine', 'Take Statsig\'s']);
    assert.match(picks[0]?.detail ?? '', /Keep mine: "mine" \| Take Statsig's: "theirs"/);
    assert.equal(asked.some((q) => q.modal), false, 'no second confirmation: each field was answered');
    const draft = await api.drafts.get(uri());
    assert.ok(draft);
    assert.deepEqual([parse(draft.content)['description'], parse(draft.content)['tags']], ['theirs', ['mine']]);
    assert.equal(draft.base?.['description'], 'theirs');
    await until('the editor to show the merged draft', () => json(doc)['description'] === 'theirs');

    await pushWithoutOverwrite();
    const now = await remote();
    assert.deepEqual([now['description'], now['tags']], ['theirs', ['mine']]);
  });

  test('Escape during the field questions cancels the whole merge: nothing changes', async () => {
    const doc = await openSource();
    await replaceAndSave(doc, formatSource({ ...json(doc), description: 'mine', tags: ['mine'] }));
    const before = await api.drafts.get(uri());
    await theyChange((now) => ({ ...now, description: 'theirs', tags: ['theirs'] }));
    let picks = 0;
    const asked = script((q) => (q.kind === 'pick' ? (++picks === 1 ? 'Take Statsig\'s' : undefined) : undefined));
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.equal(picks, 2, describe(asked));
    assert.ok(asked.some((q) => q.message === 'Merge of "app_events" cancelled: nothing changed.'), describe(asked));
    const after = await api.drafts.get(uri());
    assert.deepEqual([after?.content, after?.base, after?.merging], [before?.content, before?.base, undefined]);
    assert.equal(json(doc)['description'], 'mine');
  });

  test('nothing to merge: no draft, Statsig unchanged; unsaved edits are refused; a source deleted on Statsig is said so', async () => {
    const doc = await openSource();
    let asked = script();
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.equal(asked[0]?.message, '"app_events" has no saved draft, so there is nothing to merge.');
    await replaceAndSave(doc, formatSource({ ...json(doc), description: 'mine' }));
    asked = script();
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.equal(asked[0]?.message, 'Nothing to merge: "app_events" has not changed on Statsig since your draft started from it.');

    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri(), doc.positionAt(1), ' ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    asked = script();
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.match(asked[0]?.message ?? '', /^"app_events" has unsaved changes\. Save them first/);
    await vscode.commands.executeCommand('workbench.action.files.revert', uri());

    // Another source, deleted on Statsig after the user saved a draft of it.
    const gone = vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: '/entityPropertySource/user_plan_daily.json' });
    await vscode.commands.executeCommand(Commands.open, gone);
    const goneDoc = await vscode.workspace.openTextDocument(gone);
    await replaceAndSave(goneDoc, formatSource({ ...json(goneDoc), description: 'edited while someone deleted it' }));
    await api.validator.settled(gone);
    const del = await fetch(`${emulator.url()}/console/v1/experiments/entity_property/user_plan_daily`, { method: 'DELETE', headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    assert.ok(del.ok, `DELETE ${del.status}`);
    asked = script();
    await vscode.commands.executeCommand(Commands.merge, gone);
    assert.match(asked[0]?.message ?? '', /^"user_plan_daily" was deleted on Statsig in "Emulator".*Discard it, or recreate the source from it\./);
    assert.ok(await api.drafts.get(gone), 'the draft is kept');
  });

  test('a draft whose starting point is unknown cannot be merged: said so, with Compare', async () => {
    const doc = await openSource();
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri(), new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), formatSource({ ...json(doc), description: 'restored edit' }));
    assert.ok(await vscode.workspace.applyEdit(edit));
    // What a window restored by hot exit knows: the dirty text, nothing read from Statsig yet.
    api.state.forget(uri());
    assert.ok(await doc.save());
    await api.validator.settled(uri());
    assert.equal((await api.drafts.get(uri()))?.base, null);
    const asked = script((q) => (q.items.includes('Compare') ? 'Compare' : undefined));
    await vscode.commands.executeCommand(Commands.merge, uri());
    assert.match(asked[0]?.message ?? '', /^Statsig's version that your draft of "app_events" started from is unknown/);
    await until('Compare to open its diff', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith('app_events: Statsig ↔ your draft'));
    assert.equal((await api.drafts.get(uri()))?.content, doc.getText(), 'the draft is untouched');
  });
});
