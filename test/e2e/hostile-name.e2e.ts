// A source on Statsig is named like a markdown command link. A person connects, changes it and
// pushes it, has a push refused by Statsig, and deletes it. Every notification along the way names
// the source, and none of them renders a link: server text never becomes a clickable command.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, connectFromPalette, consoleOk, consoleRequest, openSourceFromTree, replaceSql, resetEmulator, showSourceInTree,
  pushFromDiff, sourceEditorFrame, waitForEditorStatus, waitForGroupCounts,
} from './statsig.ts';
import {
  clearNotifications, clickDialogButton, openNotificationCentre, openViewContainer, runCommand, waitForDialog, waitForNotification,
} from './workbench.ts';

const LABEL = 'E2E Hostile Name';
const HOSTILE = '[x](command:statsigWhn.showLog)';
const SQL = 'SELECT user_id, signup_ts FROM analytics.users';

/** Links inside notification messages (toasts or the notification centre), with their targets. */
async function messageLinks(page: Page): Promise<string[]> {
  await openNotificationCentre(page);
  return page.locator('.notifications-center .notification-list-item-message a, .notifications-toasts .notification-list-item-message a')
    .evaluateAll((links) => links.map((a) => `${a.textContent ?? ''} → ${a.getAttribute('href') ?? a.getAttribute('data-href') ?? ''}`));
}

async function setFaults(api: { url: string; controlToken: string }, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${api.url}/__emulator/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-token': api.controlToken }, body: JSON.stringify(faults),
  });
  assert.equal(response.status, 200, await response.text());
}

export default defineScenario({
  description: `a source named ${HOSTILE} is pushed, refused and deleted; no notification shows a link`,
  timeoutSeconds: 200,
  async run({ page, api, screenshot, log }) {
    await resetEmulator(api);
    await consoleOk(api, 'POST', '/console/v1/experiments/entity_properties', {
      name: HOSTILE, description: 'named like a command link', sql: SQL, timestampColumn: 'signup_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
    });

    const sidebar = await connectFromPalette(page, api, LABEL);
    await clearNotifications(page);
    await openViewContainer(page, VIEW_CONTAINER);
    await waitForGroupCounts(page, sidebar);
    const frame = await openSourceFromTree(page, await showSourceInTree(page, sidebar, 'Entity Property Sources', HOSTILE), HOSTILE);

    // 1. Change and push it: the confirmation and "Pushed …" name it as text.
    await replaceSql(page, frame, `${SQL} -- pushed`);
    await page.keyboard.press('ControlOrMeta+S');
    await waitForEditorStatus(page, HOSTILE, /^Dry run passed/);
    await runCommand(page, 'Statsig WHN: Push to Statsig…');
    await pushFromDiff(page);
    await waitForDialog(page, /^Push entity property source/);
    await clickDialogButton(page, 'Push');
    const pushed = await waitForNotification(page, /^Pushed entity property source/);
    log(`pushed: ${pushed.message}`);
    assert.ok(pushed.message.replaceAll('\u200B', '').includes(HOSTILE), 'the name is shown, as text');

    // 2. A push Statsig refuses (the final request gets 400): the error names nothing clickable.
    // (The push diff came and went: the webview was rendered anew, so look its frame up again.)
    await replaceSql(page, await sourceEditorFrame(page, HOSTILE, 30_000), `${SQL} -- refused`);
    await page.keyboard.press('ControlOrMeta+S');
    await waitForEditorStatus(page, HOSTILE, /^Dry run passed/);
    await setFaults(api, { faultMethods: ['POST'], failNext: { status: 400, count: 1 } });
    await runCommand(page, 'Statsig WHN: Push to Statsig…');
    await pushFromDiff(page);
    await waitForDialog(page, /^Push entity property source/);
    await clickDialogButton(page, 'Push');
    const refused = await waitForNotification(page, /^Push failed/);
    log(`refused: ${refused.message}`);
    await setFaults(api, { faultMethods: null, failNext: null });

    // 3. Delete it: the modal and "Deleted …" name it as text.
    await runCommand(page, 'Statsig WHN: Delete from Statsig…');
    await waitForDialog(page, /^Delete entity property source/);
    await clickDialogButton(page, 'Delete');
    const deleted = await waitForNotification(page, /^Deleted entity property source/);
    log(`deleted: ${deleted.message}`);
    const gone = await consoleRequest(api, 'GET', `/console/v1/experiments/entity_property/${encodeURIComponent(HOSTILE)}`);
    assert.equal(gone.status, 404, 'the source is deleted on Statsig');

    const links = await messageLinks(page);
    await screenshot('notifications');
    log(`links inside notification messages: ${links.length ? links.join(' | ') : 'none'}`);
    assert.deepEqual(links, [], 'a notification rendered server text as a link');
  },
});
