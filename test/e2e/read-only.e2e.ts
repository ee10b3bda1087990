// A person connects with a read-only Console API key, edits a source and saves: Statsig refuses the
// dry run with 403, the project is then shown as read-only (tree and status bar), and Push says so
// at once instead of asking for a confirmation or another dry run.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, connectFromPalette, openSourceFromTree, replaceSql, resetEmulator, showSourceInTree, waitForEditorStatus, waitForGroupCounts,
} from './statsig.ts';
import {
  clearNotifications, clickDialogButton, openViewContainer, runCommand, shownDialog, waitForDialog, waitForNotification, waitForTreeRows,
} from './workbench.ts';

const LABEL = 'E2E Read-only';
const PROJECT = 'e2e-read-only';
const SOURCE = 'app_events';

export default defineScenario({
  description: 'a read-only key: the first 403 marks the project read-only in the tree and the status bar, and Push refuses at once',
  timeoutSeconds: 150,
  async run({ page, api, screenshot, log }) {
    await resetEmulator(api);
    const readOnlyKey = `console-fake-${PROJECT}-ro`;
    const added = await fetch(`${api.url}/__emulator/projects`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-token': api.controlToken },
      body: JSON.stringify({ id: PROJECT, key: `console-fake-${PROJECT}`, readOnlyKey }),
    });
    assert.ok(added.status === 201 || added.status === 400, `adding the project: ${added.status}`);

    const sidebar = await connectFromPalette(page, { ...api, key: readOnlyKey }, LABEL);
    await clearNotifications(page);
    await openViewContainer(page, VIEW_CONTAINER);
    await waitForGroupCounts(page, sidebar);
    const frame = await openSourceFromTree(page, await showSourceInTree(page, sidebar, 'Metric Sources', SOURCE), SOURCE);
    await replaceSql(page, frame, 'SELECT user_id, stable_id, company_id, event_name, event_value, event_ts, ds FROM analytics.events -- read only');
    await page.keyboard.press('ControlOrMeta+S');
    const { status } = await waitForEditorStatus(page, SOURCE, /dry run could not run/);
    log(`after Ctrl+S: "${status}"`);

    const rows = await waitForTreeRows(page, sidebar, (all) => all.some((r) => r.label === SOURCE && r.description.startsWith('read-only key')), `"${SOURCE}" marked read-only`);
    log(`tree: ${rows.filter((r) => r.label === SOURCE).map((r) => `${r.label} — ${r.description}`).join(' | ')}`);
    const statusBar = await page.locator('.part.statusbar .statusbar-item').filter({ hasText: 'Statsig' }).first().innerText();
    log(`status bar: ${statusBar.replace(/\s+/g, ' ')}`);
    assert.match(statusBar, /\(read-only\)/);
    await screenshot('read-only');

    await runCommand(page, 'Statsig WHN: Push to Statsig…');
    const refused = await waitForNotification(page, /^Push is not available: the key of "E2E Read-only" is read-only/);
    log(`Push → ${refused.severity}: ${refused.message} [${refused.buttons.join(', ')}]`);
    assert.equal(await shownDialog(page), undefined, 'no confirmation was asked');

    // Leave nothing behind for the next scenario: discard the draft.
    await runCommand(page, 'Statsig WHN: Discard Local Changes…');
    await waitForDialog(page, /^Discard your local changes/);
    await clickDialogButton(page, 'Discard');
  },
});
