// The SQL editor's help in the real bundle, shell and CSP: parser diagnostics while typing (the
// webview asks after a pause, the stand-in host answers with the real analysis, stale answers are
// ignored, a validation replaces them), completion (keywords, functions, macros with what they
// are, CTEs and aliases of the query, other sources' tables and columns), macros in their own
// colour, and the form's column fields offering the query's output columns.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { descriptor, type KindId } from '../../src/core/kinds.ts';
import { analyzeSql } from '../../src/core/sql/analyze.ts';
import { columnFieldPatterns, macroWords, sqlFunctions, sqlKeywords } from '../../src/core/sql/completions.ts';
import type { AnalyzeSqlMessage, InitMessage, SqlAnalysisMessage, WebviewMessage } from '../../src/shared/editorProtocol.ts';
import { useSqlParser } from '../unit/helpers/sqlParser.ts';
import { ingestionSource, initFor, metricSource } from './fixtures.ts';
import { WebviewHarness, browserSuite } from './harness.ts';

const suite = browserSuite();
before(() => useSqlParser());

const initWithColumns = (kind: KindId, value: Record<string, unknown>): InitMessage =>
  initFor(kind, value, { columnFields: columnFieldPatterns((s) => descriptor(kind).mappedColumns(s)) });

async function withPage(init: InitMessage, run: (h: WebviewHarness) => Promise<void>): Promise<void> {
  const harness = await WebviewHarness.open(suite.browser(), suite.origin(), init);
  try {
    await run(harness);
    assert.deepEqual(await harness.cspViolations(), [], 'CSP violations');
    assert.deepEqual(harness.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(harness.invalid, [], 'messages the host would reject');
  } finally {
    await harness.close();
  }
}

const isAnalyze = (m: WebviewMessage): m is AnalyzeSqlMessage => m.type === 'analyzeSql';

/** What the host answers (src/features/editor/sqlAssist.ts does the same with the project's dialect). */
function answer(request: AnalyzeSqlMessage): SqlAnalysisMessage {
  const a = analyzeSql(request.sql, 'snowflake');
  return {
    type: 'sqlAnalysis', seq: request.seq,
    problems: a.problems.map((p) => ({ from: p.from, to: p.to, severity: p.severity, message: p.message })),
    ...(a.output ? { columns: a.output.columns.flatMap((c) => (c.name !== undefined ? [{ name: c.name, expression: c.expression }] : [])) } : {}),
    complete: a.output?.unknown.length === 0,
  };
}

/** Answers the request about `sql` (waiting for it) and returns it. */
async function answerFor(h: WebviewHarness, sql: string): Promise<AnalyzeSqlMessage> {
  const request = await h.waitForPosted((m): m is AnalyzeSqlMessage => isAnalyze(m) && m.sql === sql);
  await h.post(answer(request));
  return request;
}

async function replaceSql(h: WebviewHarness, text: string): Promise<void> {
  await h.page.locator('.cm-content').click();
  await h.page.keyboard.press('ControlOrMeta+A');
  await h.page.keyboard.type(text, { delay: 15 });
}

/** The completion list once it shows `wanted` (it follows the typing a moment later). */
async function completionsWith(h: WebviewHarness, wanted: string): Promise<string[]> {
  await h.page.waitForFunction((w) => [...document.querySelectorAll('.cm-tooltip-autocomplete li .cm-completionLabel')].some((e) => e.textContent === w), wanted);
  return h.page.locator('.cm-tooltip-autocomplete li .cm-completionLabel').allInnerTexts();
}

const marked = (h: WebviewHarness, severity = 'error') => h.page.locator(`.cm-lintRange-${severity}`).allInnerTexts();

describe('parser diagnostics while typing', () => {
  it('asks once the typing pauses, squiggles the exact token, ignores stale answers, and yields to the next validation', async () => {
    await withPage(initWithColumns('metricSource', metricSource()), async (h) => {
      // The text as opened is analysed too (its columns fill the dropdowns).
      await answerFor(h, 'SELECT user_id, order_ts, amount\nFROM analytics.orders\nWHERE amount > 0');
      const before = h.posted.filter(isAnalyze).length;
      const typed = 'SELECT user_id, order_ts\nFORM analytics.orders';
      const started = Date.now();
      await replaceSql(h, typed);
      const request = await answerFor(h, typed);
      assert.ok(Date.now() - started >= 350, 'sent after the pause');
      assert.equal(h.posted.filter(isAnalyze).length, before + 1, 'one request for the whole burst of typing');
      await h.page.locator('.cm-lintRange-error').waitFor();
      assert.deepEqual(await marked(h), ['FORM']);
      await h.page.locator('.cm-lintRange-error').hover();
      await h.page.locator('.cm-tooltip-lint').waitFor();
      assert.match(await h.page.locator('.cm-tooltip-lint').innerText(), /"FORM" is not a keyword here: did you mean FROM\?/);
      await h.screenshot('sql-typing-error');

      // An answer to an older request, or about another text, changes nothing.
      await h.post({ type: 'sqlAnalysis', seq: request.seq - 1, problems: [{ from: 0, to: 6, severity: 'error', message: 'stale' }], complete: true });
      assert.deepEqual(await marked(h), ['FORM']);

      // Fixed: the squiggle goes once the answer for the new text arrives.
      await h.page.keyboard.press('End');
      await h.page.keyboard.press('Home');
      await h.page.keyboard.press('Shift+ArrowRight');
      await h.page.keyboard.press('Shift+ArrowRight');
      await h.page.keyboard.press('Shift+ArrowRight');
      await h.page.keyboard.press('Shift+ArrowRight');
      await h.page.keyboard.type('FROM');
      await answerFor(h, 'SELECT user_id, order_ts\nFROM analytics.orders');
      await h.page.waitForFunction(() => document.querySelectorAll('.cm-lintRange-error').length === 0);

      // A save's validation replaces what typing found.
      await h.post({ type: 'diagnostics', items: [{ path: ['sql'], message: 'from the dry run', severity: 'warning', sqlRange: { from: 7, to: 14 } }] });
      assert.deepEqual(await marked(h, 'warning'), ['user_id']);
    });
  });
});

describe('completion in the SQL editor', () => {
  it('offers keywords, functions, macros with their description, the query\'s CTEs and aliases, other sources\' tables and columns', async () => {
    await withPage(initWithColumns('metricSource', { ...metricSource(), sql: '' }), async (h) => {
      await h.post({
        type: 'suggestions',
        sql: { keywords: sqlKeywords('snowflake'), functions: sqlFunctions('snowflake'), macros: macroWords(), tables: ['analytics.events', 'analytics.orders'], columns: ['event_ts', 'user_id'] },
      });
      await replaceSql(h, 'WITH paid AS (SELECT * FROM analytics.orders o) SELECT * FROM pa');
      assert.equal((await completionsWith(h, 'paid'))[0], 'paid', 'the CTE first');
      await h.page.keyboard.press('Escape');
      assert.equal(await h.page.locator('.cm-tooltip-autocomplete').count(), 0, 'Escape closes the list');

      await h.page.keyboard.type(' WHERE us');
      await completionsWith(h, 'user_id');
      await h.page.keyboard.press('Escape');

      await h.page.keyboard.type(' AND event_ts >= {statsig_st');
      const macros = await completionsWith(h, '{statsig_start_date}');
      assert.deepEqual(macros.slice(0, 2).sort(), ['{statsig_start_date_int}', '{statsig_start_date}'].sort());
      await h.page.locator('.cm-completionInfo').waitFor();
      assert.match(await h.page.locator('.cm-completionInfo').innerText(), /Statsig macro: the start of the analysis window/);
      await h.screenshot('sql-completion-macros');
      await h.page.keyboard.press('Enter');
      const sql = await h.page.locator('.cm-content').innerText();
      assert.match(sql, /event_ts >= \{statsig_start_date[_int]*\}$/);
      // The macro in its own colour.
      assert.match((await h.page.locator('.cm-statsig-macro').allInnerTexts()).join(), /\{statsig_start_date/);

      await h.page.keyboard.type(' AND COAL');
      await completionsWith(h, 'COALESCE');
      await h.page.keyboard.press('Escape');
      await h.page.keyboard.type(' AND QUAL');
      await completionsWith(h, 'QUALIFY');
      await h.page.keyboard.press('Escape');
      await h.page.keyboard.type(' FROM analy');
      assert.ok((await completionsWith(h, 'analytics.events')).includes('analytics.orders'));
      // After a schema, its tables (not columns); after an alias, columns.
      await h.page.keyboard.type('tics.');
      assert.deepEqual(await completionsWith(h, 'events'), ['events', 'orders']);
      await h.page.keyboard.press('Escape');
      await h.page.keyboard.type('events e WHERE e.us');
      await completionsWith(h, 'user_id');
    });
  });

  it('macros are coloured distinctly, backticks and spaces included', async () => {
    await withPage(initWithColumns('metricSource', { ...metricSource(), sql: 'SELECT * FROM t WHERE d >= `{statsig_start_date}` AND d < { statsig_end_date }' }), async (h) => {
      await h.page.locator('.cm-statsig-macro').first().waitFor();
      assert.deepEqual(await h.page.locator('.cm-statsig-macro').allInnerTexts(), ['`{statsig_start_date}`', '{ statsig_end_date }']);
      const colours = await h.page.locator('.cm-statsig-macro').evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
      const plain = await h.page.locator('.cm-line').first().evaluate((e) => getComputedStyle(e).color);
      assert.ok(colours.every((c) => c !== plain), `${colours.join()} vs ${plain}`);
    });
  });
});

describe('column fields offer the query\'s output columns', () => {
  it('timestampColumn and idTypeMapping[].column list the columns of the SQL as typed', async () => {
    await withPage(initWithColumns('metricSource', metricSource()), async (h) => {
      await answerFor(h, 'SELECT user_id, order_ts, amount\nFROM analytics.orders\nWHERE amount > 0');
      const list = () => h.page.locator('#statsig-output-columns option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      await h.page.waitForFunction(() => document.querySelectorAll('#statsig-output-columns option').length > 0);
      assert.deepEqual(await list(), ['user_id', 'order_ts', 'amount']);
      const timestamp = h.page.getByRole('combobox', { name: /^Timestamp column/ });
      // The dropdown: ArrowDown opens it with every column, the current one selected.
      await timestamp.focus();
      await h.page.keyboard.press('ArrowDown');
      const listbox = h.page.getByRole('listbox');
      assert.deepEqual(await listbox.locator('.column-picker-name').allInnerTexts(), ['user_id', 'order_ts', 'amount']);
      assert.equal(await timestamp.getAttribute('aria-expanded'), 'true');
      assert.equal(await h.page.getByRole('option', { selected: true }).locator('.column-picker-name').innerText(), 'order_ts');
      // ArrowDown moves, Enter picks and sends the edit; Escape closes without reaching the workbench.
      await h.page.keyboard.press('ArrowDown');
      await h.page.keyboard.press('Enter');
      assert.equal(await timestamp.inputValue(), 'amount');
      await h.waitForPosted((m) => m.type === 'edit' && JSON.stringify(m.path) === '["timestampColumn"]');
      assert.equal(h.document['timestampColumn'], 'amount');
      assert.ok(await listbox.isHidden());
      await h.page.keyboard.press('ArrowDown');
      await h.page.keyboard.press('Escape');
      assert.ok(await listbox.isHidden());
      // Typing filters it; a click picks.
      await timestamp.fill('');
      await h.page.keyboard.type('us');
      assert.deepEqual(await listbox.locator('.column-picker-name').allInnerTexts(), ['user_id']);
      await listbox.getByRole('option').first().click();
      assert.equal(await timestamp.inputValue(), 'user_id');
      // A cell of the ID type mapping too (the table's scrolling box does not clip it); not the unit ID cell.
      const cell = h.page.getByRole('combobox', { name: /^Column \(row 1\)/ });
      await cell.focus();
      await h.page.keyboard.press('ArrowDown');
      assert.deepEqual(await listbox.locator('.column-picker-name').allInnerTexts(), ['user_id', 'order_ts', 'amount']);
      await h.page.keyboard.press('Escape');
      assert.equal(await h.page.getByRole('combobox', { name: /Statsig unit ID/i }).first().getAttribute('list'), 'statsig-unit-id-types');

      await replaceSql(h, 'SELECT user_id, created_at AS ts FROM analytics.orders');
      await answerFor(h, 'SELECT user_id, created_at AS ts FROM analytics.orders');
      await h.page.waitForFunction(() => [...document.querySelectorAll('#statsig-output-columns option')].some((o) => (o as HTMLOptionElement).value === 'ts'));
      assert.deepEqual(await list(), ['user_id', 'ts']);
      assert.equal(await h.page.locator('#statsig-output-columns option[value=ts]').getAttribute('label'), 'ts — created_at');
      // Half typed (does not parse): the columns last known stay.
      await h.page.keyboard.type(' WHERE');
      await answerFor(h, 'SELECT user_id, created_at AS ts FROM analytics.orders WHERE');
      assert.deepEqual(await list(), ['user_id', 'ts']);
      await timestamp.focus();
      await h.page.keyboard.press('ArrowDown');
      assert.deepEqual(await listbox.locator('.column-picker-name').allInnerTexts(), ['user_id', 'ts']);
      assert.deepEqual(await listbox.locator('.column-picker-detail').allInnerTexts(), ['created_at'], 'an aliased column shows its expression');
      await h.screenshot('column-dropdown');
    });
  });

  it('ingestion column_mapping values, ids and metadata included; an ID type is not a column', async () => {
    const value = { ...ingestionSource(), column_mapping: { ...(ingestionSource()['column_mapping'] as object), id_type: 'userID' } };
    await withPage(initWithColumns('ingestionSource', value), async (h) => {
      await answerFor(h, 'SELECT user_id, stable_id, event_name, event_ts, platform\nFROM analytics.events');
      const offered = async (label: string) => {
        await h.page.getByRole('combobox', { name: label, exact: true }).focus();
        await h.page.keyboard.press('ArrowDown');
        const names = await h.page.locator('.column-picker:not([hidden]) .column-picker-name').allInnerTexts();
        await h.page.keyboard.press('Escape');
        return names;
      };
      for (const label of ['Value of timestamp', 'Value of event_name', 'Value of userID', 'Value of stableID', 'Value of platform']) {
        assert.deepEqual(await offered(label), ['user_id', 'stable_id', 'event_name', 'event_ts', 'platform'], label);
      }
      assert.deepEqual(await offered('Value of id_type'), [], 'id_type offers no columns');
    });
  });
});
