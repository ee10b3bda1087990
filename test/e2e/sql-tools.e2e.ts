// The SQL editor's tools in the real workbench:
//   1. the SQL follows the person's editor settings: they change editor.fontSize, editor.fontFamily
//      and a [sql] editor.tabSize in settings.json (opened beside the source) and the SQL changes
//      with them at once, and back;
//   2. Ctrl/Cmd+F in the SQL opens the SQL's own find panel (not the workbench's), the matches are
//      marked; Ctrl+H goes to Replace, Replace All replaces every match; Escape closes the panel;
//   3. Shift+Alt+F formats the SQL (macros kept, the tab size used) and one Ctrl/Cmd+Z takes
//      the whole format back; the next Ctrl/Cmd+Z takes back the whole Replace All;
//   4. "Statsig WHN: Format SQL" from the command palette formats it again.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import { connectAndOpenSource, editorSql, sourceEditorFrame } from './statsig.ts';
import { closeNotificationCentre, renderedNotifications, runCommand, waitForTabDirty, waitForValue } from './workbench.ts';

const LABEL = 'E2E SQL Tools';
const SOURCE = 'Order Revenue';
const MACROS = /\{statsig_[a-z_]+\}/g;


const sqlFont = (frame: Frame) => frame.locator('.cm-line').first().evaluate((line) => {
  const style = getComputedStyle(line);
  return { size: style.fontSize, family: style.fontFamily, tabSize: getComputedStyle(line.parentElement as Element).tabSize };
});

/**
 * Replaces the text of the settings.json editor the workbench shows with `settings` and saves it
 * (Ctrl/Cmd+S). Inserted in one piece on one line, as a paste would: nothing is auto-closed or
 * auto-indented.
 */
async function replaceSettingsJson(page: Page, settings: object): Promise<void> {
  const text = JSON.stringify(settings);
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 10_000 });
  if (!(await editor.evaluate((e) => e.contains(document.activeElement)))) await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('ControlOrMeta+S');
  await waitForTabDirty(page, false);
}

/** Types into a find-panel field (CodeMirror reads it on keyup). */
async function typeInFindField(page: Page, frame: Frame, name: 'search' | 'replace', text: string): Promise<void> {
  await frame.locator(`.cm-search input[name=${name}]`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text, { delay: 20 });
}

export default defineScenario({
  description: 'a person finds and replaces in a source\'s SQL (Ctrl+F, Ctrl+H, Escape), formats it with Shift+Alt+F and from the palette, undoes the format in one Ctrl+Z, and sees the SQL follow their editor font and tab size settings',
  timeoutSeconds: 240,
  async run({ page, api, userDataDir, screenshot, log }) {
    const settingsFile = join(userDataDir, 'User', 'settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    try {
      let { frame } = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);
      const remoteSql = await editorSql(frame);
      const macros = remoteSql.match(MACROS) ?? [];
      assert.ok(macros.length >= 2, remoteSql);

      // 1. The person's editor settings, changed while the source is open: settings.json opened
      //    beside it (the workbench's own editor, so the change applies at once), edited, saved;
      //    then put back the same way.
      await runCommand(page, 'Preferences: Open User Settings (JSON)');
      await runCommand(page, 'View: Move Editor into Right Group');
      frame = await sourceEditorFrame(page, SOURCE);
      await frame.locator('.cm-line').first().waitFor({ state: 'visible', timeout: 20_000 });
      const before = await sqlFont(frame);
      await replaceSettingsJson(page, {
        ...(JSON.parse(original) as object),
        'editor.fontSize': 17,
        'editor.fontFamily': "'Courier New', monospace",
        '[sql]': { 'editor.tabSize': 3 },
      });
      const after = await waitForValue(page, () => sqlFont(frame), (f) => f.size === '17px' && /Courier New/.test(f.family) && f.tabSize === '3', 'the SQL follows the new settings', 20_000);
      log(`editor settings: ${JSON.stringify(before)} → ${JSON.stringify(after)}, live`);
      await screenshot('settings');
      await replaceSettingsJson(page, JSON.parse(original) as object);
      await waitForValue(page, () => sqlFont(frame), (f) => JSON.stringify(f) === JSON.stringify(before), 'the SQL follows the settings back', 20_000);
      await runCommand(page, 'View: Close Editor');
      frame = await sourceEditorFrame(page, SOURCE);

      // 2. Find: the SQL's own panel, not the workbench's find widget for webviews.
      await frame.locator('.cm-content').click();
      await page.keyboard.press('ControlOrMeta+F');
      await frame.locator('.cm-search input[name=search]').waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.type('order', { delay: 30 });
      const matches = await waitForValue(page, () => frame.locator('.cm-searchMatch').count(), (n) => n >= 3, 'matches are marked');
      assert.equal(await page.locator('.simple-find-part-wrapper.visible').count(), 0, 'the workbench\'s own find widget opened too');
      log(`Ctrl+F: the SQL's find panel, ${matches} matches of "order" marked`);
      await closeNotificationCentre(page);
      await screenshot('find');

      //    Replace: Ctrl+H puts the focus in Replace; Replace All replaces every match.
      await page.keyboard.press('Control+H');
      await waitForValue(page, () => frame.evaluate(() => document.activeElement?.getAttribute('name') ?? ''), (n) => n === 'replace', 'Ctrl+H puts the focus in Replace');
      await typeInFindField(page, frame, 'search', 'revenue_usd');
      await typeInFindField(page, frame, 'replace', 'revenue');
      await frame.locator('.cm-search button[name=replaceAll]').click();
      const replaced = remoteSql.replaceAll('revenue_usd', 'revenue');
      assert.notEqual(replaced, remoteSql);
      await waitForValue(page, () => editorSql(frame), (s) => s === replaced, 'Replace All replaced every match');
      await waitForTabDirty(page, true);
      await screenshot('replaced');
      await page.keyboard.press('Escape');
      await frame.locator('.cm-search').waitFor({ state: 'detached', timeout: 5_000 });
      log('Ctrl+H, Replace All, Escape: panel closed, the SQL changed, the tab dirty');

      // 3. Shift+Alt+F formats (the [sql] tab size of 3), macros kept.
      await frame.locator('.cm-content').click();
      await page.keyboard.press('Shift+Alt+F');
      const formatted = await waitForValue(page, () => editorSql(frame), (s) => s !== replaced && s.split('\n').length > 5, 'Shift+Alt+F formats the SQL');
      assert.deepEqual(formatted.match(MACROS), macros, 'every macro is there, as typed');
      assert.equal(formatted.replace(/\s+/g, ''), replaced.replace(/\s+/g, ''), 'nothing but the layout changed');
      assert.match(formatted, /^SELECT\n {4}order_id,/, 'indented by the tab size (VS Code\'s default, 4), case kept');
      log(`Shift+Alt+F: ${JSON.stringify(formatted)}`);
      await screenshot('formatted');

      //    One Ctrl/Cmd+Z takes back the whole format, the next one the whole Replace All.
      await page.keyboard.press('ControlOrMeta+Z');
      await waitForValue(page, () => editorSql(frame), (s) => s === replaced, 'one Ctrl+Z takes back the format');
      await page.keyboard.press('ControlOrMeta+Z');
      await waitForValue(page, () => editorSql(frame), (s) => s === remoteSql, 'the next Ctrl+Z takes back Replace All');
      await waitForTabDirty(page, false);
      log('Ctrl+Z: the format went back in one step, then the Replace All in one step; the tab is clean');

      // 4. The command palette's "Statsig WHN: Format SQL" on the active source editor.
      await runCommand(page, 'Statsig WHN: Format SQL');
      frame = await sourceEditorFrame(page, SOURCE);
      const again = await waitForValue(page, () => editorSql(frame), (s) => s !== remoteSql, 'Format SQL from the palette formats the SQL');
      assert.deepEqual(again.match(MACROS), macros);
      assert.deepEqual((await renderedNotifications(page)).filter((n) => n.severity === 'error' || n.severity === 'warning'), [], 'no error or warning');
      log('palette "Statsig WHN: Format SQL": formatted');
      await screenshot('palette-formatted');
    } finally {
      writeFileSync(settingsFile, original);
    }
  },
});
