// A person works on several sources of a project a colleague also edits, in the real workbench:
//   1. connects and saves five drafts from the source editor (a description typed into the form, or
//      SQL): app_events, user_signups (SQL Statsig refuses), user_profile, Order Revenue and
//      support_metrics_daily;
//   2. meanwhile a colleague changes Order Revenue's tags and support_metrics_daily's description on
//      Statsig (straight to the emulator);
//   3. Refresh in the Statsig view checks the drafts against Statsig; the Source Control view shows
//      the project's source control with 5 drafts: "Conflicts" (support_metrics_daily: both changed
//      its description), "Changed on Statsig" (Order Revenue) and "Drafts" (the other three)
//      (screenshot scm-view);
//      Open as JSON marks the changed line in the gutter against Statsig's version (quick diff);
//   4. Push All Drafts… in the Source Control view's title bar: the report opens with the failing
//      draft and why (its SQL line), one modal asks (Push 4), and the notification says what happened:
//      2 pushed, 2 changed on Statsig left alone; Show Report shows each (screenshot push-all-report).
import * as assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import {
  connectAndOpenSource, consoleOk, formControl, openSourceFromTree, replaceSql, showSourceInTree, waitForEditorStatus,
} from './statsig.ts';
import {
  clearNotifications, clickDialogButton, closeNotificationCentre, runCommand, waitForDialog, waitForNotification, waitForTabDirty,
} from './workbench.ts';

const LABEL = 'E2E Pending';
const BROKEN_SQL = 'SELECT nope FROM missing_table';
const metricPath = (name: string) => `/console/v1/metrics/metric_source/${encodeURIComponent(name)}`;

/** Appends to the description in the form and saves: the dry run passes. */
async function saveDescription(page: Page, frame: Frame, name: string, suffix: string): Promise<void> {
  const description = formControl(frame, 'description');
  await description.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(suffix, { delay: 10 });
  await page.keyboard.press('ControlOrMeta+S');
  await waitForEditorStatus(page, name, /^Dry run passed/);
  await waitForTabDirty(page, false);
}

async function openFromTree(page: Page, sidebar: Locator, group: string, name: string): Promise<Frame> {
  return openSourceFromTree(page, await showSourceInTree(page, sidebar, group, name), name);
}

/** A colleague's change on Statsig: a full update of a metric source with `change` applied. */
async function changeOnStatsig(api: Parameters<typeof consoleOk>[0], name: string, change: Record<string, unknown>): Promise<void> {
  const { data } = await consoleOk(api, 'GET', metricPath(name));
  const { owner: _owner, ...rest } = data as Record<string, unknown>;
  await consoleOk(api, 'POST', metricPath(name), { ...rest, ...change });
}

/** The Source Control view's rows as a person reads them: a group's name, or a resource's file name. */
async function scmRows(page: Page): Promise<string[]> {
  return page.locator('.part.sidebar .scm-view .monaco-list-row').evaluateAll((rows) => rows.map((row) =>
    (row.querySelector('.label-name')?.textContent ?? row.querySelector('.name')?.textContent ?? row.textContent ?? '').trim()));
}

async function waitForScmRows(page: Page, done: (labels: string[]) => boolean, what: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const labels = await scmRows(page);
    if (done(labels)) return labels;
    if (Date.now() > deadline) throw new Error(`the Source Control view does not show ${what} within ${timeoutMs} ms; it shows: ${labels.join(' | ') || '(no rows)'}`);
    await page.waitForTimeout(200);
  }
}

export default defineScenario({
  description: 'a person with five drafts sees them as source control (three drafts, one changed on Statsig, one conflict), then pushes them all at once: one failure in the report, the changed ones left alone',
  timeoutSeconds: 300,
  async run({ page, api, screenshot, log }) {
    const { sidebar, frame } = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', 'app_events');

    // 1. Five drafts.
    await saveDescription(page, frame, 'app_events', ' (mine)');
    const signups = await openFromTree(page, sidebar, 'Metric Sources', 'user_signups');
    await replaceSql(page, signups, BROKEN_SQL);
    await page.keyboard.press('ControlOrMeta+S');
    await waitForEditorStatus(page, 'user_signups', /^Dry run failed/);
    await saveDescription(page, await openFromTree(page, sidebar, 'Entity Property Sources', 'user_profile'), 'user_profile', ' (mine)');
    await saveDescription(page, await openFromTree(page, sidebar, 'Metric Sources', 'Order Revenue'), 'Order Revenue', ' (mine)');
    await saveDescription(page, await openFromTree(page, sidebar, 'Metric Sources', 'support_metrics_daily'), 'support_metrics_daily', ' (mine)');
    log('five drafts saved');

    // 2. A colleague's changes on Statsig.
    await changeOnStatsig(api, 'Order Revenue', { tags: ['revenue', 'finance', 'audited'] });
    await changeOnStatsig(api, 'support_metrics_daily', { description: 'Rewritten by a colleague' });

    // 3. Refresh checks the drafts; the Source Control view groups them.
    await runCommand(page, 'Statsig WHN: Refresh');
    await runCommand(page, 'Source Control: Focus on Changes View');
    const scm = page.locator('.part.sidebar');
    const expected = ['Conflicts', 'support_metrics_daily.sql', 'Changed on Statsig', 'Order Revenue.sql', 'Drafts', 'app_events.sql', 'user_profile.sql', 'user_signups.sql'];
    const labels = await waitForScmRows(page, (l) => expected.every((x) => l.includes(x))
      && l.indexOf('Conflicts') < l.indexOf('Changed on Statsig') && l.indexOf('Changed on Statsig') < l.indexOf('Drafts'), 'the three groups with the five drafts');
    assert.ok(labels.indexOf('support_metrics_daily.sql') < labels.indexOf('Changed on Statsig'), 'the conflict is under Conflicts');
    assert.ok(labels.indexOf('Order Revenue.sql') < labels.indexOf('Drafts'), 'Order Revenue is under Changed on Statsig');
    const badge = await page.locator('.part.activitybar .action-item:has(> .action-label[aria-label^="Source Control"]) .badge-content').textContent();
    assert.equal(badge?.trim(), '5', 'the count on the Source Control badge');
    log(`Source Control view: ${labels.join(' | ')}; badge ${badge?.trim()}`);
    await closeNotificationCentre(page);
    await screenshot('scm-view');

    // Quick diff: Open as JSON of the source in front marks its changed line (the description) in
    // the gutter, against Statsig's version.
    await runCommand(page, 'Statsig WHN: Open as JSON');
    const marker = page.locator('.part.editor .monaco-editor .margin-view-overlays .dirty-diff-modified');
    await marker.first().waitFor({ state: 'visible', timeout: 20_000 });
    log(`quick diff: ${await marker.count()} line(s) marked modified in support_metrics_daily.json`);
    await screenshot('quick-diff');

    // 4. Push All from the Source Control view's title bar.
    await clearNotifications(page);
    await scm.locator('.composite.title .action-label[aria-label="Push All Drafts…"]').first().click({ timeout: 10_000 });
    const dialog = await waitForDialog(page, /^Push 4 sources to Statsig project "E2E Pending"\?/, 60_000);
    assert.match(dialog.detail, /0 creates, 4 updates .*1 draft that did not pass validation stays a draft/);
    assert.deepEqual(dialog.buttons, ['Cancel', 'Push 4']);
    log(`asked once: ${dialog.message} ${dialog.detail} [${dialog.buttons.join(', ')}]`);
    await clickDialogButton(page, 'Push 4');
    const done = await waitForNotification(page, /^Pushed 2 of 4 sources to "E2E Pending"; 2 sources changed on Statsig \(merge, then push\)\. Their drafts are kept\./, 60_000);
    assert.equal(done.severity, 'warning');
    log(`after Push All: ${done.message} [${done.buttons.join(', ')}]`);
    // (The harness's workbench shows notifications in the centre, not as toasts: see scripts/vscode/README.md.)
    await page.locator('.notifications-center .notification-list-item', { hasText: 'Pushed 2 of 4' }).locator('.monaco-button', { hasText: 'Show Report' }).first().click();
    const report = page.locator('.part.editor .monaco-editor .view-lines').first();
    await report.waitFor({ state: 'visible', timeout: 10_000 });
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = ((await report.textContent()) ?? '').replace(/\u00a0/g, ' ');
      if (/^Push All — Statsig project/.test(text)) break;
      await page.waitForTimeout(200);
    }
    for (const line of [
      /✗ metric source "user_signups": Dry run failed/, /SQL line 1, column \d+: Statsig: sql: Catalog Error/,
      /! metric source "Order Revenue": Not pushed: changed on Statsig since the draft started \(tags\)/,
      /! metric source "support_metrics_daily": Not pushed: changed on Statsig since the draft started \(description\)/,
      /✓ metric source "app_events": Pushed\./, /✓ entity property source "user_profile": Pushed\./,
    ]) assert.match(text, line);
    assert.equal(((await consoleOk(api, 'GET', metricPath('support_metrics_daily'))).data as { description: string }).description, 'Rewritten by a colleague', 'nothing of theirs was overwritten');
    assert.match(((await consoleOk(api, 'GET', metricPath('app_events'))).data as { description: string }).description, / \(mine\)$/);
    await closeNotificationCentre(page);
    await screenshot('push-all-report');
    // The Source Control view now lists the three left: the failure and the two to merge.
    await runCommand(page, 'Source Control: Focus on Changes View');
    const left = await waitForScmRows(page, (l) => !l.includes('app_events.sql') && l.includes('user_signups.sql'), 'the drafts left after Push All');
    log(`left: ${left.join(' | ')}`);
  },
});
