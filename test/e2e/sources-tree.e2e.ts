// A person opens the Statsig WHN container from the activity bar: before any key, the Sources view is
// the welcome view with its "Connect to Statsig" button. The button asks for the key (password box)
// and a label; the tree then loads from the emulator: five groups with counts that match what the
// Console API lists. Metric Sources expands to its sources, and a click on `app_events` opens the
// source editor (a webview) with the SQL in CodeMirror.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import {
  GROUPS, VIEW_CONTAINER, answerConnectBoxes, editorSql, editorStatus, groupCount, listCount, openSourceFromTree,
  resetEmulator, showSourceInTree, waitForGroupCounts,
} from './statsig.ts';
import { activeTab, clearNotifications, closeNotificationCentre, openViewContainer, treeRows } from './workbench.ts';

const LABEL = 'E2E Tree';
const LISTS: Record<string, string> = {
  'Assignment Sources': '/console/v1/experiments/assignment_sources',
  'Entity Property Sources': '/console/v1/experiments/entity_properties',
  'Qualifying Events': '/console/v1/experiments/qualifying_events',
  'Metric Sources': '/console/v1/metrics/metric_source/list',
};

export default defineScenario({
  description: 'a person opens the Statsig activity bar container, connects from its welcome view, sees the tree load from the emulator and opens a source',
  timeoutSeconds: 150,
  async run({ page, api, screenshot, log }) {
    await resetEmulator(api);

    // 1. The activity bar item shows the container; without a key the view is the welcome view.
    const sidebar = await openViewContainer(page, VIEW_CONTAINER);
    const welcome = sidebar.locator('.welcome-view-content');
    await welcome.waitFor({ state: 'visible', timeout: 20_000 });
    const connect = welcome.locator('.monaco-button', { hasText: 'Connect to Statsig' });
    await connect.waitFor({ state: 'visible', timeout: 10_000 });
    log(`welcome view: ${(await welcome.innerText()).replace(/\s*\n\s*/g, ' | ')}`);
    await screenshot('welcome');

    // 2. Connect: the button opens the password box, then the label box.
    await connect.click();
    const connected = await answerConnectBoxes(page, api.key, LABEL);
    log(`connected: ${connected.message}`);
    await clearNotifications(page);

    // 3. The tree replaces the welcome view: five groups, each with a count, equal to the API's lists.
    const groups = await waitForGroupCounts(page, sidebar);
    assert.equal(await welcome.isVisible(), false, 'the welcome view is still shown after connecting');
    assert.deepEqual(groups.map((g) => g.label), [...GROUPS], 'the groups, in order');
    log(`groups: ${groups.map((g) => `${g.label} ${g.description}`).join(', ')}`);
    for (const [group, path] of Object.entries(LISTS)) {
      const expected = await listCount(api, path);
      assert.equal(groupCount(groups, group), expected, `"${group}" shows ${groupCount(groups, group)}, the emulator lists ${expected} (${path})`);
    }
    log(`Metric Sources ${groupCount(groups, 'Metric Sources')} = pagination.totalItems of GET /console/v1/metrics/metric_source/list (and the other listable kinds match too)`);

    // 4. Metric Sources expands to as many sources as its count, app_events among them.
    const row = await showSourceInTree(page, sidebar, 'Metric Sources', 'app_events');
    const metricRows = await (async () => {
      const all = await treeRows(sidebar);
      const start = all.findIndex((r) => r.level === 1 && r.label === 'Metric Sources');
      const end = all.findIndex((r, i) => i > start && r.level === 1);
      return all.slice(start + 1, end < 0 ? undefined : end);
    })();
    assert.equal(metricRows.length, groupCount(groups, 'Metric Sources'), `Metric Sources lists ${metricRows.map((r) => r.label).join(', ')}`);
    log(`Metric Sources: ${metricRows.map((r) => r.description ? `${r.label} (${r.description})` : r.label).join(', ')}`);
    await closeNotificationCentre(page);
    await screenshot('tree');

    // 5. A click on app_events opens the source editor; CodeMirror shows its SQL.
    const frame = await openSourceFromTree(page, row, 'app_events');
    const deadline = Date.now() + 15_000;
    let sql = await editorSql(frame);
    while (!sql.includes('FROM analytics.events') && Date.now() < deadline) {
      await page.waitForTimeout(100);
      sql = await editorSql(frame);
    }
    assert.ok(sql.includes('FROM analytics.events'), `CodeMirror shows: ${sql}`);
    // It is the extension's webview (the custom editor), not a text editor.
    assert.match(frame.parentFrame()?.url() ?? '', /[?&]extensionId=statsig-whn-tools\.statsig-whn-sources(&|$)/, 'the editor is not the extension\'s webview');
    const tab = await activeTab(page);
    // A single click opens a preview tab, as a file does (the workbench says ", preview").
    assert.equal(tab.label, 'app_events.json, preview');
    assert.equal(tab.dirty, false, 'a source that was only opened is dirty');
    log(`editor: status "${await editorStatus(frame)}"; SQL: ${sql.replace(/\s+/g, ' ')}`);
    await screenshot('editor');
  },
});
