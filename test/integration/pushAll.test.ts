// Pending changes as source control, Validate All and Push All — in the real extension host, over
// real HTTP against the emulator: the groups, one report, one question, the pushes at the rate
// limit (a 429 waited out), a failure kept with Statsig's errors, a source changed on Statsig left
// alone, and a save landing while Push All runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { TestingApi } from '../../src/main.ts';
import { DEFAULT_DRIFT_SCHEDULE } from '../../src/core/driftSchedule.ts';
import { liveOriginal } from '../../src/features/sources/sourceDiff.ts';
import {
  behindTheBack, closeEditorsAndDrafts, withoutOwner, connectEmulatorOnly, disconnect, emulator, remote, saveDocumentWith, scriptPrompts, silentPrompts, sourceUriIn, testingApi, until,
  type Asked,
} from './helpers.ts';

let api: TestingApi;
let projectId: string;

const METRIC_PATH = (name: string) => `/console/v1/metrics/metric_source/${encodeURIComponent(name)}`;
const PROPERTY_PATH = '/console/v1/experiments/entity_property/user_profile';
const BROKEN_SQL = 'SELECT nope FROM missing_table';

/** A saved draft of a named source: its description changed (and its SQL, when given). */
async function draftOf(kind: string, name: string, description: string, sql?: string): Promise<vscode.Uri> {
  const uri = sourceUriIn(projectId, kind, name);
  // The emulator was reset: Statsig's version is read again, and a document still in memory shows it.
  await api.state.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  const fresh = JSON.stringify(api.state.last(uri));
  await until(`${name} as on the emulator`, () => JSON.stringify(JSON.parse(doc.getText())) === fresh);
  const value = JSON.parse(doc.getText()) as Record<string, unknown>;
  await saveDocumentWith(api, doc, JSON.stringify({ ...value, description, ...(sql === undefined ? {} : { sql }) }, null, 2));
  return uri;
}

/** The report as its document shows it, once it shows `expected` (VS Code re-reads it after a change event). */
async function reportText(expected: RegExp): Promise<string> {
  const project = api.connections.current.find((p) => p.id === projectId);
  assert.ok(project);
  const doc = await vscode.workspace.openTextDocument(api.reports.uriOf(project));
  await until(`the report to show ${String(expected)}`, () => expected.test(doc.getText())).catch(() => undefined);
  const text = doc.getText();
  assert.match(text, expected);
  return text;
}

/** Answers Push All's one question with its Push button; everything else with nothing. */
const pushOnce = (q: Asked) => (q.modal && /^Push \d/.test(q.items[0] ?? '') ? q.items[0] : undefined);

suite('Pending changes, Validate All and Push All', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  setup(async () => {
    await emulator.reset();
    await emulator.clearFaults();
    api.prompts.current = silentPrompts;
  });

  teardown(async () => {
    await emulator.clearFaults();
    await closeEditorsAndDrafts(api);
  });

  suiteTeardown(async () => {
    await disconnect(api, projectId);
  });

  test('the source control of the project lists each saved draft once, under Drafts, with the count', async () => {
    await draftOf('metricSource', 'app_events', 'changed here');
    await draftOf('assignmentSource', 'holdout_assignments', 'changed here too');
    const groups = await until('both drafts listed', () => {
      const s = api.pending.snapshot(projectId);
      return s && s.drafts.length === 2 ? s : undefined;
    });
    assert.deepEqual(groups, { conflicts: [], changed: [], drafts: ['holdout_assignments', 'app_events'] });
    assert.equal(api.pending.count(projectId), 2);
    await closeEditorsAndDrafts(api);
    await until('the list emptied', () => api.pending.count(projectId) === 0);
  });

  test('a source changed on Statsig is listed under Changed on Statsig when the draft left those fields alone, under Conflicts when it changed them too', async () => {
    api.drift.setLimits({ minForcedMs: 0 });
    try {
      await draftOf('metricSource', 'app_events', 'changed here');
      await draftOf('entityPropertySource', 'user_profile', 'mine');
      await draftOf('metricSource', 'user_signups', 'nobody else touched it');
      await behindTheBack('POST', METRIC_PATH('app_events'), { ...withoutOwner(await remote(METRIC_PATH('app_events'))), tags: ['theirs'] });
      await behindTheBack('PATCH', PROPERTY_PATH, { description: 'theirs' });
      await api.drift.check(undefined, { force: true });
      const groups = await until('the drifted drafts regrouped', () => {
        const s = api.pending.snapshot(projectId);
        return s && s.changed.length === 1 && s.conflicts.length === 1 ? s : undefined;
      });
      assert.deepEqual(groups, { conflicts: ['user_profile'], changed: ['app_events'], drafts: ['user_signups'] });
    } finally {
      api.drift.setLimits({ minForcedMs: DEFAULT_DRIFT_SCHEDULE.minForcedMs });
    }
  });

  test('Validate All: one report names the draft that fails and why (at its SQL line), and the ones that pass', async () => {
    await draftOf('metricSource', 'app_events', 'fine');
    await draftOf('metricSource', 'user_signups', 'broken', BROKEN_SQL);
    const asked = scriptPrompts(api);
    await vscode.commands.executeCommand(Commands.validateAll, { projectId });
    const text = await reportText(/^Validate All — Statsig project "Emulator".*\n2 drafts: 1 pass, 1 fail\./);
    assert.match(text, /✗ metric source "user_signups": Dry run failed/);
    assert.match(text, /error {3}SQL line 1, column \d+: .*missing_table/);
    assert.match(text, /✓ metric source "app_events": Dry run passed/);
    assert.ok(text.indexOf('✗') < text.indexOf('✓'), 'failures come first');
    assert.ok(asked.some((q) => q.kind === 'warning' && /Validate All in "Emulator": 2 drafts: 1 pass, 1 fail/.test(q.message)));
    // The report is the active editor, read-only.
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'statsig-report');
  });

  test('from a selection in the Source Control view (each selected resource an argument of its own), only the selected drafts', async () => {
    const a = await draftOf('metricSource', 'app_events', 'selected');
    await draftOf('metricSource', 'user_signups', 'not selected');
    const b = await draftOf('entityPropertySource', 'user_profile', 'selected too');
    const asResource = (uri: vscode.Uri) => ({ resourceUri: uri.with({ path: uri.path.replace(/\.json$/, '.sql') }) });
    scriptPrompts(api);
    await vscode.commands.executeCommand(Commands.validateAll, asResource(a), asResource(b));
    const text = await reportText(/^Validate All — Statsig project "Emulator".*\n2 drafts: 2 pass, 0 fail\./);
    assert.doesNotMatch(text, /user_signups/);
  });

  test('Push All asks once, pushes what passes, keeps what fails with its problems, and settles each pushed draft', async () => {
    const good1 = await draftOf('metricSource', 'app_events', 'pushed by Push All 1');
    const good2 = await draftOf('entityPropertySource', 'user_profile', 'pushed by Push All 2');
    const bad = await draftOf('metricSource', 'user_signups', 'never pushed', BROKEN_SQL);
    const mutationsBefore = (await emulator.stats()).mutations;
    const asked = scriptPrompts(api, pushOnce);
    await vscode.commands.executeCommand(Commands.pushAll, { projectId });
    const modals = asked.filter((q) => q.modal);
    assert.equal(modals.length, 1, `asked once: ${JSON.stringify(modals)}`);
    assert.equal(modals[0]?.message, 'Push 2 sources to Statsig project "Emulator"?');
    assert.match(modals[0]?.detail ?? '', /0 creates, 2 updates .*1 draft that did not pass validation stays a draft/);
    assert.equal((await remote(METRIC_PATH('app_events')))['description'], 'pushed by Push All 1');
    assert.equal((await remote(PROPERTY_PATH))['description'], 'pushed by Push All 2');
    assert.notEqual((await remote(METRIC_PATH('user_signups')))['sql'], BROKEN_SQL);
    assert.equal(await api.drafts.get(good1), undefined);
    assert.equal(await api.drafts.get(good2), undefined);
    assert.ok(await api.drafts.get(bad), 'the failing draft is kept');
    assert.ok(vscode.languages.getDiagnostics(bad).some((d) => /missing_table/.test(d.message)), 'with its problems');
    // No dry run again for the drafts whose save already ran it: 2 pushes, no more.
    assert.equal((await emulator.stats()).mutations - mutationsBefore, 2);
    const summary = asked.find((q) => /^Pushed 2 of 2 sources/.test(q.message));
    assert.ok(summary, JSON.stringify(asked.map((q) => q.message)));
    const report = await reportText(/^Push All — Statsig project/);
    assert.match(report, /✓ metric source "app_events": Pushed\./);
    assert.match(report, /✗ metric source "user_signups": Dry run failed/);
    await until('the source control shows the one left', () => api.pending.snapshot(projectId)?.drafts.join() === 'user_signups');
  });

  test('Push All leaves a source changed on Statsig since its draft started alone: nothing of theirs is overwritten', async () => {
    const mine = await draftOf('entityPropertySource', 'user_profile', 'mine');
    await behindTheBack('PATCH', PROPERTY_PATH, { description: 'theirs' });
    const asked = scriptPrompts(api, pushOnce);
    await vscode.commands.executeCommand(Commands.pushAll, { projectId });
    assert.equal((await remote(PROPERTY_PATH))['description'], 'theirs');
    assert.ok(await api.drafts.get(mine), 'the draft is kept');
    assert.ok(asked.some((q) => /^Pushed 0 of 1 source .*1 source changed on Statsig \(merge, then push\)/.test(q.message)), JSON.stringify(asked.map((q) => q.message)));
    assert.match(await reportText(/^Push All — Statsig project.*\n.*Pushed 0 of 1/), /! entity property source "user_profile": Not pushed: changed on Statsig since the draft started \(description\)/);
  });

  test('429 answers during Push All are waited out, not reported: every draft is pushed once', async () => {
    const uris = [
      await draftOf('metricSource', 'app_events', 'after 429 a'),
      await draftOf('metricSource', 'user_signups', 'after 429 b'),
      await draftOf('entityPropertySource', 'user_profile', 'after 429 c'),
    ];
    // More 429s than the client retries by itself (3): Push All waits them out.
    await emulator.setFaults({ force429: 5, faultMethods: ['POST', 'PATCH'] });
    const asked = scriptPrompts(api, pushOnce);
    const before = (await emulator.stats()).mutations;
    await vscode.commands.executeCommand(Commands.pushAll, { projectId });
    for (const uri of uris) assert.equal(await api.drafts.get(uri), undefined, `${uri.path} was pushed`);
    assert.equal((await remote(METRIC_PATH('user_signups')))['description'], 'after 429 b');
    assert.ok(asked.some((q) => q.kind === 'info' && /^Pushed 3 of 3 sources to "Emulator"\.$/.test(q.message)), JSON.stringify(asked.map((q) => q.message)));
    assert.equal(asked.filter((q) => q.kind === 'error').length, 0);
    // Mutation requests: the three pushes and the five refused with 429 (each refused before doing anything).
    assert.equal((await emulator.stats()).mutations - before, 3 + 5);
  }).timeout(60_000);

  test('a save landing while Push All runs is never lost: the newer content stays a draft', async () => {
    const uris = [
      await draftOf('metricSource', 'app_events', 'v1 a'),
      await draftOf('metricSource', 'user_signups', 'v1 b'),
    ];
    await emulator.setFaults({ latencyMs: 300 });
    const doc = await vscode.workspace.openTextDocument(uris[1]!);
    const newer = JSON.stringify({ ...(JSON.parse(doc.getText()) as object), description: 'v2 saved during Push All' }, null, 2);
    let saving: Promise<void> | undefined;
    scriptPrompts(api, (q) => {
      if (q.modal && /^Push \d/.test(q.items[0] ?? '')) {
        // The user saves again right after answering the question.
        saving = new Promise((r) => setTimeout(r, 150)).then(() => saveDocumentWith(api, doc, newer));
        return q.items[0];
      }
      return undefined;
    });
    await vscode.commands.executeCommand(Commands.pushAll, { projectId });
    await saving;
    await emulator.clearFaults();
    const kept = await api.drafts.get(uris[1]!);
    assert.ok(kept, 'the newer save is a draft');
    assert.equal((JSON.parse(kept.content) as { description: string }).description, 'v2 saved during Push All');
    assert.notEqual((await remote(METRIC_PATH('user_signups')))['description'], 'v2 saved during Push All', 'what was not validated was not pushed');
    assert.equal((await remote(METRIC_PATH('app_events')))['description'], 'v1 a');
  }).timeout(60_000);

  test('quick diff: the original of a source\'s `.sql` view and JSON document is Statsig\'s version', async () => {
    const uri = await draftOf('metricSource', 'app_events', 'gutter', 'SELECT user_id, event_ts, ds FROM analytics.events');
    const sql = uri.with({ path: uri.path.replace(/\.json$/, '.sql') });
    const theirs = await remote(METRIC_PATH('app_events'));
    const original = await vscode.workspace.openTextDocument(liveOriginal(sql));
    assert.equal(original.getText(), theirs['sql']);
    const json = await vscode.workspace.openTextDocument(liveOriginal(uri));
    assert.equal((JSON.parse(json.getText()) as { description: string }).description, theirs['description']);
  });
});
