// Hot exit: a person types a new query into a source and, without saving, reloads the window. The
// editor comes back with the typed query, still dirty; nothing was sent to Statsig. Saving it then
// keeps exactly that text as the draft. The reload also lost the key (the web workbench keeps
// secrets in memory): connecting the same Statsig project again re-attaches the draft (project
// identity), which then validates and pushes.
//
// The harness runs with `files.hotExit: off` (quiet, deterministic); this scenario switches it on in
// the throwaway user settings for its own run and puts it back afterwards.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, connectFromPalette, consoleOk, editorSql, openSourceFromTree, replaceSql, resetEmulator, showSourceInTree,
  pushFromDiff, sourceEditorFrame, waitForEditorStatus, waitForGroupCounts,
} from './statsig.ts';
import {
  activeTab, clearNotifications, clickDialogButton, openViewContainer, runCommand, waitForDialog, waitForNotification, waitForTabDirty,
} from './workbench.ts';

const LABEL = 'E2E Hot Exit';
const SOURCE = 'user_signups';
const TYPED = 'SELECT user_id, stable_id, signup_ts FROM analytics.users -- typed before the reload';
const SOURCE_PATH = `/console/v1/metrics/metric_source/${SOURCE}`;

export default defineScenario({
  description: 'a person types a query into a source, reloads the window without saving, finds the editor restored with the typed query (dirty), saves it as a draft, connects the same project again and pushes that draft',
  timeoutSeconds: 200,
  async run({ page, api, userDataDir, screenshot, log }) {
    const settingsFile = join(userDataDir, 'User', 'settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    writeFileSync(settingsFile, `${JSON.stringify({ ...(JSON.parse(original) as object), 'files.hotExit': 'onExitAndWindowClose' }, null, 2)}\n`);
    try {
      await resetEmulator(api);
      const { data: before } = await consoleOk(api, 'GET', SOURCE_PATH);
      const remoteSql = (before as { sql: string }).sql;

      const sidebar = await connectFromPalette(page, api, LABEL);
      await clearNotifications(page);
      await openViewContainer(page, VIEW_CONTAINER);
      await waitForGroupCounts(page, sidebar);
      const frame = await openSourceFromTree(page, await showSourceInTree(page, sidebar, 'Metric Sources', SOURCE), SOURCE);
      await replaceSql(page, frame, TYPED);
      await waitForTabDirty(page, true);
      // The workbench backs a dirty editor up shortly after the last change.
      await page.waitForTimeout(2_500);
      await screenshot('typed');

      page.on('dialog', (dialog) => void dialog.accept());
      await page.reload();
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      const restored = await sourceEditorFrame(page, SOURCE, 60_000);
      await restored.locator('.cm-editor .cm-content').waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await editorSql(restored), TYPED, 'the typed query came back');
      const tab = await activeTab(page);
      assert.ok(tab.dirty, `the restored tab is dirty (${JSON.stringify(tab)})`);
      log(`after the reload: tab "${tab.label}" dirty=${String(tab.dirty)}, SQL ${JSON.stringify(await editorSql(restored))}`);
      await screenshot('restored');
      assert.equal(((await consoleOk(api, 'GET', SOURCE_PATH)).data as { sql: string }).sql, remoteSql, 'nothing reached Statsig');

      // Save keeps exactly the restored text as the draft (with or without a connection: the dry run
      // runs if it can, and says why if it cannot).
      await restored.locator('.cm-content').click();
      await page.keyboard.press('ControlOrMeta+S');
      const { status } = await waitForEditorStatus(page, SOURCE, /^(Dry run|Draft saved)/);
      log(`after Ctrl+S: "${status}"`);
      await waitForTabDirty(page, false);
      await screenshot('saved');
      assert.equal(((await consoleOk(api, 'GET', SOURCE_PATH)).data as { sql: string }).sql, remoteSql, 'saving published nothing');

      // The key was lost with the reload; connecting the same project again re-attaches the draft.
      const again = await connectFromPalette(page, api, `${LABEL} again`);
      await clearNotifications(page);
      await openViewContainer(page, VIEW_CONTAINER);
      await waitForGroupCounts(page, again);
      const row = await showSourceInTree(page, again, 'Metric Sources', SOURCE);
      const decoration = (await row.getAttribute('aria-label')) ?? '';
      log(`after connecting again: tree row "${decoration}"`);
      await screenshot('reattached');
      const reopened = await openSourceFromTree(page, row, SOURCE);
      assert.equal(await editorSql(reopened), TYPED, 'the re-attached draft is what opens');
      await runCommand(page, 'Statsig WHN: Validate (Dry Run Again)');
      await waitForEditorStatus(page, SOURCE, /^Dry run passed/);
      await reopened.locator('.cm-content').click();
      await runCommand(page, 'Statsig WHN: Push to Statsig…');
      // The draft was saved from an editor restored after the reload, before its remote was read:
      // push cannot tell a change on Statsig from the user's, so it asks; this person knows.
      const unknown = await waitForDialog(page, /that your draft started from is unknown/);
      log(`push asks first: ${unknown.message} [${unknown.buttons.join(', ')}]`);
      await clickDialogButton(page, 'Overwrite');
      await pushFromDiff(page);
      const dialog = await waitForDialog(page, /^Push metric source/);
      log(`dialog: ${dialog.message} [${dialog.buttons.join(', ')}]`);
      assert.equal(dialog.buttons[0], 'Cancel', 'the safe choice comes first (the default button)');
      await clickDialogButton(page, 'Push');
      const pushed = await waitForNotification(page, /^Pushed metric source/);
      log(`after Push: ${pushed.message}`);
      assert.equal(((await consoleOk(api, 'GET', SOURCE_PATH)).data as { sql: string }).sql, TYPED, 'the draft saved before the reload was pushed');
    } finally {
      writeFileSync(settingsFile, original);
    }
  },
});
