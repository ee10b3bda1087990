// The custom editor's webview in a real browser: the real bundle, the real HTML shell and CSP,
// messages exactly as VS Code delivers them. Every test also checks that the page reported no CSP
// violation, threw nothing, and posted only messages the host's parser accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EditMessage, WebviewMessage } from '../../src/shared/editorProtocol.ts';
import { METRIC_SQL, ingestionSource, initFor, metricSource } from './fixtures.ts';
import { WebviewHarness, browserSuite, type OpenOptions } from './harness.ts';
import type { InitMessage } from '../../src/shared/editorProtocol.ts';

const suite = browserSuite();

async function withPage(init: InitMessage, run: (h: WebviewHarness) => Promise<void>, options: OpenOptions = {}): Promise<void> {
  const harness = await WebviewHarness.open(suite.browser(), suite.origin(), init, options);
  try {
    await run(harness);
    assert.deepEqual(await harness.cspViolations(), [], 'CSP violations');
    assert.deepEqual(harness.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(harness.invalid, [], 'messages the host would reject');
  } finally {
    await harness.close();
  }
}

const isEditAt = (...path: (string | number)[]) => (m: WebviewMessage): m is EditMessage =>
  m.type === 'edit' && JSON.stringify(m.path) === JSON.stringify(path);

const slot = (h: WebviewHarness, ...path: (string | number)[]) => h.page.locator(`[data-path='${JSON.stringify(path)}']`);
const sqlText = (h: WebviewHarness) => h.page.locator('.cm-content').evaluate((el) => (el as HTMLElement).innerText.replace(/\n$/, ''));

describe('rendering', () => {
  it('a metric source: SQL in CodeMirror with highlighting, and a control per schema field', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      const { page } = h;
      assert.equal(h.posted[0]?.type, 'ready');
      assert.equal(await page.locator('.toolbar h1').textContent(), 'orders');
      assert.equal(await sqlText(h), METRIC_SQL);
      // Keywords are coloured by the HighlightStyle (a generated class with a color).
      const keywordColor = await page.locator('.cm-line span', { hasText: /^SELECT$/ }).first().evaluate((el) => getComputedStyle(el).color);
      assert.equal(keywordColor, 'rgb(197, 134, 192)');

      assert.equal(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'orders');
      assert.equal(await page.getByLabel('Timestamp column').inputValue(), 'order_ts');
      assert.equal(await page.getByLabel('Description').evaluate((el) => el.tagName), 'TEXTAREA');
      assert.equal(await page.getByLabel('Source type').inputValue(), '1', 'the "query" option');
      assert.deepEqual(await page.locator('#' + await page.getByLabel('Source type').getAttribute('id') + ' option').allTextContents(), ['(not set)', 'table', 'query']);
      assert.equal(await page.getByLabel('Is read only').isChecked(), false);
      assert.equal(await page.getByLabel('Timestamp as day').evaluate((el) => (el as HTMLInputElement).indeterminate), true, 'unset boolean');
      assert.deepEqual(await slot(h, 'tags').locator('.tag-text').allTextContents(), ['revenue', 'core']);
      assert.equal(await page.getByLabel('Statsig unit ID (row 1)').inputValue(), 'userID');
      assert.equal(await page.getByLabel('Column (row 1)').inputValue(), 'user_id');
      assert.equal(await page.getByLabel('Formula (row 1)').inputValue(), 'amount - refunds');
      // Required markers and help text from the schema.
      assert.ok(await slot(h, 'timestampColumn').locator('.required').count() === 1);
      assert.equal(await slot(h, 'tableName').locator('.required').count(), 0);
      assert.equal(await slot(h, 'tableName').locator('.help').textContent(), 'Table read when sourceType is "table".');
      // Labels are bound to their inputs.
      for (const id of await page.locator('label[for]').evaluateAll((els) => els.map((e) => e.getAttribute('for')))) {
        assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `label for=${id}`);
      }
      // Fields the schema does not declare are shown read-only.
      assert.match(await page.locator('.other-fields').textContent() ?? '', /warehouseHint[\s\S]*"cluster": "wh-small"/);
      await h.screenshot('metric-source');
    });
  });

  it('an ingestion source: query as SQL, type as select, column_mapping with nested ids/metadata maps', async () => {
    await withPage(initFor('ingestionSource', ingestionSource(), { sqlDialect: 'bigquery' }), async (h) => {
      const { page } = h;
      assert.match(await sqlText(h), /^SELECT user_id, stable_id/);
      assert.equal(await page.locator(`#${await page.getByLabel('Type').getAttribute('id')} option:checked`).textContent(), 'snowflake-v2');
      assert.equal(await page.getByLabel('Source name').inputValue(), 'app_events_ingest');
      const mapping = slot(h, 'column_mapping');
      assert.equal(await mapping.getByLabel('Key (entry 2)').first().inputValue(), 'timestamp');
      assert.equal(await mapping.getByLabel('Value of timestamp').inputValue(), 'event_ts');
      assert.equal(await slot(h, 'column_mapping', 'ids').getByLabel('Value of stableID').inputValue(), 'stable_id');
      assert.equal(await slot(h, 'column_mapping', 'metadata').getByLabel('Value of platform').inputValue(), 'platform');
      assert.equal(await page.getByLabel('Enabled').isChecked(), true);
      await h.post({ type: 'status', tone: 'warning', text: 'No server dry run for ingestion sources — validated locally' });
      await h.post({ type: 'extras', sections: [
        { title: 'Schedule', rows: [{ label: 'Daily at (PST)', value: '03:00' }] },
        { title: 'Latest runs', rows: [{ label: '2026-11-22', value: 'succeeded' }, { label: '2026-11-21', value: 'failed' }] },
      ] });
      assert.equal(await page.getByRole('status').textContent(), 'No server dry run for ingestion sources — validated locally');
      assert.equal(await page.locator('.extras h2').allTextContents().then((t) => t.join('|')), 'Schedule|Latest runs');
      assert.equal(await page.locator('.extras dd').last().textContent(), 'failed');
      await h.screenshot('ingestion-source');
    });
  });
});

describe('editing', () => {
  it('typing in a field sends one debounced edit with the path and the whole value', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      const input = h.page.getByLabel('Timestamp column');
      await input.click();
      await input.press('End');
      await h.page.keyboard.type('_utc', { delay: 30 });
      assert.equal(h.edits().length, 0, 'nothing is sent while typing');
      const edit = await h.waitForPosted(isEditAt('timestampColumn'));
      assert.equal(edit.value, 'order_ts_utc');
      await h.page.waitForTimeout(400);
      assert.equal(h.edits().length, 1, 'one edit for the burst of typing');
      assert.equal(h.document['timestampColumn'], 'order_ts_utc');
      assert.equal(await input.inputValue(), 'order_ts_utc');
    });
  });

  it('leaving a field sends at once; clearing an optional field removes the key', async () => {
    const value = { ...metricSource(), tableName: 'analytics.orders' };
    await withPage(initFor('metricSource', value), async (h) => {
      const input = h.page.getByLabel('Table name');
      await input.fill('');
      await h.page.keyboard.press('Tab');
      const edit = await h.waitForPosted(isEditAt('tableName'), 200);
      assert.equal(edit.remove, true);
      await h.waitForPosted(() => !('tableName' in h.document));
      // A required text field is set to "" instead.
      await h.page.getByLabel('Timestamp column').fill('');
      await h.page.keyboard.press('Tab');
      assert.equal((await h.waitForPosted(isEditAt('timestampColumn'), 200)).value, '');
    });
  });

  it('checkboxes and selects send their value at once', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.getByLabel('Is read only').check();
      assert.equal((await h.waitForPosted(isEditAt('isReadOnly'), 200)).value, true);
      await h.page.getByLabel('Source type').selectOption({ label: 'table' });
      assert.equal((await h.waitForPosted(isEditAt('sourceType'), 200)).value, 'table');
      await h.page.getByLabel('Source type').selectOption({ label: '(not set)' });
      await h.waitForPosted((m) => m.type === 'edit' && m.remove === true && m.path[0] === 'sourceType', 200);
    });
  });

  it('tags: Enter and comma add, × and Backspace remove, all from the keyboard', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      const tags = slot(h, 'tags');
      const input = h.page.getByRole('textbox', { name: 'Tags', exact: true });
      await input.click();
      await h.page.keyboard.type('beta');
      await h.page.keyboard.press('Enter');
      assert.deepEqual((await h.waitForPosted(isEditAt('tags'), 200)).value, ['revenue', 'core', 'beta']);
      await h.page.keyboard.type('gamma,');
      await h.waitForPosted((m) => isEditAt('tags')(m) && (m.value as string[]).includes('gamma'), 500);
      await tags.locator('.tag-text', { hasText: 'gamma' }).waitFor();
      assert.deepEqual(await tags.locator('.tag-text').allTextContents(), ['revenue', 'core', 'beta', 'gamma']);
      assert.ok(await input.evaluate((el) => el === document.activeElement), 'focus stays in the tag box');

      await h.page.keyboard.press('Backspace');
      await tags.locator('.tag-text', { hasText: 'gamma' }).waitFor({ state: 'detached' });
      assert.deepEqual(h.document['tags'], ['revenue', 'core', 'beta']);

      await tags.getByRole('button', { name: 'Remove tag core' }).focus();
      await h.page.keyboard.press('Enter');
      await tags.locator('.tag-text', { hasText: 'core' }).waitFor({ state: 'detached' });
      assert.deepEqual(h.document['tags'], ['revenue', 'beta']);
      assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove tag beta', 'focus moves to the next tag');
      await h.screenshot('tags');
    });
  });

  it('tables: Add row appends an item and focuses its first cell; cells edit their own path', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await slot(h, 'idTypeMapping').getByRole('button', { name: 'Add row' }).click();
      const added = await h.waitForPosted(isEditAt('idTypeMapping'), 500);
      assert.deepEqual(added.value, [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: '', column: '' }]);
      const cell = h.page.getByLabel('Statsig unit ID (row 2)');
      await cell.waitFor();
      assert.ok(await cell.evaluate((el) => el === document.activeElement), 'the new row\'s first cell has focus');
      await h.page.keyboard.type('stableID');
      assert.equal((await h.waitForPosted(isEditAt('idTypeMapping', 1, 'statsigUnitID'))).value, 'stableID');
      await h.page.keyboard.press('Tab');
      await h.page.keyboard.type('stable_id');
      await h.page.keyboard.press('Tab');
      await h.waitForPosted(isEditAt('idTypeMapping', 1, 'column'), 500);
      assert.deepEqual(h.document['idTypeMapping'], [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }]);
      await h.screenshot('table-row-added');

      await slot(h, 'idTypeMapping').getByRole('button', { name: 'Remove row 1' }).click();
      await h.page.getByLabel('Statsig unit ID (row 2)').waitFor({ state: 'detached' });
      assert.deepEqual(h.document['idTypeMapping'], [{ statsigUnitID: 'stableID', column: 'stable_id' }]);
    });
  });

  it('maps: values edit their own key, keys are renamed in place, entries can be added', async () => {
    await withPage(initFor('ingestionSource', ingestionSource()), async (h) => {
      const ids = slot(h, 'column_mapping', 'ids');
      await ids.getByLabel('Value of userID').fill('uid');
      await ids.getByLabel('Value of userID').blur();
      assert.equal((await h.waitForPosted(isEditAt('column_mapping', 'ids', 'userID'), 200)).value, 'uid');
      await ids.getByLabel('Key (entry 2)').fill('stable_id_type');
      await ids.getByLabel('Key (entry 2)').blur();
      await h.waitForPosted(() => JSON.stringify(h.document['column_mapping']).includes('stable_id_type'));
      assert.deepEqual(Object.keys((h.document['column_mapping'] as Record<string, Record<string, string>>)['ids'] ?? {}), ['userID', 'stable_id_type']);
      // A duplicate key is refused, not sent.
      const sent = h.edits().length;
      await ids.getByLabel('Key (entry 2)').fill('userID');
      await ids.getByLabel('Key (entry 2)').blur();
      assert.match(await ids.locator('.local-error').last().textContent() ?? '', /already a key/);
      assert.equal(h.edits().length, sent);
      await slot(h, 'column_mapping').getByRole('button', { name: 'Add entry' }).first().click();
      await h.waitForPosted(() => Object.hasOwn(h.document['column_mapping'] as object, 'key'));
    });
  });

  it('typing SQL sends a debounced edit of the SQL field; leaving the editor sends at once', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.locator('.cm-content').click();
      await h.page.keyboard.press('Control+End');
      await h.page.keyboard.type(' LIMIT 10', { delay: 20 });
      const edit = await h.waitForPosted(isEditAt('sql'));
      assert.equal(edit.value, `${METRIC_SQL} LIMIT 10`);
      await h.page.keyboard.type('0');
      await h.page.keyboard.press('Tab');
      await h.waitForPosted((m) => isEditAt('sql')(m) && m.value === `${METRIC_SQL} LIMIT 100`, 200);
      assert.equal(h.document['sql'], `${METRIC_SQL} LIMIT 100`);
    });
  });

  it('Ctrl+S with typing not sent yet sends that typing, then asks the host to save, and does not reach VS Code', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      // VS Code's own listener (bubbling, on the window) would run the workbench's Save at once,
      // before the host has applied the typing sent a moment earlier: the save missed it (seen in CI).
      await h.page.evaluate(() => {
        (window as unknown as { __forwarded: string[] }).__forwarded = [];
        window.addEventListener('keydown', (e) => (window as unknown as { __forwarded: string[] }).__forwarded.push(e.key));
      });
      await h.page.getByLabel('Timestamp column').fill('created_at');
      await h.page.keyboard.press('Control+s');
      assert.equal((await h.waitForPosted(isEditAt('timestampColumn'), 100)).value, 'created_at');
      const save = await h.waitForPosted((m) => m.type === 'command' && m.command === 'save', 100);
      assert.ok(h.posted.indexOf(save) > h.posted.findIndex(isEditAt('timestampColumn')), 'the save was asked for after the typing');
      const forwarded = () => h.page.evaluate(() => (window as unknown as { __forwarded: string[] }).__forwarded);
      assert.equal((await forwarded()).includes('s'), false, 'the Ctrl+S reached the workbench too');
      // With nothing pending, Ctrl+S is VS Code's (its Save, whatever the user bound to it).
      await h.page.keyboard.press('Control+s');
      assert.equal((await forwarded()).includes('s'), true);
      assert.equal(h.posted.filter((m) => m.type === 'command' && m.command === 'save').length, 1);
    });
  });

  it('Ctrl+Z right after typing takes back exactly the unsent typing, and does not reach VS Code', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      const field = h.page.getByLabel('Timestamp column');
      const before = await field.inputValue();
      // VS Code's own listener (bubbling, on the window) would forward the key to the workbench's Undo.
      await h.page.evaluate(() => {
        (window as unknown as { __forwarded: string[] }).__forwarded = [];
        window.addEventListener('keydown', (e) => (window as unknown as { __forwarded: string[] }).__forwarded.push(e.key));
      });
      await field.click();
      await h.page.keyboard.press('End');
      await h.page.keyboard.type('_x');
      await h.page.keyboard.press('Control+z');
      assert.equal(await field.inputValue(), before);
      await h.page.waitForTimeout(400); // longer than the typing delay: nothing is sent later either
      assert.equal(h.posted.some(isEditAt('timestampColumn')), false, 'the undone typing was never sent');
      const forwarded = await h.page.evaluate(() => (window as unknown as { __forwarded: string[] }).__forwarded);
      assert.equal(forwarded.includes('z'), false, 'the Ctrl+Z did not reach the workbench');
      // With nothing pending, Ctrl+Z is VS Code's (it undoes the document).
      await h.page.keyboard.press('Control+z');
      assert.equal((await h.page.evaluate(() => (window as unknown as { __forwarded: string[] }).__forwarded)).includes('z'), true);
    });
  });

  it('Ctrl+A then typing at human speed replaces the whole field, even with VS Code\'s own select-all in flight', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      // VS Code's webview forwards keys to the workbench (a bubbling listener on the window); for
      // Ctrl+A the workbench runs its Select All, which comes back a moment later as
      // execCommand('selectAll') in the webview, by then selecting what was typed since.
      await h.page.evaluate(() => {
        const w = window as unknown as { __forwarded: string[] };
        w.__forwarded = [];
        window.addEventListener('keydown', (e) => {
          if (!(e.ctrlKey || e.metaKey) || e.key === 'Control' || e.key === 'Meta') return;
          w.__forwarded.push(`Ctrl+${e.key}`);
          if (e.key.toLowerCase() === 'a') setTimeout(() => document.execCommand('selectAll'), 90);
        });
      });
      const forwarded = () => h.page.evaluate(() => (window as unknown as { __forwarded: string[] }).__forwarded);
      const cases = [
        { control: h.page.getByLabel('Timestamp column'), path: 'timestampColumn', typed: 'created_at' },
        { control: h.page.getByLabel('Description'), path: 'description', typed: 'Orders, net of refunds.' },
      ];
      for (const { control, path, typed } of cases) {
        await control.click();
        await h.page.keyboard.press('Control+a');
        await h.page.keyboard.type(typed, { delay: 45 });
        await h.page.waitForTimeout(150); // past the workbench's late select-all
        assert.equal(await control.inputValue(), typed, `${path}: nothing typed after Ctrl+A was lost`);
        await h.page.keyboard.press('Tab');
        await h.waitForPosted((m) => isEditAt(path)(m) && m.value === typed, 500);
      }
      await h.page.locator('.cm-content').click();
      await h.page.keyboard.press('Control+a');
      await h.page.keyboard.type('SELECT 1', { delay: 45 });
      await h.page.waitForTimeout(150);
      assert.equal(await sqlText(h), 'SELECT 1', 'SQL: nothing typed after Ctrl+A was lost');
      await h.page.keyboard.press('Tab');
      await h.waitForPosted((m) => isEditAt('sql')(m) && m.value === 'SELECT 1', 500);
      assert.deepEqual(await forwarded(), [], 'Ctrl+A in a field did not reach the workbench');
      // Outside the fields, Select All is the workbench's.
      await h.page.locator('.toolbar h1').click();
      await h.page.keyboard.press('Control+a');
      assert.deepEqual(await forwarded(), ['Ctrl+a']);
    });
  });

  it('toolbar buttons send their commands, after any pending typing', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.getByRole('textbox', { name: 'Name', exact: true }).fill('orders_v2');
      await h.page.getByRole('button', { name: 'Save' }).click();
      await h.page.getByRole('button', { name: 'Push' }).click();
      await h.page.getByRole('button', { name: 'Open as JSON' }).click();
      await h.waitForPosted((m) => m.type === 'command' && m.command === 'openAsText', 500);
      const relevant = h.posted.filter((m) => m.type !== 'ready' && m.type !== 'analyzeSql').map((m) => (m.type === 'command' ? m.command : `edit ${JSON.stringify(m.path)}`));
      assert.deepEqual(relevant, ['edit ["name"]', 'save', 'push', 'openAsText']);
    });
  });
});

describe('document updates from the host', () => {
  it('update values in place: the SQL caret and a focused field keep their place', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      // Caret at the end of line 2 of the SQL ("FROM analytics.orders|").
      await h.page.locator('.cm-line', { hasText: 'FROM analytics.orders' }).click();
      await h.page.keyboard.press('End');
      const before = await h.page.locator('.cm-content').elementHandle();
      // An undo elsewhere in the document changes line 1 of the SQL and the description.
      const next = { ...metricSource(), sql: METRIC_SQL.replace('SELECT user_id,', 'SELECT DISTINCT user_id,'), description: 'Changed by undo.' };
      await h.setText(JSON.stringify(next, null, 2));
      await h.page.waitForFunction(() => document.querySelector('.cm-content')?.textContent?.includes('DISTINCT'));
      assert.equal(await h.page.getByLabel('Description').inputValue(), 'Changed by undo.');
      assert.ok(await h.page.locator('.cm-content').evaluate((el, old) => el === old && el.contains(document.activeElement) || el === document.activeElement, before), 'the editor kept focus');
      await h.page.keyboard.type(' o');
      const edit = await h.waitForPosted(isEditAt('sql'));
      assert.equal(edit.value, 'SELECT DISTINCT user_id, order_ts, amount\nFROM analytics.orders o\nWHERE amount > 0', 'typed where the caret was');

      // A text field being edited keeps its element, focus and caret when another field changes.
      const name = h.page.getByRole('textbox', { name: 'Name', exact: true });
      await name.click();
      await name.evaluate((el: HTMLInputElement) => { el.setSelectionRange(2, 2); (el as HTMLInputElement & { marker?: boolean }).marker = true; });
      await h.setText(JSON.stringify({ ...h.document, timestampColumn: 'created_at', idTypeMapping: [] }, null, 2));
      await h.page.getByLabel('Column (row 1)').waitFor({ state: 'detached' });
      assert.equal(await h.page.getByLabel('Timestamp column').inputValue(), 'created_at');
      assert.deepEqual(await name.evaluate((el: HTMLInputElement & { marker?: boolean }) => [el.marker, el === document.activeElement, el.selectionStart]), [true, true, 2]);
    });
  });

  it('a value changed by the host replaces what an idle field shows', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.setText(JSON.stringify({ ...metricSource(), tags: ['x'], sourceType: 'table', customFieldMapping: [] }, null, 2));
      await slot(h, 'tags').locator('.tag-text', { hasText: 'x' }).waitFor();
      assert.equal(await h.page.getByLabel('Source type').inputValue(), '0');
      assert.equal(await slot(h, 'customFieldMapping').locator('.empty').textContent(), 'No rows yet.');
      assert.equal(h.edits().length, 0, 'showing the host\'s document sends nothing back');
    });
  });
});

describe('suggestions', () => {
  it('the project\'s unit ID types are offered in every statsigUnitID cell of the idTypeMapping table', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.post({ type: 'suggestions', unitIdTypes: ['userID', 'stableID', 'companyID'] });
      const cell = h.page.getByLabel(/^(ID type|Statsig unit ID).*\(row 1\)$/i).first();
      const list = await cell.getAttribute('list');
      assert.ok(list, 'the cell has a list of suggestions');
      const options = await h.page.locator(`datalist#${list} option`).evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
      assert.deepEqual(options, ['userID', 'stableID', 'companyID']);
      assert.equal(await h.page.getByLabel('Timestamp column').getAttribute('list'), null, 'other fields offer nothing');
      // A count from the host wins over the listed items (a capped list leaves some out).
      await h.post({ type: 'diagnostics', items: [{ path: ['timestampColumn'], message: 'x', severity: 'error' }], counts: { error: 5000, warning: 2, info: 0 } });
      assert.equal(await h.page.getByRole('navigation', { name: 'Problems' }).locator('.problems-count').textContent(), '5,002 problems (5,000 errors, 2 warnings)');
    });
  });
});

describe('diagnostics', () => {
  it('appear next to their field, as CodeMirror lint marks, and in a summary that focuses the field', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      const from = METRIC_SQL.indexOf('analytics.orders');
      await h.post({ type: 'diagnostics', items: [
        { path: ['timestampColumn'], message: 'order_ts is not a column of the query', severity: 'error' },
        { path: ['idTypeMapping', 0, 'column'], message: 'user_id is not unique', severity: 'warning' },
        { path: ['sql'], message: 'Table analytics.orders does not exist', severity: 'error', sqlRange: { from, to: from + 'analytics.orders'.length } },
        { path: ['customFieldMapping', 0, 'formula', 'deeper'], message: 'refunds is not a column', severity: 'error' },
        { path: ['somethingElse'], message: 'Statsig says no', severity: 'info' },
      ] });
      const problems = h.page.getByRole('navigation', { name: 'Problems' });
      assert.equal(await problems.locator('.problems-count').textContent(), '5 problems (3 errors, 1 warning, 1 info)');
      assert.match(await slot(h, 'timestampColumn').locator('.messages').textContent() ?? '', /Error: order_ts is not a column of the query/);
      assert.equal(await h.page.getByLabel('Timestamp column').getAttribute('aria-invalid'), 'true');
      const describedBy = (await h.page.getByLabel('Timestamp column').getAttribute('aria-describedby')) ?? '';
      const messagesId = await slot(h, 'timestampColumn').locator('.messages').getAttribute('id');
      assert.ok(messagesId && describedBy.split(' ').includes(messagesId), 'the message describes the input');
      assert.match(await slot(h, 'idTypeMapping', 0, 'column').textContent() ?? '', /Warning: user_id is not unique/);
      assert.match(await slot(h, 'customFieldMapping', 0, 'formula').textContent() ?? '', /refunds is not a column/, 'deepest rendered prefix');
      assert.match(await h.page.locator('.form > .messages').textContent() ?? '', /Statsig says no/, 'no field: shown for the whole source');
      assert.match(await slot(h, 'sql').locator('.messages').textContent() ?? '', /Line 2: Table analytics.orders does not exist/);
      const mark = h.page.locator('.cm-lintRange-error');
      await mark.waitFor();
      assert.equal(await mark.textContent(), 'analytics.orders');
      await h.screenshot('diagnostics');

      await problems.getByRole('button', { name: /Timestamp column/ }).click();
      assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id), await h.page.getByLabel('Timestamp column').getAttribute('id'));
      await problems.getByRole('button', { name: /SQL/ }).focus();
      await h.page.keyboard.press('Enter');
      assert.ok(await h.page.locator('.cm-content').evaluate((el) => el === document.activeElement), 'Enter on the SQL problem focuses the editor');

      // They survive a re-render and go away when the host clears them.
      await h.setText(JSON.stringify({ ...metricSource(), idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 's', column: 'c' }] }, null, 2));
      await h.page.getByLabel('Column (row 2)').waitFor();
      assert.match(await slot(h, 'idTypeMapping', 0, 'column').textContent() ?? '', /user_id is not unique/);
      // One problem is "1 problem", as in the status line.
      await h.post({ type: 'diagnostics', items: [{ path: ['timestampColumn'], message: 'Statsig says no', severity: 'error' }] });
      assert.equal(await problems.locator('.problems-count').textContent(), '1 problem');
      await h.post({ type: 'diagnostics', items: [] });
      assert.equal(await problems.isHidden(), true);
      assert.equal(await h.page.locator('.message').count(), 0);
      assert.equal(await h.page.locator('[aria-invalid]').count(), 0);
      await mark.waitFor({ state: 'detached' });
    });
  });
});

describe('robustness and security', () => {
  it('malformed JSON: a banner with the position and Open as JSON, no form; valid JSON brings it back', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.setText('{\n  "name": "orders",\n  "sql": "SELECT 1"\n  "tags": []\n}');
      const banner = h.page.getByRole('alert');
      await banner.waitFor();
      assert.equal(await banner.locator('p').textContent(),
        'This source\'s JSON is not valid: a comma was expected (line 4, column 3). Fix it in the text editor.');
      assert.equal(await h.page.locator('main').isHidden(), true);
      assert.equal(await h.page.locator('.form .field').count(), 0, 'no stale form left behind');
      await h.screenshot('malformed-json');
      await banner.getByRole('button', { name: 'Open as JSON' }).click();
      await h.waitForPosted((m) => m.type === 'command' && m.command === 'openAsText', 500);
      await h.setText('[1, 2]');
      assert.match(await banner.locator('p').textContent() ?? '', /must be a JSON object, not an array/);
      await h.setText(JSON.stringify(metricSource()));
      await h.page.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
      assert.equal(await banner.isHidden(), true);
      assert.equal(await sqlText(h), METRIC_SQL);
    });
  });

  it('server strings render as text: no markup, no script, no CSP violation', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const schema = initFor('metricSource', metricSource()).schema;
    const properties = { ...(schema['properties'] as Record<string, Record<string, unknown>>) };
    properties['timestampColumn'] = { ...properties['timestampColumn'], description: payload };
    const value = { ...metricSource(), name: payload, tags: [payload], [payload]: payload, description: `</textarea>${payload}` };
    const init = initFor('metricSource', value, { schema: { ...schema, properties }, title: `<script>window.__xss=1</script>${payload}` });
    await withPage(init, async (h) => {
      const { page } = h;
      await h.post({ type: 'diagnostics', items: [{ path: ['name'], message: payload, severity: 'error' }] });
      await h.post({ type: 'status', tone: 'error', text: payload });
      await h.post({ type: 'extras', sections: [{ title: payload, rows: [{ label: payload, value: payload }] }] });
      assert.equal(await slot(h, 'timestampColumn').locator('.help').textContent(), payload);
      assert.equal(await page.locator('.toolbar h1').textContent(), `<script>window.__xss=1</script>${payload}`);
      assert.equal(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), payload);
      assert.equal(await page.title(), init.title);
      assert.equal(await page.locator('img').count(), 0, 'no element was created from a string');
      assert.equal(await page.locator('script').count(), 1, 'only the bundle');
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      await h.screenshot('xss');
    }, { pageTitle: `</title><script>window.__xss=1</script>${payload}` });
  });

  it('every string field of every host message shows as text: HTML and command links stay words', async () => {
    const html = '<img src=x onerror="window.__xss=1">';
    const link = '[x](command:foo)';
    const both = `${html} ${link}`;
    const schema = initFor('metricSource', metricSource()).schema;
    const properties = { ...(schema['properties'] as Record<string, Record<string, unknown>>) };
    properties['sourceType'] = { ...properties['sourceType'], enum: ['table', both], description: link };
    properties['timestampColumn'] = { ...properties['timestampColumn'], title: both, description: both };
    const sql = `SELECT '${both}' AS x`;
    const value = { ...metricSource(), sql, sourceType: both, description: both, [both]: both };
    const init = initFor('metricSource', value, {
      kind: both, title: both, sqlDialect: both, readOnlyPaths: [both], schema: { ...schema, properties },
    });
    await withPage(init, async (h) => {
      const { page } = h;
      const from = sql.indexOf(both);
      await h.post({ type: 'diagnostics', items: [
        { path: ['sql'], message: both, severity: 'error', sqlRange: { from, to: from + both.length } },
        { path: [both], message: both, severity: 'warning' },
        { path: ['nowhere', both], message: both, severity: 'info' },
      ] });
      await h.post({ type: 'status', tone: 'error', text: both });
      await h.post({ type: 'extras', sections: [{ title: both, rows: [{ label: both, value: both }] }] });
      await h.setText(JSON.stringify({ ...value, name: both }, null, 2));

      assert.equal(await page.locator('.toolbar h1').textContent(), both);
      assert.equal(await page.title(), both);
      assert.match(await page.locator('.toolbar .badge').first().textContent() ?? '', /img|command/, 'the kind, as words');
      assert.equal(await page.getByRole('status').textContent(), both);
      assert.equal(await page.locator('.extras h2').textContent(), both);
      assert.deepEqual(await page.locator('.extras dt, .extras dd').allTextContents(), [both, both]);
      const problems = await page.locator('.problem').allTextContents();
      assert.equal(problems.length, 3);
      for (const text of problems) assert.ok(text.endsWith(both), `problem: ${text}`);
      assert.ok(problems.some((t) => t.includes(`nowhere.${both}`) || t.includes(both + ' — ')), 'a path shown as its label');
      assert.equal(await slot(h, 'timestampColumn').locator('.help').textContent(), both);
      assert.equal(await slot(h, 'sourceType').locator('.help').textContent(), link);
      assert.ok((await page.getByLabel('Source type').locator('option').allTextContents()).includes(both), 'an enum option as text');
      assert.equal(await page.getByLabel('Description').inputValue(), both);
      assert.equal(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), both);
      assert.match(await page.locator('.other-fields').textContent() ?? '', /command:foo/);
      assert.equal(await sqlText(h), sql);
      // The SQL problem's CodeMirror tooltip, too.
      await page.locator('.cm-lintRange-error').hover();
      const tooltip = page.locator('.cm-tooltip-lint');
      await tooltip.waitFor();
      assert.equal(await tooltip.locator('.cm-diagnosticText').textContent(), both);

      assert.equal(await page.locator('img').count(), 0, 'no element was made from a string');
      assert.equal(await page.locator('a').count(), 0, 'no link was made from a string');
      assert.equal(await page.locator('script').count(), 1, 'only the bundle');
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => window.__xss), undefined);
    }, { pageTitle: both });
  });

  it('read-only fields are shown as text and cannot be edited', async () => {
    await withPage(initFor('metricSource', metricSource(), { readOnlyPaths: ['name', 'sql'] }), async (h) => {
      const { page } = h;
      assert.equal(await slot(h, 'name').locator('input, textarea, select').count(), 0);
      assert.equal(await slot(h, 'name').locator('.readonly-value').textContent(), 'orders');
      // `owner` is readOnly in the schema (server-owned).
      assert.equal(await slot(h, 'owner').locator('input, textarea, select').count(), 0);
      assert.match(await slot(h, 'owner').locator('.readonly-value').textContent() ?? '', /"ownerName": "Ada Lovelace"/);
      assert.equal(await page.locator('.cm-content').getAttribute('contenteditable'), 'false');
      await page.locator('.cm-content').click();
      await page.keyboard.type('DROP TABLE');
      await page.waitForTimeout(350);
      assert.equal(await sqlText(h), METRIC_SQL);
      assert.equal(h.edits().length, 0);
      await h.screenshot('read-only');
    });
  });

  it('invalid host messages are ignored with a warning; everything stays reachable by Tab', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.evaluate(() => {
        window.postMessage({ type: 'document' }, '*');
        window.postMessage({ type: 'diagnostics', items: { path: 'x' } }, '*'); // one bad item alone would be dropped, the message kept
        window.postMessage('hello', '*');
      });
      await h.page.waitForTimeout(100);
      assert.equal(h.consoleWarnings.filter((w) => w.startsWith('Ignoring an invalid message')).length, 3);
      assert.equal(await h.page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'orders');

      // Tab from the top reaches every control, CodeMirror included, and never gets stuck.
      const controls = await h.page.locator('button:visible, input:visible, select:visible, textarea:visible, .cm-content').count();
      await h.page.locator('body').click({ position: { x: 1, y: 1 } });
      const reached = new Set<string>();
      for (let i = 0; i < controls + 2; i++) {
        await h.page.keyboard.press('Tab');
        reached.add(await h.page.evaluate(() => {
          const el = document.activeElement;
          return el ? `${el.tagName}#${el.id}|${el.getAttribute('aria-label') ?? ''}|${el.getAttribute('data-focus-key') ?? el.textContent?.slice(0, 20) ?? ''}` : '';
        }));
      }
      assert.ok(reached.size >= controls, `reached ${reached.size} of ${controls} controls`);
      assert.ok([...reached].some((r) => r.startsWith('DIV#') && r.includes('["sql"]')), 'the SQL editor is in the tab order');
    });
  });
});
