// The Sources tree in the real extension host, against the emulator over loopback HTTP: connecting,
// groups with counts, source items, filtering, several projects, and every failure as a node with
// the action that fixes it (401, 403, 500, dropped connection, timeout) — then the recovery.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, SOURCE_SCHEME } from '../../src/constants.ts';
import { KindIds } from '../../src/core/kinds.ts';
import type { TestingApi } from '../../src/main.ts';
import type { SourcesNode } from '../../src/features/tree/sourcesTree.ts';
import { emulator, projectIdOfKey, testEnv, testingApi } from './helpers.ts';

const KIND_LABELS = ['Assignment Sources', 'Entity Property Sources', 'Qualifying Events', 'Metric Sources', 'Ingestion Sources'];

let api: TestingApi;

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

async function roots(): Promise<SourcesNode[]> {
  return api.tree.getChildren();
}

async function groups(projectNode?: SourcesNode): Promise<Map<string, { node: SourcesNode; item: vscode.TreeItem }>> {
  const nodes = projectNode ? await api.tree.getChildren(projectNode) : await roots();
  return new Map(nodes.filter((n) => n.type === 'group').map((n) => {
    const item = api.tree.getTreeItem(n);
    return [labelOf(item), { node: n, item }];
  }));
}

async function signOutEverything(): Promise<void> {
  for (const p of await api.store.list(api.connections.baseUrl)) await api.store.remove(p.baseUrl, p.id);
  await api.connections.reload();
}

/** Connects `key` (its project id read from the emulator, or `id` for a key the emulator rejects). */
async function connect(label: string, key = testEnv.apiKey ?? '', id?: string): Promise<string> {
  const project = await api.store.add(api.connections.baseUrl, id ?? await projectIdOfKey(key), label, key);
  await api.connections.reload();
  return project.id;
}

async function setTimeoutSetting(ms: number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('statsigWhn').update('requestTimeoutMs', ms, vscode.ConfigurationTarget.Global);
}

suite('Sources tree', () => {
  suiteSetup(async () => {
    api = await testingApi();
    assert.equal(api.connections.baseUrl, emulator.url(), 'the extension is not pointed at the emulator');
    await emulator.reset();
    await signOutEverything();
  });

  teardown(async () => {
    await emulator.clearFaults();
    await setTimeoutSetting(undefined);
    await signOutEverything();
  });

  test('with no key the tree is empty, so the "Connect to Statsig" welcome view shows', async () => {
    assert.deepEqual(await roots(), []);
  });

  test('one project: a group per kind whose count matches the server, each source with icon, description, tooltip and a statsig: URI', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    const byLabel = await groups();
    assert.deepEqual([...byLabel.keys()], KIND_LABELS);
    const metricTotal = await emulator.countOf('/console/v1/metrics/metric_source/list');
    assert.ok(metricTotal > 0, 'the default seed has metric sources');
    assert.equal(byLabel.get('Metric Sources')?.item.description, String(metricTotal));
    const assignmentTotal = await emulator.countOf('/console/v1/experiments/assignment_sources');
    assert.equal(byLabel.get('Assignment Sources')?.item.description, String(assignmentTotal));

    const metricGroup = byLabel.get('Metric Sources')?.node;
    assert.ok(metricGroup);
    const sources = await api.tree.getChildren(metricGroup);
    assert.equal(sources.length, metricTotal);
    const first = sources[0];
    assert.ok(first && first.type === 'source');
    const item = api.tree.getTreeItem(first);
    assert.equal(item.id, `${projectId}/metricSource:${first.record.ref.kind === 'metricSource' ? first.record.ref.name : ''}`);
    assert.equal(item.resourceUri?.scheme, SOURCE_SCHEME);
    assert.equal(item.resourceUri?.authority, projectId);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    assert.ok(item.tooltip instanceof vscode.MarkdownString);
    const tooltip = item.tooltip.value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /metric source · Emulator/);
    assert.match(item.tooltip.value, /```sql/);
    assert.equal(api.tree.getParent(first)?.id, metricGroup.id);
    // Ingestion sources are discovered, not listed: the group still has its count.
    assert.match(String(byLabel.get('Ingestion Sources')?.item.description), /^\d+$/);
  });

  test('filter by name narrows every group and shows "m of n"; clearing restores', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    const metric = (await api.tree.getChildren((await groups()).get('Metric Sources')?.node))[0];
    assert.ok(metric?.type === 'source' && metric.record.ref.kind === 'metricSource');
    const name = metric.record.ref.name;
    const total = api.model.records(projectId, 'metricSource').length;
    api.tree.setFilter(name.slice(0, Math.max(3, name.length - 1)).toUpperCase());
    const filtered = await groups();
    assert.match(String(filtered.get('Metric Sources')?.item.description), new RegExp(`^\\d+ of ${total}$`));
    const shown = await api.tree.getChildren(filtered.get('Metric Sources')?.node);
    assert.ok(shown.some((n) => n.id === metric.id), 'the matching source is still shown');
    api.tree.setFilter('zz-no-source-is-called-this');
    const none = await api.tree.getChildren((await groups()).get('Metric Sources')?.node);
    assert.equal(none.length, 1);
    assert.equal(none[0]?.type, 'message');
    assert.match(labelOf(api.tree.getTreeItem(none[0])), /No metric sources match/);
    await vscode.commands.executeCommand(Commands.clearFilter);
    assert.equal(api.tree.filter, '');
    assert.equal((await groups()).get('Metric Sources')?.item.description, String(total));
  });

  test('Copy Name puts the source\'s name on the clipboard', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    const [node] = await api.tree.getChildren((await groups()).get('Qualifying Events')?.node);
    assert.ok(node?.type === 'source' && node.record.ref.kind === 'qualifyingEvent');
    await vscode.commands.executeCommand(Commands.copyName, node);
    assert.equal(await vscode.env.clipboard.readText(), node.record.ref.name);
  });

  test('several projects: one root per project, each with its own groups; signing one out removes only it', async () => {
    const a = await connect('Alpha');
    const b = await connect('Beta', await emulator.projectKey('tree-beta'));
    const top = await roots();
    assert.deepEqual(top.map((n) => n.type), ['project', 'project']);
    assert.deepEqual(top.map((n) => labelOf(api.tree.getTreeItem(n))), ['Alpha', 'Beta']);
    await api.model.refresh();
    for (const node of top) assert.deepEqual([...(await groups(node)).keys()], KIND_LABELS);
    await vscode.commands.executeCommand(Commands.signOut, { projectId: b });
    const after = await roots();
    assert.deepEqual(after.map((n) => n.type), Array(5).fill('group'), 'with one project left, the groups are the roots');
    assert.deepEqual((await api.connections.list()).map((p) => p.id), [a]);
  });

  test('signing out of a project with unpushed drafts asks first (naming them); drafts are kept unless deletion is chosen, and kept ones re-attach on reconnect', async () => {
    const projectId = await connect('Drafty');
    const uri = vscode.Uri.from({ scheme: SOURCE_SCHEME, authority: projectId, path: '/qualifyingEvent/unpushed_idea.json' });
    await api.drafts.save(uri, '{"name": "unpushed_idea"}', null, true);
    const asked: { message: string; modal: boolean; items: string[] }[] = [];
    let answer: string | undefined;
    api.prompts.current = {
      warning: (message, options, ...items) => { asked.push({ message, modal: options.modal === true, items }); return Promise.resolve(answer); },
      info: () => Promise.resolve(undefined),
      error: () => Promise.resolve(undefined),
    };
    try {
      await vscode.commands.executeCommand(Commands.signOut, { projectId });
      assert.equal(asked[0]?.message, 'Sign out of "Drafty"? 1 saved draft was never pushed: unpushed_idea.');
      assert.ok(asked[0]?.modal);
      assert.deepEqual((await api.connections.list()).map((p) => p.id), [projectId], 'cancelled: still connected');
      assert.ok(await api.drafts.get(uri), 'cancelled: the draft is kept');
      assert.deepEqual(asked[0]?.items, ['Sign Out, Keep Drafts', 'Sign Out and Delete Drafts']);
      const other = await connect('Other', await emulator.projectKey('tree-other'));
      answer = 'Sign Out, Keep Drafts';
      await vscode.commands.executeCommand(Commands.signOut, { projectId });
      assert.deepEqual((await api.connections.list()).map((p) => p.id), [other]);
      assert.ok(await api.drafts.get(uri), 'kept on sign-out');
      // Not connected: the draft is listed under its project with Connect…, not orphaned.
      const top = (await roots()).filter((n) => n.type === 'disconnected');
      assert.equal(top.length, 1);
      const item = api.tree.getTreeItem(top[0] as SourcesNode);
      assert.equal(labelOf(item), `Not connected: project ${projectId}`);
      assert.match(String(item.description), /^1 unpushed draft — Connect…$/);
      assert.equal(item.contextValue, 'message setKey');
      const [child] = await api.tree.getChildren(top[0]);
      assert.equal(labelOf(api.tree.getTreeItem(child as SourcesNode)), 'unpushed_idea');
      // With nothing connected the welcome view shows (the tree is empty); the draft is still kept.
      await api.store.remove(api.connections.baseUrl, other);
      await api.connections.reload();
      assert.deepEqual(await roots(), []);
      // Connecting the same Statsig project again (any key of it) re-attaches the draft.
      await connect('Drafty again');
      assert.ok((await roots()).every((n) => n.type === 'group'), 'no "Not connected" node once the project is back');
      const group = (await groups()).get('Qualifying Events');
      assert.ok((await api.tree.getChildren(group?.node)).some((n) => n.type === 'source' && n.record.ref.kind === 'qualifyingEvent' && n.record.ref.name === 'unpushed_idea'));
      answer = 'Sign Out and Delete Drafts';
      await vscode.commands.executeCommand(Commands.signOut, { projectId });
      assert.deepEqual(await api.connections.list(), []);
      assert.equal(await api.drafts.get(uri), undefined);
      assert.deepEqual(await roots(), []);
    } finally {
      api.prompts.current = { warning: () => Promise.resolve(undefined), info: () => Promise.resolve(undefined), error: () => Promise.resolve(undefined) };
      await api.drafts.delete(uri);
    }
  });

  test('a change of the stored projects (as another window signing out) updates this window', async () => {
    const projectId = await connect('Emulator');
    assert.equal((await roots()).length, 5);
    // Written straight to SecretStorage, without telling Connections: only secrets.onDidChange can notice.
    await api.store.remove(api.connections.baseUrl, projectId);
    await waitFor(async () => (await roots()).length === 0, 'the tree did not empty after the key was removed');
  });

  test('401: one "Key rejected — set a new key" node whose action replaces that project\'s key', async () => {
    const projectId = await connect('Wrong key', 'console-fake-rejectedKey', 'rejected-project');
    await api.model.refresh(projectId);
    const top = await roots();
    assert.equal(top.length, 1);
    const node = top[0] as SourcesNode;
    const item = api.tree.getTreeItem(node);
    assert.equal(labelOf(item), 'Key rejected — set a new key');
    assert.equal(item.command?.command, Commands.setApiKey);
    assert.equal(item.contextValue, 'message setKey');
    assert.equal((item.command?.arguments?.[0] as { project: { id: string } }).project.id, projectId);
  });

  test('403 on reads: says the key may not read sources, with Set API Key', async () => {
    const projectId = await connect('Emulator');
    await emulator.setFaults({ failNext: { status: 403, count: 1 } });
    await api.model.refresh(projectId, 'qualifyingEvent');
    const group = (await groups()).get('Qualifying Events');
    assert.equal(group?.item.description, 'failed');
    const [node] = await api.tree.getChildren(group?.node);
    assert.match(labelOf(api.tree.getTreeItem(node as SourcesNode)), /may not read sources \(403\)/);
  });

  test('500 on one kind: its group keeps the previous sources, says it failed, and Retry recovers', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    const before = api.model.records(projectId, 'metricSource').length;
    await emulator.setFaults({ failNext: { status: 500, count: 20 } });
    await api.model.refresh(projectId, 'metricSource');
    const group = (await groups()).get('Metric Sources');
    assert.equal(group?.item.description, `${before} · refresh failed`);
    const children = await api.tree.getChildren(group?.node);
    const error = children[0] as SourcesNode;
    const errorItem = api.tree.getTreeItem(error);
    assert.match(labelOf(errorItem), /^Statsig failed \(500\) — Retry$/);
    assert.equal(errorItem.command?.command, Commands.refreshItem);
    assert.equal(children.length, before + 1, 'the previous sources stay visible under the error');
    await emulator.clearFaults();
    await vscode.commands.executeCommand(Commands.refreshItem, error);
    const recovered = (await groups()).get('Metric Sources');
    assert.equal(recovered?.item.description, String(before));
    assert.ok((await api.tree.getChildren(recovered?.node)).every((n) => n.type === 'source'));
  });

  test('dropped connections on every kind: one "Cannot reach" node with Retry, then the groups come back', async () => {
    const projectId = await connect('Emulator');
    await emulator.setFaults({ dropRate: 1 });
    await api.model.refresh(projectId);
    const top = await roots();
    assert.equal(top.length, 1);
    const item = api.tree.getTreeItem(top[0] as SourcesNode);
    assert.match(labelOf(item), /^Cannot reach 127\.0\.0\.1:\d+ — Retry$/);
    assert.equal(item.command?.command, Commands.refreshItem);
    await emulator.clearFaults();
    await vscode.commands.executeCommand(Commands.refreshItem, top[0]);
    assert.deepEqual([...(await groups()).keys()], KIND_LABELS);
  });

  test('a network failure after a listing keeps every group and its sources, marked as a failed refresh', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    const before = api.model.records(projectId, 'metricSource').length;
    assert.ok(before > 0);
    await emulator.setFaults({ dropRate: 1 });
    await api.model.refresh(projectId);
    const top = await roots();
    assert.match(labelOf(api.tree.getTreeItem(top[0] as SourcesNode)), /^Cannot reach 127\.0\.0\.1:\d+ — Retry$/);
    const kept = await groups();
    assert.deepEqual([...kept.keys()], KIND_LABELS, 'the groups stay under the failure node');
    assert.equal(kept.get('Metric Sources')?.item.description, `${before} · refresh failed`);
    assert.equal((await api.tree.getChildren(kept.get('Metric Sources')?.node)).filter((n) => n.type === 'source').length, before);
    await emulator.clearFaults();
  });

  test('the view title Refresh reloads every group, whichever node has focus; the inline one only its own', async () => {
    const projectId = await connect('Emulator');
    await api.model.refresh(projectId);
    // 403 is not retried: 4 lists + 32 ingestion questions fail exactly once each.
    await emulator.setFaults({ failNext: { status: 403, count: 36 } });
    const group = (await groups()).get('Qualifying Events');
    // The title button: VS Code passes the focused node, and every group must reload anyway.
    await vscode.commands.executeCommand(Commands.refresh, group?.node);
    for (const kind of KindIds) assert.equal(api.model.state(projectId, kind)?.status, 'error', `${kind} was not refreshed`);
    await emulator.clearFaults();
    await vscode.commands.executeCommand(Commands.refreshItem, group?.node);
    assert.equal(api.model.state(projectId, 'qualifyingEvent')?.status, 'loaded');
    assert.equal(api.model.state(projectId, 'metricSource')?.status, 'error', 'the inline action refreshed more than its group');
  });

  test('timeout: the group says the server did not answer in time (after the configured timeout)', async () => {
    const projectId = await connect('Emulator');
    await setTimeoutSetting(1000);
    await waitFor(async () => (await api.connections.list()).length === 1, 'settings reload');
    await emulator.setFaults({ latencyMs: 1500 });
    await api.model.refresh(projectId, 'entityPropertySource');
    const group = (await groups()).get('Entity Property Sources');
    assert.equal(group?.item.description, 'failed');
    const [node] = await api.tree.getChildren(group?.node);
    assert.match(labelOf(api.tree.getTreeItem(node as SourcesNode)), /did not answer in time — Retry/);
  }).timeout(60_000);
});

async function waitFor(predicate: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out: ${what}`);
}
