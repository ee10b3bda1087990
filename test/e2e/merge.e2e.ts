// Two people change the same metric source; the one in VS Code merges instead of overwriting:
//   1. connects, opens app_events and its SQL in the text editor (`.sql` view), adds a condition at
//      the end and saves; meanwhile a colleague (the Console API, straight) changes the first
//      lines' comment and the tags;
//   2. Merge with Statsig… (palette): the merged draft is shown as a diff (Statsig now ↔ merged)
//      with a modal naming what comes from Statsig; Apply Merge; the .sql view shows both changes;
//      Push goes through without any Overwrite question, and Statsig has both;
//   3. both change the same line (FROM …): Merge with Statsig… writes the conflict into the SQL
//      with the standard markers, the .sql view opens on them, each marker is an error; Push is
//      refused; the person keeps one line, deletes the markers, saves (the merge concludes) and
//      pushes; Statsig has the resolved line.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { defineScenario, type ScenarioContext } from './scenario.ts';
import { connectAndOpenSource, consoleOk, pushFromDiff } from './statsig.ts';
import {
  activeTab, clickDialogButton, closeNotificationCentre, openNotificationCentre, runCommand, shownDialog, waitForDialog,
  waitForNotification, waitForProblem, waitForTabDirty, waitForValue,
} from './workbench.ts';

const LABEL = 'E2E Merge';
const SOURCE = 'app_events';
const PATH = `/console/v1/metrics/metric_source/${SOURCE}`;
const MERGE = 'Statsig WHN: Merge with Statsig…';
const PUSH = 'Statsig WHN: Push to Statsig…';

type Api = ScenarioContext['api'];

async function remoteSql(api: Api): Promise<string> {
  const { data } = await consoleOk(api, 'GET', PATH);
  return String((data as { sql?: unknown }).sql);
}

/** A colleague's full update on Statsig. */
async function theyChange(api: Api, change: (now: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const { data } = await consoleOk(api, 'GET', PATH);
  const { owner: _owner, ...now } = data as Record<string, unknown>;
  await consoleOk(api, 'POST', PATH, change(now));
}

/** Clears the notifications, if there are any (the centre's Clear All is disabled when it is empty). */
async function clearAny(page: Page): Promise<void> {
  await openNotificationCentre(page);
  const clearAll = page.locator('.notifications-center .codicon-notifications-clear-all');
  if (!((await clearAll.getAttribute('class')) ?? '').split(/\s+/).includes('disabled')) await clearAll.click();
  await closeNotificationCentre(page);
}

const withLine = (sql: string, index: number, line: string) => sql.split('\n').map((l, i) => (i === index ? line : l)).join('\n');

/** The text editor in front (the `.sql` view). */
const textEditor = (page: Page) => page.locator('.part.editor .editor-group-container.active .monaco-editor').first();

/** What the text editor in front shows (a short document: every line is rendered). */
async function editorText(page: Page): Promise<string> {
  const lines = await textEditor(page).locator('.view-lines .view-line').evaluateAll((els) => els
    .map((el) => ({ top: parseFloat((el as HTMLElement).style.top || '0'), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text));
  return lines.join('\n');
}

/** Brings the `.sql` view's tab to the front and puts the cursor at the start of its line `line` (1-based). */
async function cursorAtLine(page: Page, line: number): Promise<void> {
  await page.locator('.part.editor .tab', { hasText: `${SOURCE}.sql` }).first().click();
  await textEditor(page).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
}

/** Push to Statsig… from the palette, the diff read, Push in the modal: no other question on the way. */
async function pushWithoutOverwrite(page: Page): Promise<string> {
  await clearAny(page);
  await runCommand(page, PUSH);
  await pushFromDiff(page);
  const dialog = await waitForDialog(page, /^Push metric source|changed on Statsig|unknown/);
  assert.match(dialog.message, /^Push metric source "app_events"/, `asked instead: ${dialog.message} [${dialog.buttons.join(', ')}]`);
  assert.ok(!dialog.buttons.includes('Overwrite'));
  await clickDialogButton(page, 'Push');
  return (await waitForNotification(page, `Pushed metric source "${SOURCE}" in "${LABEL}".`, 30_000)).message;
}

export default defineScenario({
  description: 'a person merges a colleague\'s change into their draft instead of overwriting it: a clean three-way merge shown as a diff and applied, then a SQL conflict resolved with the markers in the .sql view; both pushed without Overwrite',
  timeoutSeconds: 300,
  async run({ page, api, screenshot, log }) {
    await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);
    const original = await remoteSql(api);
    const lines = original.split('\n');

    // 1. My change (a condition at the end), in the .sql view; theirs on Statsig (a comment on the
    //    second line, a tag).
    await runCommand(page, 'Statsig WHN: Open SQL in Text Editor');
    await textEditor(page).waitFor({ state: 'visible', timeout: 15_000 });
    await textEditor(page).locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n  AND platform IS NOT NULL', { delay: 15 });
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    const theirLine = `${lines[1] ?? ''} -- ids checked`;
    await theyChange(api, (now) => ({ ...now, sql: withLine(String(now['sql']), 1, theirLine), tags: [...(now['tags'] as string[]), 'reviewed'] }));
    log('draft: a condition added at the end; Statsig: a comment on line 2 and the tag "reviewed"');

    // 2. Merge: the diff and the modal; Apply Merge.
    await clearAny(page);
    await runCommand(page, MERGE);
    const apply = await waitForDialog(page, /^Apply the merge to your draft/);
    assert.equal(apply.message, `Apply the merge to your draft of "${SOURCE}"?`);
    assert.match(apply.detail, /From Statsig: tags\./);
    assert.match(apply.detail, /SQL \("sql"\): your changed lines and Statsig's, merged line by line\./);
    assert.deepEqual(apply.buttons.slice(0, 1), ['Cancel'], `Cancel first: ${apply.buttons.join(', ')}`);
    const diffTab = await activeTab(page);
    assert.match(diffTab.label, /^app_events: Statsig \(now\) ↔ merged draft/, `in front: ${diffTab.label}`);
    const diffText = ((await page.locator('.part.editor .monaco-diff-editor').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    // Against Statsig's version now, the merge differs only by my change (theirs is in both sides, folded away).
    assert.ok(diffText.includes('AND platform IS NOT NULL'), `the diff shows my change: ${diffText.slice(0, 400)}`);
    log(`dialog: ${apply.message} — ${apply.detail}`);
    await screenshot('clean');
    await clickDialogButton(page, 'Apply Merge');
    await waitForNotification(page, `Merged "${SOURCE}" with Statsig's version. Push sends your result without Overwrite.`);
    await page.locator('.part.editor .tab', { hasText: `${SOURCE}.sql` }).first().click();
    const merged = await waitForValue(page, () => editorText(page), (t) => t.includes('-- ids checked') && t.includes('AND platform IS NOT NULL'), 'the .sql view to show the merged SQL');
    log(`merged SQL:\n${merged}`);
    await closeNotificationCentre(page);
    await screenshot('clean-applied');
    log(await pushWithoutOverwrite(page));
    const afterClean = await remoteSql(api);
    assert.equal(afterClean, withLine(`${original}\n  AND platform IS NOT NULL`, 1, theirLine), 'Statsig has both changes');
    const { data: tagged } = await consoleOk(api, 'GET', PATH);
    assert.ok((tagged as { tags: string[] }).tags.includes('reviewed'), 'and their tag');

    // 3. A conflict: both change the FROM line (line 5).
    await cursorAtLine(page, 5);
    await page.keyboard.press('End');
    await page.keyboard.type(' -- mine', { delay: 15 });
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    await theyChange(api, (now) => ({ ...now, sql: withLine(String(now['sql']), 4, `${lines[4] ?? ''} -- theirs`) }));
    await clearAny(page);
    await runCommand(page, MERGE);
    const conflict = await waitForNotification(page, new RegExp(`^1 conflict in the SQL of "${SOURCE}"`));
    log(`merge: ${conflict.severity}: ${conflict.message}`);
    assert.equal(await shownDialog(page), undefined, 'a conflict asks nothing modal: it is resolved in the editor');
    assert.match((await activeTab(page)).label, /app_events\.sql/, 'the .sql view is in front');
    const withMarkers = await waitForValue(page, () => editorText(page), (t) => t.includes('<<<<<<< your draft') && t.includes('>>>>>>> Statsig'), 'the markers in the .sql view');
    assert.deepEqual(withMarkers.split('\n').slice(4, 11), [
      '<<<<<<< your draft', `${lines[4] ?? ''} -- mine`, '||||||| base', lines[4], '=======', `${lines[4] ?? ''} -- theirs`, '>>>>>>> Statsig',
    ]);
    // The cursor is on the first marker (line 5).
    const cursor = await waitForValue(page, async () => (await page.locator('[id="status.editor.selection"]').textContent()) ?? '', (t) => t.startsWith('Ln 5,'), 'the cursor on the first marker');
    log(`cursor: ${cursor}`);
    await textEditor(page).locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 20_000 });
    const problems = await waitForProblem(page, /Unresolved merge conflict/);
    const markerProblems = problems.filter((p) => p.kind === 'marker' && /Unresolved merge conflict/.test(p.ariaLabel));
    log(`Problems: ${markerProblems.map((p) => p.ariaLabel).join(' | ')}`);
    assert.ok(markerProblems.length >= 4, `one problem per marker: ${markerProblems.length}`);
    await closeNotificationCentre(page);
    await screenshot('conflict-markers');

    await clearAny(page);
    await runCommand(page, PUSH);
    const refused = await waitForNotification(page, /^Push refused: the merge of "app_events" is not finished/);
    assert.equal(await shownDialog(page), undefined);
    log(`Push → ${refused.severity}: ${refused.message}`);

    // Resolved the way a person does: the marker lines and the lines not wanted deleted, one line kept and edited.
    await clearAny(page);
    await cursorAtLine(page, 5);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Backspace'); // <<<<<<< your draft
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Backspace'); // ||||||| base … >>>>>>> Statsig
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.type(' and theirs', { delay: 15 });
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    const finished = await waitForNotification(page, new RegExp(`^Merge of "${SOURCE}" finished`));
    log(`after saving: ${finished.message}`);
    const resolved = await editorText(page);
    assert.equal(resolved.split('\n')[4], `${lines[4] ?? ''} -- mine and theirs`, resolved);
    assert.ok(!resolved.includes('<<<<<<<'), resolved);
    await closeNotificationCentre(page);
    await screenshot('conflict-resolved');
    log(await pushWithoutOverwrite(page));
    const final = await remoteSql(api);
    assert.equal(final.split('\n')[4], `${lines[4] ?? ''} -- mine and theirs`, final);
    assert.ok(final.includes('-- ids checked') && final.includes('AND platform IS NOT NULL'), 'the first merge is still there');
    await closeNotificationCentre(page);
    await screenshot('conflict-pushed');
  },
});
