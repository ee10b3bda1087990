// The SQL editor's help while typing, in the real workbench, before any save:
//   1. a syntax error typed into the SQL is squiggled on the exact token a moment after the typing
//      pauses (the extension host parsed it in the project's dialect), with the parser's message;
//      nothing was saved (the tab is dirty, the status line still says so);
//   2. fixed, the squiggle goes; Ctrl+Space offers the macros, with what each stands for;
//   3. the form's column fields offer the query's output columns as typed: the timestamp column's
//      dropdown lists the columns of the new SQL (an alias included).
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import { connectAndOpenSource, editorSql, editorStatus, formControl, replaceSql } from './statsig.ts';
import { closeNotificationCentre, runCommand, waitForTabDirty, waitForValue } from './workbench.ts';

const LABEL = 'E2E SQL Assist';
const SOURCE = 'Order Revenue';


const errorMarks = (frame: Frame) => frame.locator('.cm-lintRange-error').allInnerTexts();
const offeredColumns = (frame: Frame) => frame.locator('#statsig-output-columns option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));

export default defineScenario({
  description: 'a person types a syntax error into a source\'s SQL and sees it squiggled on the exact token before saving, fixes it, completes a macro, and picks the timestamp column from the columns the new SQL returns',
  timeoutSeconds: 180,
  async run({ page, api, screenshot, log }) {
    const { frame } = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);

    // The SQL as opened is analysed too: its columns are offered at once.
    const opened = await waitForValue(page, () => offeredColumns(frame), (c) => c.includes('revenue_usd'), 'the opened SQL\'s columns offered');
    log(`opened: the column fields offer ${opened.join(', ')}`);
    const statusBefore = await editorStatus(frame);

    // 1. A typo, typed: squiggled on the exact word, before any save.
    const typo = 'SELECT order_id, user_id, created_at AS placed_at, revenue_usd\nFORM analytics.orders\nWHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}';
    await replaceSql(page, frame, typo);
    const marks = await waitForValue(page, () => errorMarks(frame), (m) => m.length > 0, 'the typo squiggled while typing', 10_000);
    assert.deepEqual(marks, ['FORM']);
    await waitForTabDirty(page, true);
    assert.equal(await editorStatus(frame), statusBefore, 'nothing was saved or validated');
    await frame.locator('.cm-lintRange-error').hover();
    const tooltip = frame.locator('.cm-tooltip-lint');
    await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
    const message = await tooltip.innerText();
    assert.match(message, /"FORM" is not a keyword here: did you mean FROM\?/);
    log(`typed "FORM": squiggled on exactly "FORM" before any save: ${message}`);
    await closeNotificationCentre(page);
    await screenshot('typing-error');

    // 2. Fixed (the word replaced): the squiggle goes. Ctrl+Space at a "{" offers the macros.
    await frame.locator('.cm-lintRange-error').dblclick();
    await page.keyboard.type('FROM', { delay: 20 });
    await waitForValue(page, () => errorMarks(frame), (m) => m.length === 0, 'the squiggle gone once fixed');
    const fixed = await editorSql(frame);
    assert.match(fixed, /\nFROM analytics\.orders\n/);
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' AND order_ts < {statsig_en', { delay: 20 });
    const option = frame.locator('.cm-tooltip-autocomplete li', { hasText: '{statsig_end_date}' }).first();
    await option.waitFor({ state: 'visible', timeout: 5_000 });
    await screenshot('macro-completion');
    await option.click();
    await waitForValue(page, () => editorSql(frame), (s) => s.endsWith('order_ts < {statsig_end_date}'), 'the macro completed');
    assert.ok((await frame.locator('.cm-statsig-macro').allInnerTexts()).includes('{statsig_end_date}'), 'the macro in its own colour');
    // The half-typed macro was an error a moment ago; the completed SQL has none once analysed.
    await waitForValue(page, () => errorMarks(frame), (m) => m.length === 0, 'no squiggle once the macro is complete');
    log('fixed: no squiggle; "{statsig_en" completed to {statsig_end_date}, coloured as a macro');

    // 3. The timestamp column offers the columns of the SQL as typed.
    const columns = await waitForValue(page, () => offeredColumns(frame), (c) => c.includes('placed_at'), 'the new SQL\'s columns offered');
    assert.deepEqual(columns, ['order_id', 'user_id', 'placed_at', 'revenue_usd']);
    const timestamp = formControl(frame, 'timestampColumn');
    await timestamp.click();
    await page.keyboard.press('ArrowDown');
    const listbox = frame.getByRole('listbox');
    await listbox.waitFor({ state: 'visible', timeout: 5_000 });
    assert.deepEqual(await listbox.locator('.column-picker-name').allInnerTexts(), columns);
    assert.deepEqual(await listbox.locator('.column-picker-detail').allInnerTexts(), ['created_at'], 'the alias shows its expression');
    await screenshot('column-dropdown');
    await listbox.getByRole('option', { name: /placed_at/ }).click();
    await waitForValue(page, () => timestamp.inputValue(), (v) => v === 'placed_at', 'placed_at picked');
    log(`the timestamp column's dropdown lists ${columns.join(', ')} (the SQL as typed, placed_at — created_at); placed_at picked`);

    await runCommand(page, 'File: Revert File');
    await waitForTabDirty(page, false);
  },
});
