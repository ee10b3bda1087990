// Open, edit, save (= validate + dry run), push, conflicts, discard, delete and create — in the real
// extension host, over real HTTP against the emulator. Modal questions are answered through the
// extension's Prompts seam (a modal cannot be clicked from inside the host; the e2e suite clicks
// the real ones); everything else is VS Code's own API.
import * as assert from 'node:assert/strict';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import { formatSource } from '../../src/core/document.ts';
import type { TestingApi } from '../../src/main.ts';
import { contentHash } from '../../src/core/draftFiles.ts';
import { DraftStore } from '../../src/features/documents/drafts.ts';
import {
  behindTheBack, closeEditorsAndDrafts, withoutOwner, connectEmulatorOnly, disconnect, emulator, isReview, openSource, remote, saveDocumentWith, scriptPrompts, silentPrompts, sourceUriIn, testEnv, testingApi,
  type Asked,
} from './helpers.ts';

let api: TestingApi;
let projectId: string;
const VIEW_TYPE = 'statsigWhn.sourceEditor';

/** Every question answered by `answer` and recorded (helpers.ts scriptPrompts). */
const script = (answer?: (q: Asked) => string | undefined | Promise<string | undefined>, review?: 'go' | 'cancel' | 'wait') => scriptPrompts(api, answer, review);
const uriOf = (kind: string, name: string) => sourceUriIn(projectId, kind, name);
const saveWith = (doc: vscode.TextDocument, text: string) => saveDocumentWith(api, doc, text);

function json(doc: vscode.TextDocument): Record<string, unknown> {
  return JSON.parse(doc.getText()) as Record<string, unknown>;
}

const diagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri);

interface DiffPair { readonly original: vscode.Uri; readonly modified: vscode.Uri }

/** The diffs a tab shows: a text diff, or each diff of a changes (multi-diff) editor. */
function diffsOf(tab: vscode.Tab | undefined): DiffPair[] {
  const input: unknown = tab?.input;
  if (input instanceof vscode.TabInputTextDiff) return [input];
  const multi = (input as { textDiffs?: unknown } | undefined)?.textDiffs;
  return Array.isArray(multi) ? (multi as DiffPair[]) : [];
}

const anyDiffOpen = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => diffsOf(t).length > 0);

suite('Editor, save and push', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  setup(async () => {
    await emulator.reset();
    await emulator.clearFaults();
    script();
  });

  teardown(async () => {
    await closeEditorsAndDrafts(api);
    await emulator.clearFaults();
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('Open shows the source in the custom editor over a JSON document equal to Statsig\'s object', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, 'the active tab is a custom editor');
    assert.equal(tab.input.viewType, VIEW_TYPE);
    assert.deepEqual(json(doc), await remote('/console/v1/metrics/metric_source/app_events'));
    assert.equal(doc.isDirty, false);
  });

  test('Save of a valid change: draft persisted (survives a new store = a reload), dry run passed, nothing published', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    const before = json(doc);
    await saveWith(doc, formatSource({ ...before, description: 'edited in VS Code' }));
    const draft = await api.drafts.get(uri);
    assert.equal(draft?.validation?.state, 'passed');
    assert.deepEqual(diagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
    assert.equal(api.validator.last(uri)?.status.text.startsWith('Dry run passed'), true);
    const list = await fetch(`${emulator.url()}/console/v1/experiments/assignment_sources?limit=100`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    const remoteNow = ((await list.json()) as { data: { name: string; description: string }[] }).data.find((s) => s.name === 'holdout_assignments');
    assert.equal(remoteNow?.description, before['description'], 'the dry run changed nothing on Statsig');
    // Drafts hold unpushed SQL: readable by their owner only.
    if (api.drafts.storage.scheme === 'file' && process.platform !== 'win32') {
      const folder = vscode.Uri.joinPath(api.drafts.storage, 'drafts').fsPath;
      assert.equal((await stat(folder)).mode & 0o777, 0o700, 'the drafts folder is owner-only');
      for (const file of await readdir(folder)) {
        if (file.endsWith('.json')) assert.equal((await stat(join(folder, file))).mode & 0o777, 0o600, `${file} is owner-only`);
      }
    }
    // A fresh store over the same folder is what the next window sees after a reload.
    const reloaded = new DraftStore(api.drafts.storage, () => undefined);
    assert.equal((await reloaded.get(uri))?.content, doc.getText());
    reloaded.dispose();
  });

  test('Drafts are shared by windows: a draft saved, then discarded, by another window is what this one sees', async () => {
    const uri = uriOf('qualifyingEvent', 'checkout_completed');
    const other = new DraftStore(api.drafts.storage, () => undefined); // another window's store over the same folder
    try {
      await other.save(uri, '{"name": "checkout_completed", "description": "from the other window"}', { name: 'checkout_completed' }, false);
      const seen = await api.drafts.get(uri);
      assert.match(seen?.content ?? '', /from the other window/);
      // A save here builds on it (keeps its base) instead of overwriting it as if it were new.
      await api.drafts.save(uri, '{"name": "checkout_completed", "description": "from this window"}', null, true);
      const mine = await other.get(uri);
      assert.deepEqual([mine?.base, mine?.isNew, /from this window/.test(mine?.content ?? '')], [{ name: 'checkout_completed' }, false, true]);
      await other.delete(uri);
      assert.equal(await api.drafts.get(uri), undefined, 'discarded in the other window: gone here too');
      // Without this window asking: its index (the tree's M marks) follows the other window's files.
      await other.save(uri, '{"name": "checkout_completed", "description": "again, elsewhere"}', { name: 'checkout_completed' }, false);
      await waitFor(() => /again, elsewhere/.test(api.drafts.peek(uri)?.content ?? ''), 'the other window\'s save reaches this window\'s index', 10_000);
      // This window pushes what it saw while the other window saved something newer: that stays.
      const pushedHere = (await api.drafts.get(uri))?.content ?? '';
      await other.save(uri, '{"name": "checkout_completed", "description": "newer, elsewhere"}', null, false);
      assert.equal(await api.drafts.settle(uri, contentHash(pushedHere), { name: 'checkout_completed', description: 'pushed' }), 'rebased');
      const kept = await other.get(uri);
      assert.match(kept?.content ?? '', /newer, elsewhere/);
      assert.equal(kept?.base?.['description'], 'pushed');
      assert.equal(await api.drafts.settle(uri, contentHash(kept?.content ?? ''), { name: 'checkout_completed' }), 'deleted');
      assert.equal(await other.get(uri), undefined);
      await waitFor(() => api.drafts.peek(uri) === undefined, 'the draft is gone from this window\'s index', 10_000);
      await other.save(uri, '{"name": "checkout_completed", "description": "last"}', null, false);
      await waitFor(() => api.drafts.peek(uri) !== undefined, 'the other window\'s save reaches this window\'s index', 10_000);
      await other.delete(uri);
      await waitFor(() => api.drafts.peek(uri) === undefined, 'the other window\'s discard reaches this window\'s index', 10_000);
    } finally {
      other.dispose();
    }
  });

  test('A draft left aside by a window that stopped in the middle of settling a push is put back at the next start', async () => {
    const uri = uriOf('qualifyingEvent', 'checkout_completed');
    const dir = vscode.Uri.joinPath(api.drafts.storage, 'drafts').fsPath;
    const file = `${dir}/${contentHash(uri.toString()).slice(0, 32)}.json`;
    const draft = { version: 1, uri: uri.toString(), content: '{"name": "checkout_completed", "description": "left aside"}', base: null, isNew: false, savedAt: Date.now() };
    await mkdir(dir, { recursive: true });
    await writeFile(`${file}.4242.settling`, JSON.stringify(draft));
    await writeFile(`${file}.4242.tmp`, '{"half": ');
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(`${file}.4242.settling`, old, old);
    await utimes(`${file}.4242.tmp`, old, old);
    const next = new DraftStore(api.drafts.storage, () => undefined); // the next window to start
    try {
      assert.match((await next.get(uri))?.content ?? '', /left aside/);
      assert.deepEqual((await readdir(dir)).filter((n) => n.includes('4242')), [], 'no leftover remains');
    } finally {
      next.dispose();
      await api.drafts.delete(uri);
    }
  });

  test('A failing dry run (SQL that does not run) → diagnostics on the SQL, status, and the draft is kept as typed', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    const text = formatSource({ ...json(doc), sql: 'SELECT user_id FROM no_such_schema.no_such_table' });
    await saveWith(doc, text);
    const errors = diagnostics(uri).filter((d) => d.source === 'Statsig dry run');
    assert.ok(errors.length > 0, 'a diagnostic from the dry run');
    const first = errors[0] as vscode.Diagnostic;
    assert.match(doc.getText(first.range), /no_such_schema\.no_such_table/);
    assert.match(api.validator.last(uri)?.status.text ?? '', /^Dry run failed: \d+ problems?( \(.+\))?\.$/);
    assert.equal((await api.drafts.get(uri))?.content, text);
    assert.equal(doc.isDirty, false);
  });

  test('The SQL is parsed in the extension host (the WebAssembly from dist/): a syntax error on its token, a mapped column the query does not return on that field', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    const before = json(doc);
    const local = () => diagnostics(uri).filter((d) => d.source === 'Statsig (SQL check)');
    await saveWith(doc, formatSource({ ...before, sql: 'SELECT user_id, event_ts, ds\nFROM analytics.events\nWHERE AND ds >= {statsig_start_date}' }));
    assert.ok(!local().some((d) => /not checked locally/.test(d.message)), `the parser loaded: ${local().map((d) => d.message).join(' | ')}`);
    const syntax = local().find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(syntax?.message, 'Expected an expression after WHERE, found AND.');
    assert.equal(doc.getText(syntax.range), 'AND');
    assert.equal(syntax.range.start.line, doc.positionAt(doc.getText().indexOf('WHERE AND') + 6).line);
    await saveWith(doc, formatSource({ ...before, sql: 'SELECT user_id, ds, event_ts AS ts FROM analytics.events' }));
    const missing = local().find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(missing?.message, '"event_ts" is not returned by this query; it returns user_id, ds, ts.');
    assert.equal(doc.getText(missing.range), '"event_ts"');
    // Statsig's dry run still ran, and has the last word.
    assert.match(api.validator.last(uri)?.status.text ?? '', /^Dry run failed/);
  });

  test('Malformed JSON in the text editor is a diagnostic, not a crash, and the text is saved exactly', async () => {
    const uri = uriOf('entityPropertySource', 'user_profile');
    await vscode.commands.executeCommand(Commands.openAsJson, uri);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputText, 'Open as JSON uses the text editor');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'json');
    const broken = doc.getText().replace('"sql"', '"sql" "oops"');
    await saveWith(doc, broken);
    // One syntax error, reported once in Problems: VS Code's JSON support reports it in a text
    // editor, so ours stays out of the Problems panel there (the custom editor still shows it).
    const line = doc.positionAt(broken.indexOf('"oops"')).line;
    const errorsAtLine = () => diagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error && Math.abs(x.range.start.line - line) <= 1);
    for (let i = 0; i < 100 && errorsAtLine().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const found = errorsAtLine();
    const sources = new Set(found.map((x) => x.source));
    assert.ok(found.length >= 1, 'the syntax error is in Problems');
    assert.equal(sources.size, 1, `the syntax error is reported by one source only: ${found.map((x) => `${x.source ?? ''}: ${x.message}`).join(' | ')}`);
    assert.match(api.validator.last(uri)?.problems[0]?.message ?? '', /^Not valid JSON: Expected a colon/, 'the editor is told too');
    assert.equal((await api.drafts.get(uri))?.content, broken, 'nothing typed is lost');
  });

  test('Push: diff, modal naming project and source, PATCH sent, draft cleared, base updated, tree refreshed', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'pushed from VS Code' }));
    let diffOpen = false;
    const asked = script((q) => {
      diffOpen ||= anyDiffOpen();
      return q.modal ? 'Push' : undefined;
    });
    await vscode.commands.executeCommand(Commands.push, uri);
    const confirm = asked.find((q) => q.modal);
    assert.equal(confirm?.message, 'Push assignment source "holdout_assignments" in Statsig project "Emulator"?');
    assert.match(confirm?.detail ?? '', /Fields: description\./);
    assert.ok(diffOpen, 'the diff was on screen when the confirmation was asked');
    const read = asked.findIndex(isReview);
    assert.ok(read >= 0 && read < asked.indexOf(confirm), 'the diff was read (Push… chosen) before the modal');
    const list = await fetch(`${emulator.url()}/console/v1/experiments/assignment_sources?limit=100`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    const pushed = ((await list.json()) as { data: { name: string; description: string }[] }).data.find((s) => s.name === 'holdout_assignments');
    assert.equal(pushed?.description, 'pushed from VS Code');
    assert.equal(await api.drafts.get(uri), undefined, 'the draft is cleared');
    assert.deepEqual(api.state.last(uri)?.['description'], 'pushed from VS Code', 'the pushed version is the new base');
    assert.ok(asked.some((q) => q.kind === 'info' && q.message.startsWith('Pushed assignment source "holdout_assignments"')));
    assert.equal(anyDiffOpen(), false, 'the push diff is closed');
  });

  test('Push opens the diff first and waits while it is read; Push… in the diff\'s title bar then asks the modal', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'read, then pushed' }));
    const asked = script((q) => (q.modal ? 'Push' : undefined), 'wait');
    const pushing = vscode.commands.executeCommand(Commands.push, uri);
    await waitFor(() => asked.some(isReview) && anyDiffOpen(), 'the push diff and its notification');
    const review = asked.find(isReview);
    assert.equal(review?.message, 'Read the diff of "holdout_assignments", then choose Push… here or in the diff\'s title bar to push it in "Emulator".');
    assert.deepEqual(review?.items, ['Push…', 'Cancel']);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.label.startsWith('holdout_assignments: Statsig ↔ your draft (to push)'), `the push diff is in front: ${tab?.label ?? 'no tab'}`);
    // Reading takes as long as it takes: nothing modal, nothing sent.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(asked.some((q) => q.modal), false, 'no modal while the diff is read');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.isPreview, false, 'kept open: a file opened meanwhile does not replace it');
    assert.notEqual(await holdoutDescription(), 'read, then pushed');
    await vscode.commands.executeCommand(Commands.pushReviewed);
    await pushing;
    assert.equal(asked.find((q) => q.modal)?.message, 'Push assignment source "holdout_assignments" in Statsig project "Emulator"?');
    assert.equal(await holdoutDescription(), 'read, then pushed');
    assert.equal(anyDiffOpen(), false, 'the push diff is closed');
  });

  test('Cancel while reading the push diff (notification or title bar), or closing the diff, sends nothing and closes it', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'never pushed' }));
    const before = await holdoutDescription();
    for (const how of ['notification', 'title bar', 'closing the diff'] as const) {
      const asked = script((q) => (q.modal ? 'Push' : undefined), how === 'notification' ? 'cancel' : 'wait');
      const pushing = vscode.commands.executeCommand(Commands.push, uri);
      if (how !== 'notification') {
        await waitFor(() => asked.some(isReview) && anyDiffOpen(), 'the push diff');
        if (how === 'title bar') await vscode.commands.executeCommand(Commands.cancelPush);
        else await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      await pushing;
      assert.equal(asked.some((q) => q.modal), false, `${how}: no modal`);
      assert.equal(anyDiffOpen(), false, `${how}: the push diff is closed`);
      assert.equal(await holdoutDescription(), before, `${how}: nothing was sent`);
      assert.ok(await api.drafts.get(uri), `${how}: the draft is kept`);
    }
    // Push… in a title bar with no push waiting says so and does nothing.
    const asked = script();
    await vscode.commands.executeCommand(Commands.pushReviewed);
    assert.match(asked[0]?.message ?? '', /^No push is waiting on the diff in front/);
  });

  test('Cancel at the push confirmation closes the push diff and sends nothing', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'not pushed after all' }));
    const asked = script(() => undefined);
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.modal), 'the confirmation was asked');
    assert.equal(anyDiffOpen(), false, 'the push diff is closed after Cancel');
    assert.ok(await api.drafts.get(uri), 'the draft is kept');
  });

  test('A change on Statsig that the draft already holds is no conflict: push goes through without Overwrite', async () => {
    const uri = uriOf('entityPropertySource', 'user_profile');
    const doc = await openSource(uri);
    const before = json(doc);
    await saveWith(doc, formatSource({ ...before, description: 'agreed text' }));
    // A colleague makes the same change on Statsig meanwhile (the user took it in through Compare).
    await behindTheBack('PATCH', '/console/v1/experiments/entity_property/user_profile', { description: 'agreed text', tags: ['theirs'] });
    await saveWith(doc, formatSource({ ...json(doc), tags: ['theirs'], timestampColumn: before['timestampColumn'] }));
    const asked = script((q) => (q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(!asked.some((q) => q.items.includes('Overwrite')), `asked to overwrite: ${asked.map((q) => q.message).join(' | ')}`);
  });

  test('A save that brings the document back to Statsig\'s version drops the draft (no M in the tree)', async () => {
    const uri = uriOf('metricSource', 'user_signups');
    const doc = await openSource(uri);
    const original = doc.getText();
    await saveWith(doc, formatSource({ ...json(doc), description: 'temporary' }));
    assert.ok(await api.drafts.get(uri));
    await saveWith(doc, original);
    assert.equal(await api.drafts.get(uri), undefined, 'the draft is gone');
    assert.equal(api.validator.last(uri)?.status.text, 'Same as Statsig\'s version: no local changes.');
    assert.equal(api.drafts.peek(uri), undefined, 'nothing left for the M decoration');
  });

  test('A read-only key: the first 403 on a dry run marks the project read-only, and Push refuses at once (no dry run again, no confirmation)', async () => {
    const readOnlyKey = await emulator.projectKey('editor-ro', { readOnly: true });
    const roProject = (await api.store.add(api.connections.baseUrl, 'editor-ro', 'Read only', readOnlyKey)).id;
    await api.connections.reload();
    try {
      const uri = vscode.Uri.from({ scheme: 'statsig', authority: roProject, path: '/metricSource/app_events.json' });
      const doc = await openSource(uri);
      assert.equal(api.connections.isReadOnly(roProject), false);
      await saveWith(doc, formatSource({ ...json(doc), description: 'cannot push this' }));
      assert.equal(api.connections.isReadOnly(roProject), true, 'the 403 on the dry run marked the project');
      const asked = script(() => undefined);
      await vscode.commands.executeCommand(Commands.push, uri);
      assert.equal(asked.length, 1, asked.map((q) => q.message).join(' | '));
      assert.match(asked[0]?.message ?? '', /^Push is not available: the key of "Read only" is read-only/);
      assert.deepEqual(asked[0]?.items, ['Set API Key…']);
      assert.equal(asked[0]?.modal, false);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await api.store.remove(api.connections.baseUrl, roProject);
      await api.connections.reload();
    }
  });

  test('Conflict: a change made behind the user\'s back stops the push (Compare shows it); Overwrite then pushes', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'my version' }));
    await behindTheBack('POST', '/console/v1/metrics/metric_source/app_events', { ...withoutOwner(await remote('/console/v1/metrics/metric_source/app_events')), description: 'their version' });
    const asked = script((q) => (q.message.includes('changed on Statsig since') ? 'Compare' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.modal && q.message === '"app_events" changed on Statsig since you started editing it (description).'));
    assert.ok(asked.some((q) => !q.modal && q.items.includes('Use Statsig\'s Version as Base')), 'Compare offers to take Statsig\'s version as base');
    const diffs = diffsOf(vscode.window.tabGroups.activeTabGroup.activeTab);
    const fields = diffs.find((d) => d.original.path.endsWith('.json'));
    assert.ok(fields, `Compare opened a diff of the fields: ${JSON.stringify(diffs)}`);
    assert.match((await vscode.workspace.openTextDocument(fields.original)).getText(), /their version/);
    const sql = diffs.find((d) => d.original.path.endsWith('.sql'));
    assert.ok(sql, 'and a diff of the SQL, as SQL');
    assert.equal(sql.modified.toString(), uri.with({ path: uri.path.replace(/\.json$/, '.sql') }).toString(), 'whose right side is the live .sql view');
    assert.doesNotMatch((await vscode.workspace.openTextDocument(fields.original)).getText(), /"sql"/, 'the SQL is not in the fields diff');
    assert.equal((await remote('/console/v1/metrics/metric_source/app_events'))['description'], 'their version', 'nothing was overwritten');
    assert.ok(await api.drafts.get(uri), 'the draft is kept');

    const second = script((q) => (q.message.includes('changed on Statsig since') ? 'Overwrite' : q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(second.some((q) => q.message.startsWith('Push metric source "app_events"')));
    assert.equal((await remote('/console/v1/metrics/metric_source/app_events'))['description'], 'my version');
  });

  test('A save that lands while the push is in flight is kept, as a draft on top of what was pushed', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'pushed version' }));
    let later: Promise<void> | undefined;
    const asked = script((q) => {
      if (q.modal && q.message.startsWith('Push ')) {
        // The update request is slow; the user keeps typing and saves before it returns.
        void emulator.setFaults({ latencyMs: 400 });
        later = new Promise((r) => setTimeout(r, 100)).then(() => saveWith(doc, formatSource({ ...json(doc), description: 'typed during the push' })));
        return 'Push';
      }
      return undefined;
    });
    await vscode.commands.executeCommand(Commands.push, uri);
    await later;
    await emulator.clearFaults();
    assert.equal((await holdoutDescription()), 'pushed version');
    const draft = await api.drafts.get(uri);
    assert.ok(draft, 'the newer save survived the push');
    assert.match(draft.content, /typed during the push/);
    assert.equal(draft.base?.['description'], 'pushed version', 'its base is what was pushed, so the next push is no false conflict');
    assert.equal(draft.isNew, false);
    assert.ok(asked.some((q) => q.kind === 'info' && /newer saved changes are kept as a draft/.test(q.message)), JSON.stringify(asked));
    assert.match(doc.getText(), /typed during the push/, 'the editor still shows what was typed');

    // The next push sees no conflict and sends the newer text.
    const next = script((q) => (q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.equal(next.some((q) => /changed on Statsig/.test(q.message)), false, JSON.stringify(next));
    assert.equal((await holdoutDescription()), 'typed during the push');
    assert.equal(await api.drafts.get(uri), undefined);
  }).timeout(30_000);

  test('An editor restored after a restart saves even with Statsig unreachable, and push then asks before overwriting', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('"description": "') + '"description": "'.length;
    edit.insert(uri, doc.positionAt(at), 'restored edit: ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // What a window restored by hot exit knows: the dirty text, but nothing read from Statsig yet.
    api.state.forget(uri);
    await behindTheBack('POST', '/console/v1/metrics/metric_source/app_events', { ...withoutOwner(await remote('/console/v1/metrics/metric_source/app_events')), sql: 'SELECT * FROM analytics.events -- their change' });
    await emulator.setFaults({ errorRate: 1 });
    assert.ok(await doc.save(), 'save works offline');
    await api.validator.settled(uri);
    const draft = await api.drafts.get(uri);
    assert.equal(draft?.content, doc.getText(), 'the draft is exactly the text');
    assert.equal(draft.base, null, 'its starting point is unknown, not "whatever Statsig has now"');
    assert.match(api.validator.last(uri)?.status.text ?? '', /dry run could not run/);
    await emulator.clearFaults();
    // Back online, its dry run is an update of the existing source (not a create of a new one).
    await api.validator.validate(uri, draft.content);
    assert.equal((await api.drafts.get(uri))?.validation?.state, 'passed', api.validator.last(uri)?.status.text);

    const asked = script((q) => (q.message.includes('is unknown') ? 'Compare' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.modal && q.message === 'Statsig\'s version of "app_events" that your draft started from is unknown.'), JSON.stringify(asked));
    assert.equal(asked.some((q) => q.message.startsWith('Push metric source')), false, 'no push without an answer');
    assert.match(String((await remote('/console/v1/metrics/metric_source/app_events'))['sql']), /their change/, 'their change is not overwritten');
    assert.ok(diffsOf(vscode.window.tabGroups.activeTabGroup.activeTab).length > 0, 'Compare opened a diff');

    // Having compared, the user may still choose to overwrite: then the push goes through.
    const second = script((q) => (q.message.includes('is unknown') ? 'Overwrite' : q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(second.some((q) => q.message.startsWith('Pushed metric source "app_events"')), JSON.stringify(second));
    assert.match(String((await remote('/console/v1/metrics/metric_source/app_events'))['description']), /^restored edit: /);
  });

  test('Push after a dry run that could not run asks (modal): run it again or push anyway', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await emulator.setFaults({ failNext: { status: 500, count: 10 } });
    await saveWith(doc, formatSource({ ...json(doc), description: 'checked later' }));
    assert.equal((await api.drafts.get(uri))?.validation?.state, 'error');
    await emulator.clearFaults();
    const asked = script((q) => (q.message.startsWith('Statsig\'s dry run has not checked') ? 'Run Dry Run Again' : q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    const ask = asked.find((q) => q.message.startsWith('Statsig\'s dry run has not checked'));
    assert.ok(ask?.modal, JSON.stringify(asked));
    assert.deepEqual(ask.items, ['Run Dry Run Again', 'Push Anyway']);
    assert.ok(asked.some((q) => q.message.startsWith('Push assignment source "holdout_assignments"')), 'the dry run passed this time, so the push went on');
    assert.equal((await holdoutDescription()), 'checked later');
  }).timeout(30_000);

  test('The statsig: file system answers VS Code\'s folder checks, and an expired diff snapshot says so', async () => {
    const folder = await vscode.workspace.fs.stat(vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: '/metricSource' }));
    assert.equal(folder.type, vscode.FileType.Directory);
    const old = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'statsig-remote', authority: projectId, path: '/metricSource/app_events.json', query: 't=1' }));
    assert.match(old.getText(), /expired/);
  });

  test('A change made on Statsig while the user looks at the diff is not overwritten: nothing is pushed', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'mine, confirmed late' }));
    let changed: Promise<void> | undefined;
    const asked = script((q) => {
      if (q.modal && q.message.startsWith('Push metric source')) {
        changed = remote('/console/v1/metrics/metric_source/app_events').then((now) => behindTheBack('POST', '/console/v1/metrics/metric_source/app_events', { ...withoutOwner(now), description: 'theirs, meanwhile' }));
        return changed.then(() => 'Push');
      }
      return undefined;
    });
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => /^Nothing was pushed: "app_events" changed on Statsig in "Emulator" while you were confirming/.test(q.message)), JSON.stringify(asked));
    assert.equal((await remote('/console/v1/metrics/metric_source/app_events'))['description'], 'theirs, meanwhile');
    assert.match((await api.drafts.get(uri))?.content ?? '', /mine, confirmed late/, 'the draft is kept');
  });

  test('Push refuses content whose last dry run failed and offers to run it again', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), sql: 'SELECT broken FROM nowhere_at_all' }));
    const asked = script();
    await vscode.commands.executeCommand(Commands.push, uri);
    const refusal = asked.find((q) => q.message.startsWith('Push refused'));
    assert.ok(refusal, JSON.stringify(asked));
    assert.deepEqual(refusal.items, ['Run Dry Run Again', 'Show Problems']);
    assert.equal(asked.some((q) => q.modal), false, 'never got as far as the confirmation');
    assert.notEqual((await remote('/console/v1/metrics/metric_source/app_events'))['sql'], 'SELECT broken FROM nowhere_at_all');
  });

  for (const fault of [
    { name: '500', faults: { failNext: { status: 500, count: 1 }, faultMethods: ['POST', 'PATCH'] }, expect: /not applied|safe to try again/ },
    { name: 'dropped connection', faults: { dropNext: 1, faultMethods: ['POST', 'PATCH'] }, expect: /not applied|safe to try again/ },
  ] as const) {
    test(`Push meets a ${fault.name}: the draft is kept and nothing is half-applied`, async () => {
      const uri = uriOf('assignmentSource', 'holdout_assignments');
      const doc = await openSource(uri);
      await saveWith(doc, formatSource({ ...json(doc), description: `survives a ${fault.name}` }));
      let armed = false;
      script((q) => {
        if (q.modal && !armed) {
          armed = true;
          void emulator.setFaults(fault.faults);
          return 'Push';
        }
        return undefined;
      });
      // The fault is armed when the user confirms, so it hits exactly the real update.
      await vscode.commands.executeCommand(Commands.push, uri);
      assert.ok(armed);
      const draft = await api.drafts.get(uri);
      assert.ok(draft, 'the draft is kept');
      assert.match(draft.content, new RegExp(`survives a ${fault.name}`));
    });
  }

  test('Push meets a 429: the client waits (Retry-After) and the push goes through', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'after a 429' }));
    script((q) => {
      if (q.modal) {
        void emulator.setFaults({ force429: 1, faultMethods: ['POST', 'PATCH'] });
        return 'Push';
      }
      return undefined;
    });
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.equal(await api.drafts.get(uri), undefined);
  });

  test('A failed push shows Statsig\'s errors as diagnostics and keeps the draft', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'rejected at push time' }));
    const asked = script((q) => {
      if (q.modal) {
        void emulator.setFaults({ failNext: { status: 400, count: 1 }, faultMethods: ['POST', 'PATCH'] });
        return 'Push';
      }
      return undefined;
    });
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.kind === 'error' && q.message.startsWith('Push failed: Statsig rejected the request (400)')), JSON.stringify(asked));
    assert.ok(diagnostics(uri).some((d) => d.source === 'Statsig dry run'));
    assert.ok(await api.drafts.get(uri));
  });

  test('Save while the key is rejected (401), forbidden (403), or the server is slow (timeout): the draft is saved and the status says why', async () => {
    const uri = uriOf('assignmentSource', 'holdout_assignments');
    const doc = await openSource(uri);
    for (const [faults, expected] of [
      [{ failNext: { status: 401, count: 1 } }, /dry run could not run: .*(key|401)/i],
      [{ failNext: { status: 403, count: 1 } }, /dry run could not run: .*(403|permission|forbidden)/i],
    ] as const) {
      await emulator.setFaults(faults);
      const text = formatSource({ ...json(doc), description: `edit ${JSON.stringify(faults)}` });
      await saveWith(doc, text);
      assert.match(api.validator.last(uri)?.status.text ?? '', expected);
      assert.equal((await api.drafts.get(uri))?.content, text);
    }
    await vscode.workspace.getConfiguration('statsigWhn').update('requestTimeoutMs', 1000, vscode.ConfigurationTarget.Global);
    try {
      await emulator.setFaults({ latencyMs: 1500 });
      const text = formatSource({ ...json(doc), description: 'slow server' });
      await saveWith(doc, text);
      assert.match(api.validator.last(uri)?.status.text ?? '', /dry run could not run: .*did not answer|timed out|timeout/i);
      assert.equal((await api.drafts.get(uri))?.content, text);
    } finally {
      await vscode.workspace.getConfiguration('statsigWhn').update('requestTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
    }
  }).timeout(60_000);

  test('404: a source deleted behind the user\'s back: push says so and keeps the draft', async () => {
    const uri = uriOf('entityPropertySource', 'user_plan_daily');
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'edited while someone deleted it' }));
    const del = await fetch(`${emulator.url()}/console/v1/experiments/entity_property/user_plan_daily`, { method: 'DELETE', headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    assert.ok(del.ok);
    const asked = script();
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.kind === 'error' && /no longer exists in "Emulator"/.test(q.message)), JSON.stringify(asked));
    assert.ok(await api.drafts.get(uri));
  });

  test('Discard Local Changes asks, then deletes the draft and shows Statsig\'s version again', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const doc = await openSource(uri);
    const original = doc.getText();
    await saveWith(doc, formatSource({ ...json(doc), description: 'to be discarded' }));
    const asked = script((q) => (q.modal ? 'Discard' : undefined));
    await vscode.commands.executeCommand(Commands.discard, uri);
    assert.equal(asked[0]?.message, 'Discard your local changes to "app_events"?');
    assert.equal(await api.drafts.get(uri), undefined);
    await waitFor(() => doc.getText() === original, 'the editor shows Statsig\'s version');
  });

  test('A draft saved while its project was not connected is dry-run as soon as the project connects again', async () => {
    const key = await emulator.projectKey('editor-reconnect');
    const other = (await api.store.add(api.connections.baseUrl, 'editor-reconnect', 'Reconnect', key)).id;
    await api.connections.reload();
    const uri = vscode.Uri.from({ scheme: 'statsig', authority: other, path: '/metricSource/app_events.json' });
    const doc = await openSource(uri);
    await api.store.remove(api.connections.baseUrl, other);
    await api.connections.reload();
    await saveWith(doc, formatSource({ ...json(doc), description: 'saved while signed out' }));
    assert.match(api.validator.last(uri)?.status.text ?? '', /connect to Statsig to run the dry run/);
    await api.store.add(api.connections.baseUrl, 'editor-reconnect', 'Reconnect', key);
    await api.connections.reload();
    for (let i = 0; i < 100 && !/^Dry run passed/.test(api.validator.last(uri)?.status.text ?? ''); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(api.validator.last(uri)?.status.text ?? '', /^Dry run passed/);
    assert.equal((await api.drafts.get(uri))?.validation?.state, 'passed');
    await api.store.remove(api.connections.baseUrl, other);
    await api.connections.reload();
  });

  test('Discard of a draft whose project is not connected closes its editor and says so (it never claims to show Statsig\'s version)', async () => {
    const key = await emulator.projectKey('editor-discard');
    const other = (await api.store.add(api.connections.baseUrl, 'editor-discard', 'Elsewhere', key)).id;
    await api.connections.reload();
    const uri = vscode.Uri.from({ scheme: 'statsig', authority: other, path: '/metricSource/app_events.json' });
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), description: 'draft of a project that goes away' }));
    await api.store.remove(api.connections.baseUrl, other);
    await api.connections.reload();
    const asked = script((q) => (q.modal ? 'Discard' : undefined));
    await vscode.commands.executeCommand(Commands.discard, uri);
    assert.equal(await api.drafts.get(uri), undefined, 'the draft is gone');
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => (t.input instanceof vscode.TabInputCustom || t.input instanceof vscode.TabInputText) && t.input.uri.toString() === uri.toString());
    assert.equal(open, false, 'its editor was closed');
    assert.ok(asked.some((q) => q.kind === 'info' && /its editor was closed/.test(q.message)), asked.map((q) => q.message).join(' | '));
  });

  test('Discard of a never-pushed source with unsaved edits closes its editor without asking to save (nothing comes back)', async () => {
    await vscode.commands.executeCommand(Commands.newSource, { projectId, kind: 'qualifyingEvent', name: 'dropped_before_push' });
    const uri = uriOf('qualifyingEvent', 'dropped_before_push');
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), formatSource({ ...json(doc), description: 'unsaved' }));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.isDirty, true);
    script((q) => (q.modal ? 'Discard' : undefined));
    await vscode.commands.executeCommand(Commands.discard, uri);
    assert.equal(await api.drafts.get(uri), undefined);
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => (t.input instanceof vscode.TabInputCustom || t.input instanceof vscode.TabInputText) && t.input.uri.toString() === uri.toString());
    assert.deepEqual(open, [], 'no editor of it is left');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await api.drafts.get(uri), undefined, 'no save brought the draft back');
  });

  test('Delete a metric source: the confirmation lists the metrics built on it; Statsig\'s refusal is shown; an unused one is gone', async () => {
    const asked = script((q) => (q.modal ? 'Delete' : undefined));
    await vscode.commands.executeCommand(Commands.delete, uriOf('metricSource', 'app_events'));
    const confirm = asked.find((q) => q.modal);
    assert.equal(confirm?.message, 'Delete metric source "app_events" from Statsig project "Emulator"?');
    assert.match(confirm?.detail ?? '', /2 metrics are built on it and may break: add_to_cart_users, purchase_events\./);
    assert.ok(asked.some((q) => q.kind === 'error' && q.message.startsWith('Statsig refused to delete "app_events": ')), JSON.stringify(asked));
    const still = await fetch(`${emulator.url()}/console/v1/metrics/metric_source/app_events`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    assert.equal(still.status, 200);

    const second = script((q) => (q.modal ? 'Delete' : undefined));
    await vscode.commands.executeCommand(Commands.delete, uriOf('metricSource', 'user_signups'));
    assert.match(second.find((q) => q.modal)?.detail ?? '', /No metric is built on it\./);
    const gone = await fetch(`${emulator.url()}/console/v1/metrics/metric_source/user_signups`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
    assert.equal(gone.status, 404);
  });

  test('New Source: a template that passes the schema; save dry-runs the create; push creates it', async () => {
    await vscode.commands.executeCommand(Commands.newSource, { projectId, kind: 'metricSource', name: 'created_in_vscode' });
    const uri = uriOf('metricSource', 'created_in_vscode');
    const draft = await api.drafts.get(uri);
    assert.equal(draft?.isNew, true);
    const doc = await vscode.workspace.openTextDocument(uri);
    const template = json(doc);
    await saveWith(doc, doc.getText());
    assert.deepEqual(diagnostics(uri).filter((d) => d.source === 'Statsig (schema)'), [], 'the template passes the schema');
    assert.equal((await api.drafts.get(uri))?.validation?.state, 'failed', 'the placeholder table does not exist in the warehouse');
    await saveWith(doc, formatSource({ ...template, sql: 'SELECT user_id, event_name, event_ts FROM analytics.events' }));
    assert.equal((await api.drafts.get(uri))?.validation?.state, 'passed');
    const asked = script((q) => (q.modal ? 'Create' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.ok(asked.some((q) => q.message === 'Create metric source "created_in_vscode" in Statsig project "Emulator"?'));
    assert.equal((await remote('/console/v1/metrics/metric_source/created_in_vscode'))['name'], 'created_in_vscode');
  });

  test('Ingestion: save validates locally and says there is no dry run; push asks twice', async () => {
    const [ingestion] = (await api.connections.connection(projectId).then((c) => c.api.list('ingestionSource'))).records;
    assert.ok(ingestion && ingestion.ref.kind === 'ingestionSource');
    const uri = vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/ingestionSource/${ingestion.ref.type}/${ingestion.ref.dataset}/${ingestion.ref.sourceName}.json` });
    const doc = await openSource(uri);
    await saveWith(doc, formatSource({ ...json(doc), query: `${String(json(doc)['query'])}\n-- edited` }));
    assert.match(api.validator.last(uri)?.status.text ?? '', /^No server dry run for ingestion sources — validated locally/);
    const asked = script((q) => (q.message.startsWith('Statsig offers no dry run') ? 'Push Without Dry Run' : q.modal ? 'Push' : undefined));
    await vscode.commands.executeCommand(Commands.push, uri);
    assert.deepEqual(asked.filter((q) => q.modal).map((q) => q.items[0]), ['Push', 'Push Without Dry Run']);
    assert.equal(await api.drafts.get(uri), undefined);
    // The read-only section under the form: schedule, latest runs and load status, from their endpoints.
    const extras = await api.editor.ingestionExtras(projectId, ingestion.ref.dataset, ingestion.ref.sourceName);
    assert.deepEqual(extras.map((s) => s.title), ['Schedule', 'Latest runs', 'Load status (last 7 days)']);
    assert.match(extras[0]?.rows.find((r) => r.label === 'Daily at (PST)')?.value ?? '', /^\d\d:00$/);
  });

  test('Reopen as text: the JSON document gets IntelliSense diagnostics from the generated JSON Schema', async () => {
    const uri = uriOf('metricSource', 'app_events');
    await vscode.commands.executeCommand(Commands.openAsJson, uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('"timestampAsDay": false');
    assert.ok(at > 0);
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"timestampAsDay": false'.length)), '"timestampAsDay": "no"');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => diagnostics(uri).some((d) => !d.source?.startsWith('Statsig') && /boolean/i.test(d.message)), 'the JSON language server reports the schema violation', 20_000);
  }).timeout(30_000);
});

/** Assignment sources have no get-by-name endpoint: read the list, as the tree does. */
async function holdoutDescription(): Promise<unknown> {
  const list = await fetch(`${emulator.url()}/console/v1/experiments/assignment_sources?limit=100`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
  return ((await list.json()) as { data: { name: string; description: string }[] }).data.find((s) => s.name === 'holdout_assignments')?.description;
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out: ${what}`);
}
