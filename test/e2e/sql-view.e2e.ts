// The SQL in a real text editor, in the real workbench:
//   1. from the open source editor, "Statsig WHN: Open SQL in Text Editor" opens the source's SQL as
//      a `.sql` tab of VS Code's own text editor;
//   2. a mistake typed there and saved with Ctrl/Cmd+S is squiggled on the exact token and listed in
//      the Problems panel (the SQL check in the project's dialect, before Statsig's dry run);
//   3. the source editor, in its own tab, shows the same SQL: both are views of one draft.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import { connectAndOpenSource, editorSql, sourceEditorFrame } from './statsig.ts';
import { activeTab, runCommand, waitForProblem, waitForTabDirty } from './workbench.ts';

const LABEL = 'E2E SQL View';
const SOURCE = 'Order Revenue';

export default defineScenario({
  description: 'a person opens a source\'s SQL in VS Code\'s own text editor, saves a mistake there and sees it squiggled on the exact token, and finds the source editor showing the same SQL',
  timeoutSeconds: 180,
  async run({ page, api, screenshot, log }) {
    let { frame } = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);
    const original = await editorSql(frame);

    // 1. The SQL as a .sql file in the text editor.
    await runCommand(page, 'Statsig WHN: Open SQL in Text Editor');
    const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    const tab = await activeTab(page);
    assert.match(tab.label, /\.sql\b/, `the active tab is ${tab.label}`);
    log(`text editor tab: ${tab.label}`);

    // 2. A mistake at the end, saved: squiggled on the token, listed in Problems.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n  AND AND ds IS NOT NULL', { delay: 15 });
    await page.keyboard.press('ControlOrMeta+S');
    await waitForTabDirty(page, false);
    const squiggle = editor.locator('.squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 20_000 });
    const rows = await waitForProblem(page, /Expected an expression/);
    log(`Problems: ${rows.filter((r) => r.kind === 'marker').map((r) => r.ariaLabel).join(' | ')}`);
    const onSqlView = rows.find((r) => r.kind === 'marker' && /Expected an expression/.test(r.ariaLabel) && / at line \d+ and character \d+/.test(r.ariaLabel));
    assert.ok(onSqlView, 'the SQL check\'s problem has a line and character');
    await screenshot('sql-view-diagnostic');

    // 3. The source editor shows the same SQL (one draft, two views).
    await page.locator('.part.editor .tab', { hasText: SOURCE }).filter({ hasNotText: '.sql' }).first().click();
    frame = await sourceEditorFrame(page, SOURCE);
    const deadline = Date.now() + 10_000;
    let shown = await editorSql(frame);
    while (!shown.includes('AND AND ds IS NOT NULL') && Date.now() < deadline) {
      await page.waitForTimeout(100);
      frame = await sourceEditorFrame(page, SOURCE);
      shown = await editorSql(frame);
    }
    assert.ok(shown.startsWith(original.trimEnd()) && shown.includes('AND AND ds IS NOT NULL'), `the source editor shows ${JSON.stringify(shown)}`);
    await screenshot('sql-view-in-step');
  },
});
