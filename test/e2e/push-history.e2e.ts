// A person looks back at what they pushed, in the real workbench:
//   1. connects, opens app_events from the Sources view, and pushes a change to its SQL twice (Save,
//      Push, Push This Diff…, Push in the modal);
//   2. with the source editor in front, "Statsig WHN: Show Push History…" lists the two pushes,
//      newest first, with the fields each changed;
//   3. picks the older one, Compare with Another Version…, the newer one: a diff of the two SQL
//      versions opens (screenshot history-compare);
//   4. from the palette over that diff (no source in front), the history of every source; picks the
//      older push of app_events and Restore This Version…: the source editor shows it as a draft
//      (its SQL, "Restored … as a draft, not pushed yet"), and nothing was pushed;
//   5. Ctrl+Shift+Alt+P (Go to Source…): app_events, opened last, first; typing "revenue" finds Order
//      Revenue, Enter opens it.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import {
  clickToolbarButton, connectAndOpenSource, consoleOk, editorSql, pushFromDiff, replaceSql, sourceEditorFrame, waitForEditorStatus,
} from './statsig.ts';
import {
  activeTab, clearNotifications, clickDialogButton, closeNotificationCentre, quickInputState, runCommand, waitForDialog, waitForNotification,
  waitForQuickInput, waitForTabDirty, type QuickInputState,
} from './workbench.ts';
import type { Frame, Page } from 'playwright-core';

const LABEL = 'E2E History';
const SOURCE = 'app_events';
const SOURCE_PATH = `/console/v1/metrics/metric_source/${SOURCE}`;
// Short enough that both sides of the diff show the whole line.
const FIRST_SQL = 'SELECT * FROM analytics.events WHERE event_value >= 1';
const SECOND_SQL = 'SELECT * FROM analytics.events WHERE event_value >= 2';

/** Types `sql`, saves (the dry run passes), pushes after reading the diff and confirming the modal. */
async function pushSql(page: Page, frame: Frame, sql: string): Promise<Frame> {
  await replaceSql(page, frame, sql);
  await page.keyboard.press('ControlOrMeta+S');
  const passed = await waitForEditorStatus(page, SOURCE, /^Dry run passed/);
  await waitForTabDirty(page, false);
  await clickToolbarButton(passed.frame, 'Push');
  await pushFromDiff(page);
  await waitForDialog(page, /^Push metric source/);
  await clickDialogButton(page, 'Push');
  await waitForNotification(page, `Pushed metric source "${SOURCE}" in "${LABEL}".`, 30_000);
  await clearNotifications(page);
  return (await waitForEditorStatus(page, SOURCE, /^Pushed to/)).frame;
}

/** Waits for the quick pick titled `title` to list `count` rows. */
async function waitForRows(page: Page, title: string | RegExp, count: number): Promise<QuickInputState> {
  await waitForQuickInput(page, title);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = await quickInputState(page);
    if (state && state.rows.length >= count) return state;
    if (Date.now() > deadline) throw new Error(`the quick pick ${String(title)} lists ${state?.rows.length ?? 0} rows, not ${count}: ${state?.rows.join(' | ') ?? 'closed'}`);
    await page.waitForTimeout(100);
  }
}

/** Clicks the row of the open quick pick whose text matches. */
async function clickRow(page: Page, matcher: RegExp): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: matcher }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

export default defineScenario({
  description: 'a person pushes a change to a source twice, opens Show Push History, compares the two pushed versions side by side, and restores the older one as a draft (nothing pushed)',
  timeoutSeconds: 300,
  async run({ page, api, screenshot, log }) {
    const opened = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);

    // 1. Two pushes.
    await pushSql(page, await pushSql(page, opened.frame, FIRST_SQL), SECOND_SQL);
    assert.equal(((await consoleOk(api, 'GET', SOURCE_PATH)).data as { sql: string }).sql, SECOND_SQL);
    log('pushed twice');

    // 2. The history of the source in front: newest first, with what changed.
    await runCommand(page, 'Statsig WHN: Show Push History…');
    const history = await waitForRows(page, `Push history of "${SOURCE}"`, 2);
    assert.equal(history.rows.length, 2, history.rows.join(' | '));
    for (const row of history.rows) assert.match(row, /\d{2}:\d{2}:\d{2}.*updated \(full\) in "E2E History".*Changed: sql/);
    log(`history: ${history.rows.join(' | ')}`);
    await screenshot('history-list');

    // 3. The older push next to the newer one.
    const older = history.rows[1] ?? '';
    const newer = history.rows[0] ?? '';
    const time = (row: string) => /\d{1,2}:\d{2}:\d{2}/.exec(row)?.[0] ?? row;
    assert.notEqual(time(older), time(newer));
    await clickRow(page, new RegExp(time(older).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await waitForRows(page, /pushed/, 4);
    await clickRow(page, /^Compare with Another Version…/);
    const others = await waitForRows(page, /^Compare the version of "app_events" pushed/, 1);
    assert.equal(others.rows.length, 1);
    await clickRow(page, /updated/);
    const diff = page.locator('.part.editor .monaco-diff-editor');
    await diff.first().waitFor({ state: 'visible', timeout: 20_000 });
    const tab = await activeTab(page);
    assert.match(tab.label, /^app_events: pushed .* ↔ pushed /, `the active tab is ${tab.label}`);
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = ((await diff.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
      if (text.includes('event_value >= 1') && text.includes('event_value >= 2')) break;
      await page.waitForTimeout(200);
    }
    assert.ok(text.includes('event_value >= 1') && text.includes('event_value >= 2'), `the diff shows both SQL versions: ${text.slice(0, 300)}`);
    await closeNotificationCentre(page);
    await screenshot('history-compare');
    log(`diff "${tab.label}"`);

    // 4. From the palette over the diff: every source's history; restore the older push of app_events.
    const before = (await consoleOk(api, 'GET', SOURCE_PATH)).data;
    await runCommand(page, 'Statsig WHN: Show Push History…');
    const all = await waitForRows(page, 'Push history (every source)', 2);
    assert.ok(all.rows.every((row) => row.startsWith(SOURCE)), all.rows.join(' | '));
    await clickRow(page, new RegExp(time(older).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await waitForRows(page, /pushed/, 4);
    await clickRow(page, /^Restore This Version…/);
    await waitForNotification(page, /^The version of "app_events" pushed .* is now your draft\. Nothing was pushed/, 20_000);
    const restored = await waitForEditorStatus(page, SOURCE, /^Restored the version pushed .* as a draft, not pushed yet\./);
    let frame = restored.frame;
    const sqlDeadline = Date.now() + 10_000;
    while ((await editorSql(frame)) !== FIRST_SQL && Date.now() < sqlDeadline) {
      await page.waitForTimeout(200);
      frame = await sourceEditorFrame(page, SOURCE);
    }
    assert.equal(await editorSql(frame), FIRST_SQL, 'the editor shows the restored SQL');
    assert.deepEqual((await consoleOk(api, 'GET', SOURCE_PATH)).data, before, 'nothing was pushed');
    await closeNotificationCentre(page);
    await screenshot('history-restored');
    log(`restored: "${restored.status}"`);

    // 5. Go to Source… from its keybinding: app_events, opened last, comes first.
    await page.keyboard.press('ControlOrMeta+Shift+Alt+P');
    const goTo = await waitForRows(page, 'Go to Statsig source', 10);
    assert.match(goTo.rows[0] ?? '', /^app_events/, `the recently opened source first: ${goTo.rows.slice(0, 3).join(' | ')}`);
    await page.keyboard.type('revenue', { delay: 20 });
    await page.waitForTimeout(500);
    const filtered = await quickInputState(page);
    assert.ok(filtered?.rows.some((row) => row.startsWith('Order Revenue')), `fuzzy on the name: ${filtered?.rows.join(' | ') ?? 'closed'}`);
    await screenshot('go-to-source');
    await page.keyboard.press('Enter');
    await sourceEditorFrame(page, 'Order Revenue');
    log(`Go to Source: ${goTo.rows.slice(0, 3).join(' | ')}; "revenue" → ${filtered?.rows.join(' | ') ?? ''}`);
  },
});
