// The SQL editor's own tools in the real bundle, shell and CSP: find and replace (Ctrl/Cmd+F,
// Ctrl+H / Cmd+Alt+F, Escape), the user's editor font and tab size (from init, then live), and
// Format SQL (the toolbar button and Shift+Alt+F send the command after any pending typing).
//
// VS Code forwards every keydown a webview does not stop to the workbench, from a bubble-phase
// listener on the page's window; a stand-in listener in the same place records what would have
// been forwarded, so the tests see which keys the workbench would also act on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandMessage, EditMessage, EditorSettings, InitMessage, WebviewMessage } from '../../src/shared/editorProtocol.ts';
import { METRIC_SQL, initFor, metricSource } from './fixtures.ts';
import { WebviewHarness, browserSuite } from './harness.ts';

const suite = browserSuite();

declare global {
  interface Window {
    __forwarded: string[];
  }
}

async function withPage(init: InitMessage, run: (h: WebviewHarness) => Promise<void>): Promise<void> {
  const harness = await WebviewHarness.open(suite.browser(), suite.origin(), init);
  try {
    await harness.page.evaluate(() => {
      window.__forwarded = [];
      window.addEventListener('keydown', (e) => {
        const mods = [e.ctrlKey && 'Ctrl', e.metaKey && 'Meta', e.altKey && 'Alt', e.shiftKey && 'Shift'].filter(Boolean).join('+');
        window.__forwarded.push(mods ? `${mods}+${e.code}` : e.code);
      });
    });
    await run(harness);
    assert.deepEqual(await harness.cspViolations(), [], 'CSP violations');
    assert.deepEqual(harness.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(harness.invalid, [], 'messages the host would reject');
  } finally {
    await harness.close();
  }
}

/**
 * The keys forwarded since the last call that the workbench could act on: modified keys, Escape and
 * function keys. Plain typing and modifiers pressed alone are forwarded from every field of the
 * page, as in any webview, and bound to nothing.
 */
const forwarded = async (h: WebviewHarness) => (await h.page.evaluate(() => window.__forwarded.splice(0)))
  .filter((k) => /^(Escape|F\d+)$|\+(?!(Control|Shift|Alt|Meta)(Left|Right)$)/.test(k));
const sqlText = (h: WebviewHarness) => h.page.locator('.cm-content').evaluate((el) => (el as HTMLElement).innerText.replace(/\n$/, ''));
const focused = (h: WebviewHarness) => h.page.evaluate(() => {
  const e = document.activeElement;
  return e ? `${e.tagName.toLowerCase()}${e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : ''}${e.classList.contains('cm-content') ? '.cm-content' : ''}` : '';
});
const isSqlEdit = (m: WebviewMessage): m is EditMessage => m.type === 'edit' && JSON.stringify(m.path) === '["sql"]';
const isFormat = (m: WebviewMessage): m is CommandMessage => m.type === 'command' && m.command === 'formatSql';

/** Types into a find-panel field the way a person does (its value is read on keyup). */
async function typeInto(h: WebviewHarness, name: 'search' | 'replace', text: string): Promise<void> {
  await h.page.locator(`.cm-search input[name=${name}]`).click();
  await h.page.keyboard.press('ControlOrMeta+A');
  await h.page.keyboard.type(text, { delay: 10 });
}

const SQL = 'SELECT user_id, order_ts, amount\nFROM analytics.orders\nWHERE order_ts >= {statsig_start_date}\n  AND order_ts < {statsig_end_date}';

describe('find and replace', () => {
  it('Ctrl/Cmd+F opens the find panel in VS Code\'s colours; Enter walks the matches; Escape closes it and returns to the SQL; none of these keys reach the workbench', async () => {
    await withPage(initFor('metricSource', { ...metricSource(), sql: SQL }), async (h) => {
      const { page } = h;
      await page.locator('.cm-content').click();
      await forwarded(h);
      await page.keyboard.press('ControlOrMeta+F');
      const panel = page.locator('.cm-panels-top .cm-search');
      await panel.waitFor({ state: 'visible' });
      assert.equal(await focused(h), 'input[name=search]');
      await page.keyboard.type('order_ts', { delay: 10 });
      await page.waitForFunction(() => document.querySelectorAll('.cm-searchMatch').length === 3);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      const selected = await page.evaluate(() => document.querySelector('.cm-searchMatch-selected')?.textContent);
      assert.equal(selected, 'order_ts', 'the current match is marked');
      // VS Code's find widget colours, from the theme variables.
      const colours = await page.evaluate(() => {
        const css = (selector: string) => getComputedStyle(document.querySelector(selector) as Element);
        return {
          panel: css('.cm-panels').backgroundColor,
          field: css('.cm-search input[name=search]').backgroundColor,
          button: css('.cm-search button[name=next]').backgroundColor,
          match: css('.cm-searchMatch:not(.cm-searchMatch-selected)').backgroundColor,
          current: css('.cm-searchMatch-selected').backgroundColor,
        };
      });
      assert.deepEqual(colours, {
        panel: 'rgb(32, 32, 32)', field: 'rgb(49, 49, 49)', button: 'rgb(49, 49, 49)', match: 'rgba(234, 92, 0, 0.33)', current: 'rgb(158, 106, 3)',
      });
      await h.screenshot('sql-find');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      assert.equal(await focused(h), 'div.cm-content', 'the focus is back in the SQL');
      assert.deepEqual(await forwarded(h), [], 'Ctrl+F and Escape stay in the webview');
      // Keys the SQL editor does not use still reach the workbench (Ctrl+P, say). Escape first
      // collapses the selection the search left (as in VS Code), then it is the workbench's.
      await page.keyboard.press('ControlOrMeta+P');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      assert.deepEqual(await forwarded(h), ['Ctrl+KeyP', 'Escape']);
      assert.equal(h.edits().length, 0, 'finding changes nothing');
    });
  });

  it('Ctrl+H opens it with the focus in Replace; Replace All is one edit of the SQL; Ctrl+Z in a panel field stays in the field', async () => {
    await withPage(initFor('metricSource', { ...metricSource(), sql: SQL }), async (h) => {
      const { page } = h;
      await page.locator('.cm-content').click();
      await forwarded(h);
      await page.keyboard.press('Control+H');
      await page.locator('.cm-search').waitFor({ state: 'visible' });
      assert.equal(await focused(h), 'input[name=replace]');
      await typeInto(h, 'search', 'order_ts');
      await typeInto(h, 'replace', 'created_atx');
      // Undo in the field takes back the field's own typing: never the document's (the workbench's) undo.
      await page.keyboard.press('ControlOrMeta+Z');
      assert.deepEqual(await forwarded(h), []);
      await page.locator('.cm-search input[name=replace]').press('Backspace');
      await typeInto(h, 'replace', 'created_at');
      await page.locator('.cm-search button[name=replaceAll]').click();
      const expected = SQL.replaceAll('order_ts', 'created_at');
      assert.equal(await sqlText(h), expected);
      const edit = await h.waitForPosted(isSqlEdit);
      assert.equal(edit.value, expected);
      await page.waitForTimeout(400);
      assert.equal(h.edits().filter(isSqlEdit).length, 1, 'Replace All is one edit (one undo step in VS Code)');
      assert.equal(h.document['sql'], expected);
      assert.deepEqual(await forwarded(h), [], 'no key of the panel reached the workbench');
    });
  });

  it('read-only SQL (a value that is not text) can be searched but offers no Replace and no Format', async () => {
    await withPage(initFor('metricSource', { ...metricSource(), sql: 42 }), async (h) => {
      await h.page.locator('.cm-content').click();
      await h.page.keyboard.press('ControlOrMeta+F');
      await h.page.locator('.cm-search').waitFor({ state: 'visible' });
      assert.equal(await h.page.locator('.cm-search input[name=replace]').count(), 0);
      await h.page.keyboard.press('Escape');
      assert.equal(await h.page.getByRole('button', { name: 'Format SQL' }).isDisabled(), true);
    });
  });

  it('the Find button opens the panel too', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.getByRole('toolbar', { name: 'SQL tools' }).getByRole('button', { name: 'Find' }).click();
      await h.page.locator('.cm-search').waitFor({ state: 'visible' });
      assert.equal(await focused(h), 'input[name=search]');
    });
  });
});

describe('the user\'s editor settings', () => {
  const fontOf = (h: WebviewHarness) => h.page.evaluate(() => {
    const line = getComputedStyle(document.querySelector('.cm-line') as Element);
    return { family: line.fontFamily, size: line.fontSize, tabSize: getComputedStyle(document.querySelector('.cm-content') as Element).tabSize };
  });

  it('font family, size and tab size from init, then followed live', async () => {
    const settings: EditorSettings = { fontFamily: "'Courier New', monospace", fontSize: 19, tabSize: 8 };
    await withPage(initFor('metricSource', { ...metricSource(), sql: 'SELECT\n\tuser_id\nFROM t' }, { editorSettings: settings }), async (h) => {
      assert.deepEqual(await fontOf(h), { family: '"Courier New", monospace', size: '19px', tabSize: '8' });
      await h.post({ type: 'editorSettings', settings: { fontFamily: 'Menlo, monospace', fontSize: 11.5, tabSize: 2 } });
      assert.deepEqual(await fontOf(h), { family: 'Menlo, monospace', size: '11.5px', tabSize: '2' });
      // Without a font of their own: the theme's editor font (VS Code's --vscode-editor-font-*).
      await h.post({ type: 'editorSettings', settings: { tabSize: 4 } });
      assert.deepEqual(await fontOf(h), { family: '"DejaVu Sans Mono", monospace', size: '13px', tabSize: '4' });
      // The gutter follows the font too: line numbers stay level with their lines (once CodeMirror
      // has measured again, in its next animation frame: on a loaded machine a few frames later).
      const heights = () => h.page.evaluate(() => [
        (document.querySelector('.cm-gutterElement:not([style*="height: 0"]) + .cm-gutterElement') as HTMLElement).getBoundingClientRect().height,
        (document.querySelector('.cm-line') as HTMLElement).getBoundingClientRect().height,
      ].map((x) => Math.round(x)));
      let [gutter, line] = await heights();
      for (let i = 0; i < 40 && gutter !== line; i++) {
        await h.page.waitForTimeout(50);
        [gutter, line] = await heights();
      }
      assert.equal(gutter, line);
    });
  });

  it('a font setting that is not a font is ignored, and can add no CSS of its own', async () => {
    const hostile = 'x; } body { display: none } .cm-line { color: red';
    await withPage(initFor('metricSource', metricSource(), { editorSettings: { fontFamily: hostile, tabSize: 4 } }), async (h) => {
      const font = await fontOf(h);
      assert.equal(font.family, '"DejaVu Sans Mono", monospace');
      assert.equal(await h.page.evaluate(() => getComputedStyle(document.body).display), 'block');
      assert.notEqual(await h.page.locator('.cm-line').first().evaluate((el) => getComputedStyle(el).color), 'rgb(255, 0, 0)');
      assert.equal(await sqlText(h), METRIC_SQL);
    });
  });
});

describe('Format SQL', () => {
  it('the button sends the command after the typing before it', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.locator('.cm-content').click();
      await h.page.keyboard.press('ControlOrMeta+End');
      await h.page.keyboard.type(' AND 1 = 1', { delay: 10 });
      await h.page.getByRole('button', { name: 'Format SQL' }).click();
      await h.waitForPosted(isFormat);
      const order = h.posted.filter((m) => isSqlEdit(m) || isFormat(m)).map((m) => m.type);
      assert.deepEqual(order, ['edit', 'command'], 'the typing reaches the document first');
      assert.match(String(h.edits().find(isSqlEdit)?.value), /AND 1 = 1$/);
    });
  });

  it('Shift+Alt+F anywhere in the editor sends it, and the key does not reach the workbench', async () => {
    await withPage(initFor('metricSource', metricSource()), async (h) => {
      await h.page.locator('.cm-content').click();
      await forwarded(h);
      await h.page.keyboard.press('Shift+Alt+F');
      await h.waitForPosted(isFormat);
      await h.page.getByLabel('Description').click();
      await h.page.keyboard.press('Shift+Alt+F');
      await h.page.waitForFunction(() => true);
      await h.waitForPosted((m) => h.posted.filter(isFormat).length === 2 && isFormat(m));
      assert.deepEqual((await forwarded(h)).filter((k) => k.endsWith('KeyF')), []);
      assert.equal(await sqlText(h), METRIC_SQL, 'the key typed nothing');
      assert.equal(await h.page.getByLabel('Description').inputValue(), 'One row per paid order.');
    });
  });
});
