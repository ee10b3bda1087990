// Drift: a source you hold a draft of is changed or deleted on Statsig behind the extension's back
// (straight through the emulator's API, as a colleague would); the drift watcher notices on a check,
// Refresh or an editor's focus, marks the tree item and its `.sql` view, and Recreate on Statsig…
// creates a deleted source again from the draft. In the real extension host, over real HTTP.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import { formatSource } from '../../src/core/document.ts';
import type { TestingApi } from '../../src/main.ts';
import type { Prompts } from '../../src/platform/prompts.ts';
import { DriftWatcher } from '../../src/features/sources/drift.ts';
import type { SourcesNode } from '../../src/features/tree/sourcesTree.ts';
import { DEFAULT_DRIFT_SCHEDULE } from '../../src/core/driftSchedule.ts';
import type { KindId } from '../../src/core/kinds.ts';
import { sourceUri } from '../../src/features/documents/uris.ts';
import { closeEditorsAndDrafts, connectEmulatorOnly, disconnect, emulator, silentPrompts, testEnv, testingApi, until } from './helpers.ts';

let api: TestingApi;
let projectId: string;

interface Asked { message: string; modal: boolean; items: string[] }

/** Answers with `answer(asked)`; the push diff's notification with its first item (Create…/Push…) or Cancel. */
function script(answer: (q: Asked) => string | undefined, review: 'go' | 'cancel' = 'go'): Asked[] {
  const asked: Asked[] = [];
  const respond = (q: Asked) => {
    asked.push(q);
    if (!q.modal && q.message.startsWith('Read the diff of')) return Promise.resolve(review === 'go' ? q.items[0] : 'Cancel');
    return Promise.resolve(answer(q));
  };
  const prompts: Prompts = {
    warning: (message, options, ...items) => respond({ message, modal: options.modal === true, items }),
    info: (message, ...items) => respond({ message, modal: false, items }),
    error: (message, ...items) => respond({ message, modal: false, items }),
  };
  api.prompts.current = prompts;
  return asked;
}

const uriOf = (kind: string, name: string) => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/${kind}/${encodeURIComponent(name)}.json` });
const sqlViewOf = (uri: vscode.Uri) => uri.with({ path: uri.path.replace(/\.json$/, '.sql') });
const headers = () => ({ 'STATSIG-API-KEY': testEnv.apiKey ?? '', 'content-type': 'application/json' });

async function remote(path: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${emulator.url()}${path}`, { headers: headers() });
  if (response.status === 404) return undefined;
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

/** A colleague's change or deletion, straight through the API. */
async function behindTheBack(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${emulator.url()}${path}`, { method, headers: headers(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  assert.ok(response.ok, `emulator ${method} ${path}: ${response.status}`);
}

function withoutOwner(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const { owner: _owner, ...rest } = data ?? {};
  return rest;
}

/** A saved draft of a source, based on Statsig's version now, holding `change` (no editor, no validation). */
async function draftOf(uri: vscode.Uri, path: string, change: Record<string, unknown>): Promise<Record<string, unknown>> {
  const base = await remote(path);
  assert.ok(base, `${path} exists`);
  await api.drafts.save(uri, formatSource({ ...base, ...change }), base, false);
  return base;
}

/** The Sources tree's node of a source (its kind's listing refreshed first). */
async function treeNode(kind: KindId, name: string): Promise<SourcesNode | undefined> {
  await api.model.refresh(projectId, kind);
  const groups = (await api.tree.getChildren()).filter((n) => n.type === 'group');
  const group = groups.find((g) => g.type === 'group' && g.kind === kind);
  assert.ok(group, `a ${kind} group in ${JSON.stringify(groups.map((g) => g.id))}`);
  return (await api.tree.getChildren(group)).find((n) => n.type === 'source' && n.record.key.endsWith(name));
}

suite('Drift', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
    // Each test re-reads the same sources within seconds: no forced minimum here (unit-tested).
    api.drift.setLimits({ minForcedMs: 0 });
  });

  setup(async () => {
    await emulator.reset();
    await emulator.clearFaults();
    api.prompts.current = silentPrompts;
  });

  teardown(async () => {
    await closeEditorsAndDrafts(api);
    await emulator.clearFaults();
  });

  suiteTeardown(async () => {
    api.drift.setLimits({ minForcedMs: DEFAULT_DRIFT_SCHEDULE.minForcedMs });
    await disconnect(api, projectId);
    api.prompts.current = silentPrompts;
  });

  test('A change made on Statsig since the draft started: reported with its fields and the conflicting ones, marked in the tree and on the .sql view', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const path = '/console/v1/metrics/metric_source/app_events';
    const base = await draftOf(uri, path, { description: 'mine', tags: ['shared'] });
    assert.equal(api.drift.get(uri), undefined, 'nothing known before a check');
    await behindTheBack('POST', path, { ...withoutOwner(await remote(path)), description: 'theirs', tags: ['shared'] });

    await api.drift.check([uri], { force: true });
    const drift = api.drift.get(uri);
    assert.ok(drift?.kind === 'changed', JSON.stringify(drift));
    assert.deepEqual(drift.fields, ['description', 'tags']);
    assert.deepEqual(drift.conflicting, ['description'], 'the draft already holds their tags');
    assert.equal(drift.remote['description'], 'theirs');
    assert.equal(api.drift.all().size, 1);
    assert.equal(api.state.last(uri)?.['description'], 'theirs', 'the read refreshed what push and Compare see');

    for (const marked of [uri, sqlViewOf(uri)]) {
      const decoration = api.decorations.provideFileDecoration(marked);
      assert.equal(decoration?.badge, 'M↓', marked.toString());
      assert.equal(decoration.tooltip, 'Changed on Statsig since your draft started (description, tags); your draft changed description too');
    }
    const node = await treeNode('metricSource', 'app_events');
    assert.ok(node);
    const item = api.tree.getTreeItem(node);
    assert.match(String(item.description), /^changed on Statsig/);
    assert.match(item.contextValue ?? '', /\bdraft\b.*\bdrifted\b/);
    assert.match((item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\/g, ''), /Changed on Statsig since your draft started \(description, tags\)\. Your draft changed description too: Merge with Statsig… to choose what stays\./);

    // A failed read (401) leaves what was known.
    await emulator.setFaults({ failNext: { status: 401, count: 1 } });
    await api.drift.check([uri], { force: true });
    assert.equal(api.drift.get(uri)?.kind, 'changed');
    await emulator.clearFaults();

    // The user takes their description into the draft: still drifted, nothing conflicts any more.
    await api.drafts.save(uri, formatSource({ ...base, description: 'theirs', tags: ['shared'], sql: 'SELECT 1' }), null, false);
    const taken = api.drift.get(uri);
    assert.ok(taken?.kind === 'changed');
    assert.deepEqual(taken.conflicting, []);
    assert.equal(api.decorations.provideFileDecoration(uri)?.tooltip, 'Changed on Statsig since your draft started (description, tags)');

    // Statsig's version as the new base: the drift clears at once, without a read.
    const before = (await emulator.stats()).requests;
    const changes: string[] = [];
    const sub = api.drift.onDidChange((uris) => changes.push(...uris.map(String)));
    try {
      assert.ok(await api.drafts.rebase(uri, drift.remote));
    } finally {
      sub.dispose();
    }
    assert.equal(api.drift.get(uri), undefined);
    assert.deepEqual(changes, [uri.toString()]);
    assert.equal((await emulator.stats()).requests, before);
    assert.equal(api.decorations.provideFileDecoration(uri)?.badge, 'M');
  });

  test('Changed back on Statsig to the draft\'s base: the drift clears on the next check', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const path = '/console/v1/metrics/metric_source/app_events';
    const base = await draftOf(uri, path, { description: 'mine' });
    await behindTheBack('POST', path, { ...withoutOwner(base), description: 'theirs' });
    await api.drift.check([uri], { force: true });
    assert.equal(api.drift.get(uri)?.kind, 'changed');
    await behindTheBack('POST', path, withoutOwner(base));
    await api.drift.check([uri], { force: true });
    assert.equal(api.drift.get(uri), undefined);
  });

  test('Refresh of the Statsig view checks the drafted sources; Discard clears the drift', async () => {
    const uri = uriOf('metricSource', 'app_events');
    const path = '/console/v1/metrics/metric_source/app_events';
    await draftOf(uri, path, { description: 'mine' });
    await behindTheBack('POST', path, { ...withoutOwner(await remote(path)), timestampColumn: 'ds' });
    const before = await emulator.stats();
    await vscode.commands.executeCommand(Commands.refresh);
    const drift = api.drift.get(uri);
    assert.ok(drift?.kind === 'changed', JSON.stringify(drift));
    assert.deepEqual(drift.fields, ['timestampColumn']);
    const after = await emulator.stats();
    const reads = (after.byRoute['GET /console/v1/metrics/metric_source/{name}'] ?? 0) - (before.byRoute['GET /console/v1/metrics/metric_source/{name}'] ?? 0);
    assert.equal(reads, 1, `one read of the drafted source: ${JSON.stringify(after.byRoute)}`);

    script((q) => (q.modal ? 'Discard' : undefined));
    await vscode.commands.executeCommand(Commands.discard, uri);
    assert.equal(await api.drafts.get(uri), undefined);
    assert.equal(api.drift.get(uri), undefined);
  });

  test('A drafted source\'s editor gaining focus checks that source', async () => {
    // A source no other test reads: an automatic check reads a source once per interval (5 minutes).
    const uri = uriOf('metricSource', 'support_metrics_daily');
    const path = '/console/v1/metrics/metric_source/support_metrics_daily';
    await draftOf(uri, path, { description: 'mine' });
    await behindTheBack('POST', path, { ...withoutOwner(await remote(path)), description: 'theirs' });
    await vscode.commands.executeCommand(Commands.openSql, uri);
    await until('the drift noticed by the .sql view gaining focus', () => api.drift.get(uri)?.kind === 'changed', { tries: 200 });
  });

  test('Deleted on Statsig: marked D↓, kept in the tree with Recreate; Recreate creates it again from the draft', async () => {
    const uri = uriOf('metricSource', 'user_signups');
    const path = '/console/v1/metrics/metric_source/user_signups';
    await draftOf(uri, path, { description: 'kept while someone deleted it' });
    await behindTheBack('DELETE', path);
    await api.drift.check(undefined, { force: true });
    assert.deepEqual([...api.drift.all().entries()].map(([k, d]) => [k, d.kind]), [[uri.toString(), 'deleted']]);
    for (const marked of [uri, sqlViewOf(uri)]) {
      const decoration = api.decorations.provideFileDecoration(marked);
      assert.equal(decoration?.badge, 'D↓');
      assert.equal(decoration.tooltip, 'Deleted on Statsig; your draft is kept');
    }
    const node = await treeNode('metricSource', 'user_signups');
    assert.ok(node, 'the listing no longer has it, the tree still shows the draft');
    const item = api.tree.getTreeItem(node);
    assert.match(String(item.description), /^deleted on Statsig/);
    assert.match(item.contextValue ?? '', /\bdeleted\b/);

    const asked = script((q) => (q.modal ? q.items[0] : undefined));
    await vscode.commands.executeCommand(Commands.recreate, node);
    assert.ok(asked.some((q) => q.modal && q.message.startsWith('Create metric source "user_signups"')), JSON.stringify(asked));
    assert.equal((await remote(path))?.['description'], 'kept while someone deleted it', 'created again from the draft');
    assert.equal(await api.drafts.get(uri), undefined, 'the draft settled');
    assert.equal(api.drift.get(uri), undefined);
  }).timeout(60_000);

  test('Recreate cancelled: nothing created, the draft is put back as it was (still marked deleted)', async () => {
    const uri = uriOf('metricSource', 'user_signups');
    const path = '/console/v1/metrics/metric_source/user_signups';
    const base = await draftOf(uri, path, { description: 'mine' });
    await behindTheBack('DELETE', path);
    await api.drift.check([uri], { force: true });
    const asked = script(() => undefined, 'cancel');
    await vscode.commands.executeCommand(Commands.recreate, uri);
    assert.equal(await remote(path), undefined, 'nothing was created');
    const draft = await api.drafts.get(uri);
    assert.ok(draft);
    assert.equal(draft.isNew, false);
    assert.deepEqual(draft.base, base);
    assert.match(draft.content, /"mine"/);
    assert.equal(api.drift.get(uri)?.kind, 'deleted');
    assert.ok(asked.some((q) => /"user_signups" was not created\. Your draft is kept as it was/.test(q.message)), JSON.stringify(asked));
  }).timeout(60_000);

  test('Recreate of a source that still exists says so and changes nothing', async () => {
    const uri = uriOf('metricSource', 'app_events');
    await draftOf(uri, '/console/v1/metrics/metric_source/app_events', { description: 'mine' });
    const asked = script(() => undefined);
    await vscode.commands.executeCommand(Commands.recreate, uri);
    assert.deepEqual(asked.map((q) => q.message), ['"app_events" still exists on Statsig, so there is nothing to recreate. Push… updates it.']);
    assert.equal((await api.drafts.get(uri))?.isNew, false);
  });

  test('A watcher sends nothing until a trigger; a check of 24 drafts keeps at most 4 reads in flight; a second Refresh right after reads nothing', async () => {
    // The extension's own watcher must not add a periodic check to the counts: automatic checks off.
    const setting = vscode.workspace.getConfiguration('statsigWhn');
    await setting.update('driftCheckMinutes', 0, vscode.ConfigurationTarget.Global);
    await emulator.reset('large:96');
    const { api: sources } = await api.connections.connection(projectId);
    const records = (await sources.list('metricSource')).records.slice(0, 24);
    assert.equal(records.length, 24);
    for (const r of records) await api.drafts.save(sourceUri(projectId, r.ref), formatSource({ ...r.data, description: 'drafted' }), r.data, false);
    await emulator.reset('large:96'); // the same sources, and the request counts from zero
    await emulator.setFaults({ latencyMs: 50 });
    const watcher = new DriftWatcher(api.connections, api.drafts, api.state, api.log);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await watcher.check(); // automatic checks are off: nothing
      assert.equal((await emulator.stats()).requests, 0, 'no request without a trigger');
      const started = Date.now();
      await watcher.check(undefined, { force: true });
      const ms = Date.now() - started;
      const stats = await emulator.stats();
      assert.equal(stats.requests, records.length, `one read per draft: ${JSON.stringify(stats.byRoute)}`);
      assert.ok(stats.maxConcurrent <= 4, `at most 4 in flight, saw ${stats.maxConcurrent}`);
      assert.ok(stats.maxConcurrent >= 2, `reads overlap: ${stats.maxConcurrent}`);
      assert.equal(watcher.all().size, 0, 'nothing changed on Statsig');
      console.log(`[drift] ${records.length} drafts checked in ${ms} ms at 50 ms latency, at most ${stats.maxConcurrent} reads in flight`);
      await watcher.check(undefined, { force: true });
      assert.equal((await emulator.stats()).requests, records.length, 'within 10 s of the last read of each source');
    } finally {
      watcher.dispose();
      await setting.update('driftCheckMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
  }).timeout(60_000);
});
