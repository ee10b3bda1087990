// Hot exit: a person types a new query into a source and, without saving, reloads the window. The
// editor comes back with the typed query, still dirty; nothing was sent to Statsig. Saving it then
// keeps exactly that text as the draft.
//
// The harness runs with `files.hotExit: off` (quiet, deterministic); this scenario switches it on in
// the throwaway user settings for its own run and puts it back afterwards.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, connectFromPalette, consoleOk, editorSql, openSourceFromTree, replaceSql, resetEmulator, showSourceInTree,
  sourceEditorFrame, waitForEditorStatus, waitForGroupCounts,
} from './statsig.ts';
import { activeTab, clearNotifications, openViewContainer, waitForTabDirty } from './workbench.ts';

const LABEL = 'E2E Hot Exit';
const SOURCE = 'user_signups';
const TYPED = 'SELECT user_id, event_ts, ds FROM analytics.signups -- typed before the reload';
const SOURCE_PATH = `/console/v1/metrics/metric_source/${SOURCE}`;

export default defineScenario({
  description: 'a person types a query into a source, reloads the window without saving, finds the editor restored with the typed query (dirty), and saves it as a draft',
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
    } finally {
      writeFileSync(settingsFile, original);
    }
  },
});
