// Sources as code, in the real workbench, as a newcomer does it:
//   1. connects, runs "Statsig WHN: Pull to Workspace…" from the palette (every source): the
//      notification's Reveal in Explorer shows the statsig/ folder with metric-sources/ and the two
//      plain files of app_events; the Sources view marks app_events "workspace ✓" (screenshot
//      workspace-pulled);
//   2. opens statsig/metric-sources/app_events.sql from the Explorer (VS Code's own text editor),
//      types a table that does not exist, Ctrl+S: Statsig's dry run squiggles it in the .sql file and
//      the Problems panel lists it at its line; fixes it (and notes a review), Ctrl+S: the problem
//      goes away, the file on disk says exactly that, and the tree says "workspace ≠ Statsig"
//      (screenshot workspace-sql-file);
//   3. "Open in Statsig Source Editor" in the editor's title bar: the source editor shows the .sql
//      file's SQL and the form of the .source.json (screenshot workspace-source-editor);
//   4. Push in its toolbar: the diff first (no dialog over it), Push This Diff… in its title bar, the
//      modal (which names the files and the project); Push:
//      the emulator has the new SQL, statsig/statsig.lock.json on disk records Statsig's new version
//      as the files' base, and the tree says "workspace ✓" again.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { sourceHash } from '../../src/core/sourceLock.ts';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, clickToolbarButton, connectFromPalette, consoleOk, editorSql, formControl, pushFromDiff, resetEmulator, showSourceInTree,
  sourceEditorFrame, waitForGroupCounts,
} from './statsig.ts';
import {
  activeTab, clearNotifications, clickDialogButton, closeNotificationCentre, editorTitleAction, expandTreeRow, openViewContainer, problemRows,
  runCommand, treeRow, waitForDialog, waitForNotification, waitForProblem, waitForQuickInput, waitForTabDirty, waitForTreeRows, waitForValue,
} from './workbench.ts';

const LABEL = 'E2E Workspace';
const SOURCE = 'app_events';
const SOURCE_PATH = `/console/v1/metrics/metric_source/${SOURCE}`;
const LOCK_KEY = `metricSource/${SOURCE}`;
const TABLE = 'FROM analytics.events';
const MISTAKE = 'FROM analytics.no_such_table';
const FIXED = 'FROM analytics.events -- reviewed';

/** The hash statsig/statsig.lock.json records for app_events, read from the disk. */
function lockedHash(workspaceDir: string): string | undefined {
  const lock = JSON.parse(readFileSync(join(workspaceDir, 'statsig', 'statsig.lock.json'), 'utf8')) as { sources: Record<string, { hash: string }> };
  return lock.sources[LOCK_KEY]?.hash;
}

/** Shows the Statsig view and waits until app_events' row says `mark` (the tree repaints when the files or the lock change). */
async function waitForMark(page: Page, mark: string, timeoutMs = 30_000): Promise<string> {
  const sidebar = await openViewContainer(page, VIEW_CONTAINER);
  await showSourceInTree(page, sidebar, 'Metric Sources', SOURCE);
  const rows = await waitForTreeRows(page, sidebar, (all) => all.some((r) => r.label === SOURCE && r.description.startsWith(mark)), `${SOURCE} marked "${mark}"`, timeoutMs);
  return rows.find((r) => r.label === SOURCE)?.description ?? '';
}

/** Shows the Explorer (as View: Show Explorer does) and returns the side bar. */
async function showExplorer(page: Page): Promise<Locator> {
  await runCommand(page, 'View: Show Explorer');
  const sidebar = page.locator('.part.sidebar');
  await sidebar.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 10_000 });
  return sidebar;
}

/** In the open text editor: selects the last word of the line that shows `line` (End, then Ctrl+Shift+Left) and types `word` over it. */
async function retypeLastWord(page: Page, editor: Locator, line: string, word: string): Promise<void> {
  await editor.locator('.view-line', { hasText: line }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ControlOrMeta+Shift+ArrowLeft');
  await page.keyboard.type(word, { delay: 20 });
  await page.keyboard.press('Escape'); // a suggestion list typing may have opened
}

/** The text of the line the editor shows that starts with "FROM". */
async function fromLine(editor: Locator): Promise<string> {
  const lines = await editor.locator('.view-line').allInnerTexts();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => l.startsWith('FROM')) ?? '(no FROM line)';
}

export default defineScenario({
  description: 'a person pulls a project\'s sources into the workspace, breaks and fixes a .sql file there (Statsig\'s dry run on save, problems in the file), opens it in the source editor and pushes it; the lock on disk follows',
  timeoutSeconds: 420,
  async run({ page, api, workspaceDir, screenshot, log }) {
    await resetEmulator(api);
    const { data: before } = await consoleOk(api, 'GET', SOURCE_PATH);
    const remoteSql = (before as { sql: string }).sql;
    assert.ok(remoteSql.includes(`\n${TABLE}\n`), `the seed's SQL reads from analytics.events: ${remoteSql}`);

    // 1. Connect; Pull to Workspace… from the palette, every source.
    const sidebar = await connectFromPalette(page, api, LABEL);
    await clearNotifications(page);
    await waitForGroupCounts(page, sidebar);
    await runCommand(page, 'Statsig WHN: Pull to Workspace…');
    const which = await waitForQuickInput(page, `Pull which sources of "${LABEL}" into the workspace?`);
    assert.ok(which.rows.some((r) => r.startsWith('Every source')), `the pick offers every source: ${which.rows.join(' | ')}`);
    log(`asked: ${which.title} [${which.rows.join(' | ')}]`);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'Every source' }).first().click();
    // The window has one folder: no second question; the files go to statsig/ in it.
    const pulled = await waitForNotification(page, new RegExp(`^Pulled \\d+ sources of "${LABEL}" into statsig: \\d+ written, 0 unchanged, 0 removed\\.$`), 60_000);
    assert.equal(pulled.severity, 'info');
    assert.ok(pulled.buttons.includes('Reveal in Explorer'), `the notification's buttons: ${pulled.buttons.join(', ')}`);
    log(`after the pull: ${pulled.message}`);
    const pulledHash = lockedHash(workspaceDir);
    assert.equal(pulledHash, sourceHash('metricSource', before as Record<string, unknown>), 'the lock records the pulled version');
    assert.equal(readFileSync(join(workspaceDir, 'statsig', 'metric-sources', `${SOURCE}.sql`), 'utf8'), remoteSql, 'the .sql file is the SQL, byte for byte');

    //    Reveal in Explorer: the folder, its kinds, the two files of app_events.
    await page.locator('.notifications-center .notification-list-item', { hasText: 'Pulled' }).locator('.monaco-button', { hasText: 'Reveal in Explorer' }).first().click();
    const explorer = page.locator('.part.sidebar');
    await explorer.locator('.composite.title .title-label h2', { hasText: 'Explorer' }).waitFor({ state: 'visible', timeout: 10_000 });
    await waitForTreeRows(page, explorer, (rows) => rows.some((r) => r.label === 'statsig' && r.selected), 'statsig/ revealed (selected)');
    await expandTreeRow(treeRow(explorer, 'statsig'));
    const kinds = await waitForTreeRows(page, explorer, (rows) => ['metric-sources', 'assignment-sources', 'statsig.lock.json'].every((l) => rows.some((r) => r.label === l)), 'the kinds\' folders and the lock under statsig/');
    log(`Explorer: ${kinds.map((r) => r.label).join(', ')}`);
    await expandTreeRow(treeRow(explorer, 'metric-sources'));
    await waitForTreeRows(page, explorer, (rows) => [`${SOURCE}.sql`, `${SOURCE}.source.json`].every((l) => rows.some((r) => r.label === l)), `${SOURCE}.sql and ${SOURCE}.source.json under metric-sources/`);

    //    The Sources view marks it as tracked in the workspace, the same as Statsig.
    await clearNotifications(page);
    const pulledMark = await waitForMark(page, 'workspace ✓');
    log(`tree: ${SOURCE}  ${pulledMark}`);
    await screenshot('workspace-pulled');

    // 2. The .sql file in VS Code's own text editor: a table that does not exist, saved.
    const files = await showExplorer(page);
    await waitForTreeRows(page, files, (rows) => rows.some((r) => r.label === `${SOURCE}.sql`), `${SOURCE}.sql in the Explorer`);
    await treeRow(files, `${SOURCE}.sql`).click();
    const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-line', { hasText: TABLE }).first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await activeTab(page)).label, new RegExp(`^${SOURCE}\\.sql\\b`), 'the .sql file is in front');
    await retypeLastWord(page, editor, TABLE, 'no_such_table');
    assert.equal(await fromLine(editor), MISTAKE);
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
    const problems = await waitForProblem(page, /no_such_table/, 60_000);
    const markers = problems.filter((r) => r.kind === 'marker');
    log(`Problems: ${markers.map((r) => r.ariaLabel).join(' | ')}`);
    assert.ok(problems.some((r) => r.kind === 'resource' && r.text.startsWith(`${SOURCE}.sql`)), `the problem is on ${SOURCE}.sql: ${problems.map((r) => r.text).join(' | ')}`);
    assert.ok(markers.some((r) => /no_such_table/.test(r.ariaLabel) && / at line 5 and character \d+/.test(r.ariaLabel) && /Statsig dry run/.test(r.ariaLabel)),
      'Statsig\'s dry run placed the problem at the FROM line (5) of the .sql file');
    await closeNotificationCentre(page);
    await screenshot('workspace-sql-problem');

    //    Fixed (and a note for the reviewer), saved: the problem goes away.
    await retypeLastWord(page, editor, MISTAKE, 'events -- reviewed');
    assert.equal(await fromLine(editor), FIXED);
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    await waitForValue(page, async () => (await problemRows(page)).filter((r) => r.kind === 'marker').map((r) => r.ariaLabel),
      (rows) => !rows.some((r) => /no_such_table|^Error/.test(r)), 'the Problems panel still lists an error after the fix was saved', 60_000);
    await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 10_000 });
    const onDisk = readFileSync(join(workspaceDir, 'statsig', 'metric-sources', `${SOURCE}.sql`), 'utf8');
    assert.equal(onDisk, remoteSql.replace(TABLE, FIXED), 'the file on disk is the SQL as typed, nothing else');
    const edited = await waitForMark(page, 'workspace ≠ Statsig');
    log(`after the fix: no problems; tree: ${SOURCE}  ${edited}`);
    assert.equal(((await consoleOk(api, 'GET', SOURCE_PATH)).data as { sql: string }).sql, remoteSql, 'saving a file pushes nothing');
    await closeNotificationCentre(page);
    await screenshot('workspace-sql-file');

    // 3. Open in Statsig Source Editor, from the .sql file's title bar.
    await page.locator('.part.editor .tab', { hasText: `${SOURCE}.sql` }).first().click();
    const open = editorTitleAction(page, 'Open in Statsig Source Editor');
    await open.waitFor({ state: 'visible', timeout: 20_000 });
    await open.click();
    let frame = await sourceEditorFrame(page, SOURCE, 30_000);
    await frame.locator('.cm-editor .cm-content').waitFor({ state: 'visible', timeout: 20_000 });
    const shown = await editorSql(frame);
    assert.equal(shown, remoteSql.replace(TABLE, FIXED), 'the source editor shows the .sql file\'s SQL');
    const description = formControl(frame, 'description');
    await description.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await description.inputValue(), (before as { description: string }).description, 'the form shows the .source.json file\'s fields');
    const tab = await activeTab(page);
    log(`source editor tab: ${tab.label}`);
    assert.equal(tab.dirty, false, 'opening the files in the source editor changes nothing');
    // The whole editor in view: the Problems panel (empty now) put away, the mouse off the title bar.
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.mouse.move(0, 0);
    await screenshot('workspace-source-editor');

    // 4. Push from the source editor: the diff (read first), Push This Diff…, the modal, Push.
    await clearNotifications(page);
    frame = await sourceEditorFrame(page, SOURCE);
    await clickToolbarButton(frame, 'Push');
    // The diff first, in front and kept, with no dialog over it; Push This Diff… in its title bar brings the modal.
    await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
    const reading = await activeTab(page);
    assert.match(reading.label, /^app_events: Statsig ↔ your files \(to push\)/, `the diff is in front: ${reading.label}`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no dialog before the diff is read');
    await pushFromDiff(page);
    const dialog = await waitForDialog(page, /^Push metric source "app_events" from your files/, 60_000);
    assert.equal(dialog.message, `Push metric source "${SOURCE}" from your files in Statsig project "${LABEL}"?`);
    assert.match(dialog.detail, /statsig\.lock\.json then records it as the files' base/);
    assert.ok(dialog.buttons.includes('Push'), `the dialog's buttons: ${dialog.buttons.join(', ')}`);
    await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 10_000 });
    const diffTab = await activeTab(page);
    assert.match(diffTab.label, /^app_events: Statsig ↔ your files \(to push\)/, `the diff is in front: ${diffTab.label}`);
    log(`dialog: ${dialog.message} — ${dialog.detail} [${dialog.buttons.join(', ')}]; diff: ${diffTab.label}`);
    await screenshot('workspace-push-dialog');
    await clickDialogButton(page, 'Push');
    const pushed = await waitForNotification(page, `Pushed metric source "${SOURCE}" in "${LABEL}" from your files; statsig.lock.json is updated (commit it with them).`, 60_000);
    assert.equal(pushed.severity, 'info');
    log(`after Push: ${pushed.message}`);

    //    The emulator has it; the lock on disk records Statsig's new version; the tree agrees.
    const { data: after } = await consoleOk(api, 'GET', SOURCE_PATH);
    assert.equal((after as { sql: string }).sql, remoteSql.replace(TABLE, FIXED), 'the emulator does not have the pushed SQL');
    const newHash = sourceHash('metricSource', after as Record<string, unknown>);
    const locked = await waitForValue(page, () => Promise.resolve(lockedHash(workspaceDir)), (h) => h === newHash, 'statsig.lock.json does not record the pushed version', 20_000);
    assert.notEqual(locked, pulledHash);
    log(`statsig/statsig.lock.json: ${LOCK_KEY} ${pulledHash?.slice(0, 12)}… → ${locked?.slice(0, 12)}… (the pushed version)`);
    const again = await waitForMark(page, 'workspace ✓');
    log(`tree: ${SOURCE}  ${again}`);
  },
});
