// A person edits a metric source in the source editor and publishes it:
//   1. connects, opens app_events from the Sources view;
//   2. replaces its SQL with a broken query, Ctrl+S: the status line says "Dry run failed", the
//      Problems panel lists Statsig's error; Push is refused (a warning notification);
//   3. types a working query, Ctrl+S: "Dry run passed";
//   4. edits the description in the form and takes it back with Ctrl+Z while in the webview (undo
//      goes through VS Code's text document: the description and the tab's dirty state come back);
//      then types and presses Ctrl+Z at once: the typing not yet sent is what is taken back;
//   5. Push (toolbar button): the diff (Statsig ↔ draft, the SQL as SQL) opens with no modal in
//      front, so it can be scrolled and read; Push This Diff… in its title bar then shows the modal
//      that names the project and the source; Push in the dialog publishes; the emulator now has
//      the new SQL.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, clickToolbarButton, connectFromPalette, consoleOk, editorSql, formControl, openSourceFromTree,
  replaceSql, resetEmulator, showSourceInTree, sourceEditorFrame, waitForEditorStatus, waitForGroupCounts,
} from './statsig.ts';
import {
  activeTab, clearNotifications, clickDialogButton, closeNotificationCentre, editorTitleAction, openViewContainer, problemRows,
  shownDialog, waitForDialog, waitForNotification, waitForProblem, waitForTabDirty,
} from './workbench.ts';

const LABEL = 'E2E Save Push';
const SOURCE = 'app_events';
const BROKEN_SQL = 'SELECT nope FROM missing_table';
const GOOD_SQL = 'SELECT user_id, stable_id, company_id, event_name, event_value, event_ts, ds FROM analytics.events';
const SOURCE_PATH = `/console/v1/metrics/metric_source/${SOURCE}`;

export default defineScenario({
  description: 'a person breaks a metric source\'s SQL (dry run fails, push refused), fixes it (dry run passes), undoes a form edit with Ctrl+Z, and pushes it after reading the diff (Push This Diff… in its title bar) and a modal confirmation',
  timeoutSeconds: 240,
  async run({ page, api, screenshot, log }) {
    await resetEmulator(api);
    const { data: before } = await consoleOk(api, 'GET', SOURCE_PATH);
    const remoteSql = (before as { sql: string }).sql;
    assert.notEqual(remoteSql, GOOD_SQL);

    // 1. Connect and open app_events from the tree.
    const sidebar = await connectFromPalette(page, api, LABEL);
    await clearNotifications(page);
    await openViewContainer(page, VIEW_CONTAINER);
    await waitForGroupCounts(page, sidebar);
    let frame = await openSourceFromTree(page, await showSourceInTree(page, sidebar, 'Metric Sources', SOURCE), SOURCE);

    // 2. A broken query: Ctrl+S saves the draft and runs the dry run, which fails.
    //    Ctrl+S right after the last keystroke (within the form's 250 ms typing delay): the webview
    //    sends what was typed before VS Code saves.
    await replaceSql(page, frame, BROKEN_SQL);
    await page.keyboard.press('ControlOrMeta+S');
    const failed = await waitForEditorStatus(page, SOURCE, /^Dry run failed/);
    frame = failed.frame;
    log(`after Ctrl+S with ${JSON.stringify(BROKEN_SQL)}: "${failed.status}"`);
    await waitForTabDirty(page, false);
    assert.equal(await editorSql(frame), BROKEN_SQL);
    const problems = await waitForProblem(page, /Statsig dry run/);
    const dryRunProblems = problems.filter((p) => p.kind === 'marker' && /Statsig dry run/.test(p.ariaLabel));
    assert.ok(dryRunProblems.length > 0);
    log(`Problems panel: ${problems.filter((p) => p.kind === 'marker').map((p) => p.ariaLabel).join(' | ')}`);
    // The editor shows the same problem next to the SQL.
    await frame.locator('.field--sql .messages', { hasText: /Statsig/ }).waitFor({ state: 'visible', timeout: 10_000 });
    await closeNotificationCentre(page);
    await screenshot('editor-dry-run-failed');

    // Push now is refused: the last dry run of exactly this content failed.
    await clickToolbarButton(frame, 'Push');
    const refused = await waitForNotification(page, /^Push refused/);
    assert.equal(refused.severity, 'warning');
    assert.equal(await shownDialog(page), undefined, 'a refused push still asked for confirmation');
    log(`Push → ${refused.severity}: ${refused.message} [${refused.buttons.join(', ')}]`);
    await screenshot('push-refused');
    await clearNotifications(page);

    // 3. A working query: the dry run passes.
    frame = await sourceEditorFrame(page, SOURCE);
    await replaceSql(page, frame, GOOD_SQL);
    await page.keyboard.press('ControlOrMeta+S');
    const passed = await waitForEditorStatus(page, SOURCE, /^Dry run passed/);
    frame = passed.frame;
    await waitForTabDirty(page, false);
    assert.equal(await editorSql(frame), GOOD_SQL);
    log(`after Ctrl+S with the working query: "${passed.status}"`);
    // The Problems panel follows a moment later (diagnostics travel from the extension host).
    const errors = async () => (await problemRows(page)).filter((p) => p.kind === 'marker' && /^Error/.test(p.ariaLabel)).map((p) => p.ariaLabel);
    const clearDeadline = Date.now() + 10_000;
    while ((await errors()).length > 0 && Date.now() < clearDeadline) await page.waitForTimeout(100);
    assert.deepEqual(await errors(), [], 'errors are still listed in the Problems panel after the dry run passed');

    // 4. Undo from inside the webview: type in the description, wait until the edit has reached the
    //    document (the tab's dirty dot), Ctrl+Z with the focus still in the textarea.
    const description = formControl(frame, 'description');
    const original = await description.inputValue();
    await description.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' (edited)', { delay: 15 });
    await waitForTabDirty(page, true);
    assert.equal(await description.inputValue(), `${original} (edited)`);
    await screenshot('description-edited');
    await page.keyboard.press('ControlOrMeta+Z');
    await waitForTabDirty(page, false);
    const undoDeadline = Date.now() + 5_000;
    while (await description.inputValue() !== original && Date.now() < undoDeadline) await page.waitForTimeout(50);
    assert.equal(await description.inputValue(), original, 'Ctrl+Z in the webview did not take the description back');
    assert.equal(await editorSql(frame), GOOD_SQL, 'Ctrl+Z changed the SQL too');
    await screenshot('description-undone');
    log(`Ctrl+Z in the webview: description back to ${JSON.stringify(original)}, tab clean again, SQL unchanged`);

    //    The same with Ctrl+Z pressed at once after typing (within the form's 250 ms typing delay):
    //    the typing that has not reached the document yet is what gets undone, nothing else.
    await description.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' (fast)', { delay: 15 });
    await page.keyboard.press('ControlOrMeta+Z');
    const settle = Date.now() + 2_000;
    while (Date.now() < settle) await page.waitForTimeout(100);
    const fast = { description: await description.inputValue(), sql: await editorSql(frame), dirty: (await activeTab(page)).dirty };
    if (fast.description !== original || fast.sql !== GOOD_SQL || fast.dirty) await screenshot('fast-undo');
    assert.deepEqual(fast, { description: original, sql: GOOD_SQL, dirty: false }, 'Ctrl+Z right after typing must take back exactly that typing');
    log('fast Ctrl+Z: the unsent typing was taken back; SQL unchanged; tab clean');

    // 5. Push: the diff opens first, with nothing modal in front of it; the user reads (scrolls) it,
    // then Push This Diff… in its title bar asks the modal that names the project and the source.
    frame = await sourceEditorFrame(page, SOURCE);
    await clickToolbarButton(frame, 'Push');
    const diff = page.locator('.part.editor .monaco-diff-editor');
    await diff.first().waitFor({ state: 'visible', timeout: 20_000 });
    const diffTab = await activeTab(page);
    assert.match(diffTab.label, /^app_events: Statsig ↔ your draft \(to push\)/, `the active tab is ${diffTab.label}`);
    const pushButton = editorTitleAction(page, 'Push This Diff…');
    await pushButton.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(await editorTitleAction(page, 'Cancel Push').isVisible(), 'Cancel Push is in the title bar too');
    // The SQL is shown as SQL (its own lines), not as one escaped JSON string.
    const diffText = ((await diff.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.ok(diffText.includes(GOOD_SQL), `the SQL diff shows the pushed SQL as SQL: ${diffText.slice(0, 300)}`);
    assert.ok(!diffText.includes('"sql":'), 'the SQL diff is not the JSON');
    await page.waitForTimeout(1_000);
    assert.equal(await shownDialog(page), undefined, 'a modal blocks the diff while it is read');
    // Kept open, not a preview tab another file would replace (VS Code shows a preview's title in
    // italics; the tab's aria-label is not updated when it is kept).
    const italic = await page.locator('.part.editor .editor-group-container.active .tab.active .monaco-icon-label.italic').count();
    assert.equal(italic, 0, 'the push diff is still a preview tab');
    await screenshot('push-diff');
    // Reading takes as long as it takes: the diff scrolls (the mouse wheel reaches it), still no dialog.
    await diff.first().hover();
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(500);
    assert.equal(await shownDialog(page), undefined, 'a modal came up while the diff was read');
    log(`diff "${diffTab.label}" open (kept, not a preview) and scrolled, no dialog; Push This Diff… and Cancel Push in its title bar`);
    await pushButton.click();
    const dialog = await waitForDialog(page, /^Push metric source/);
    assert.equal(dialog.message, `Push metric source "${SOURCE}" in Statsig project "${LABEL}"?`);
    assert.deepEqual(dialog.buttons.slice(0, 1), ['Cancel'], `Cancel first: ${dialog.buttons.join(', ')}`);
    assert.ok(dialog.buttons.includes('Push'), `the dialog's buttons: ${dialog.buttons.join(', ')}`);
    log(`dialog: ${dialog.message} — ${dialog.detail} [${dialog.buttons.join(', ')}]`);
    await clickDialogButton(page, 'Push');
    const pushed = await waitForNotification(page, `Pushed metric source "${SOURCE}" in "${LABEL}".`, 30_000);
    assert.equal(pushed.severity, 'info');
    log(`after Push: ${pushed.message}`);

    // The emulator has the new SQL; the editor says so too.
    const { data: after } = await consoleOk(api, 'GET', SOURCE_PATH);
    assert.equal((after as { sql: string }).sql, GOOD_SQL, 'the emulator does not have the pushed SQL');
    assert.equal((after as { description: string }).description, original, 'the undone description edit was pushed');
    const done = await waitForEditorStatus(page, SOURCE, /^Pushed to/);
    log(`emulator: GET ${SOURCE_PATH} → sql ${JSON.stringify((after as { sql: string }).sql)}; editor: "${done.status}"`);
    await closeNotificationCentre(page);
    await screenshot('pushed');
  },
});
