// Colours in VS Code's default themes: every status and diagnostic text in the webview is readable
// (WCAG AA, 4.5:1 against what is actually behind it) in Light+, Dark+ and High Contrast, and the
// icons that carry a status's tone are at least 3:1 (WCAG 1.4.11, non-text contrast). A screenshot
// of each theme goes to test-results/webview-theme-*.png.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { StatusTones, type StatusMessage } from '../../src/shared/editorProtocol.ts';
import { DARK_PLUS, HIGH_CONTRAST, LIGHT_PLUS, initFor, metricSource, type ThemeFixture } from './fixtures.ts';
import { WebviewHarness, browserSuite } from './harness.ts';

const suite = browserSuite();

interface Measured {
  readonly what: string;
  readonly text: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
}

/**
 * The contrast of each matching element's text (or its `::before` icon) against what is behind it:
 * its own and its ancestors' backgrounds composited from the page down (alpha included).
 */
function measure(page: Page, selector: string, pseudo: '' | '::before' = ''): Promise<Measured[]> {
  return page.locator(selector).evaluateAll((elements, pseudoElement) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const n = css.match(/[\d.]+/g)?.map(Number) ?? [];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (c: number) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const hex = ([r, g, b]: Rgba) => `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
    return elements.map((element) => {
      const chain: Element[] = [];
      for (let e: Element | null = element; e; e = e.parentElement) chain.unshift(e);
      let background: Rgba = [255, 255, 255, 1]; // the canvas
      for (const e of chain) background = over(parse(getComputedStyle(e).backgroundColor), background);
      const color = over(parse(getComputedStyle(element, pseudoElement || null).color), background);
      const [hi, lo] = [luminance(color), luminance(background)].sort((a, b) => b - a) as [number, number];
      return {
        what: `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}${pseudoElement}`,
        text: (pseudoElement ? getComputedStyle(element, pseudoElement).content : element.textContent ?? '').slice(0, 60),
        color: hex(color),
        background: hex(background),
        ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
      };
    });
  }, pseudo);
}

const STATUS: Record<StatusMessage['tone'], string> = {
  idle: 'As on Statsig. Save (Ctrl+S) validates your changes; nothing is published until you Push.',
  busy: 'Validating and running Statsig\'s dry run…',
  warning: 'Draft saved, but the dry run could not run: Statsig did not answer in time.',
  error: 'Dry run failed: 1 problem.',
  ok: 'Dry run passed 12:04.',
};

const THEMES: readonly (readonly [string, ThemeFixture])[] = [['light', LIGHT_PLUS], ['dark', DARK_PLUS], ['hc', HIGH_CONTRAST]];

describe('colours in the default themes', () => {
  for (const [name, theme] of THEMES) {
    it(`${name} (${theme.kind}): status and diagnostic texts reach 4.5:1, status icons 3:1`, async () => {
      const h = await WebviewHarness.open(suite.browser(), suite.origin(), initFor('metricSource', { ...metricSource(), sql: 42 }), { theme });
      try {
        const { page } = h;
        assert.equal(await page.evaluate(() => document.body.dataset['vscodeThemeKind']), theme.kind);
        await h.post({ type: 'diagnostics', items: [
          { path: ['timestampColumn'], message: 'order_ts is not a column of the query', severity: 'error' },
          { path: ['idTypeMapping', 0, 'column'], message: 'Column "user_id" does not appear in the SQL', severity: 'warning' },
          { path: ['description'], message: 'Statsig shows this on the metric source page', severity: 'info' },
        ] });
        await h.post({ type: 'extras', sections: [{ title: 'Latest runs', rows: [{ label: 'Started', value: 'Succeeded (Scheduled)' }] }] });

        const texts: Measured[] = [];
        const icons: Measured[] = [];
        // `ok` last: the screenshot shows the status that had 2:1 in Light+.
        for (const tone of [...StatusTones.filter((t) => t !== 'ok'), 'ok'] as const) {
          await h.post({ type: 'status', tone, text: STATUS[tone] });
          texts.push(...(await measure(page, '.status')).map((m) => ({ ...m, what: `${m.what} (${tone})` })));
          if (tone !== 'idle' && tone !== 'busy') icons.push(...(await measure(page, '.status', '::before')).map((m) => ({ ...m, what: `${m.what} (${tone})` })));
        }
        texts.push(
          ...await measure(page, '.message'),
          ...await measure(page, '.problems-count'),
          ...await measure(page, '.problem'),
          ...await measure(page, '.note'),
          ...await measure(page, '.help'),
          ...await measure(page, '.extras dt, .extras dd'),
        );
        assert.ok(texts.some((m) => m.what.startsWith('p.message.message--info')), 'an info message was measured');
        assert.ok(texts.some((m) => m.what.startsWith('p.note')), 'the SQL field\'s note was measured');
        assert.deepEqual(icons.filter((m) => m.text === 'none' || m.text === '').map((m) => m.what), [], 'the ok, warning and error statuses carry an icon');
        const low = [
          ...texts.filter((m) => m.ratio < 4.5).map((m) => `${m.what} ${m.color} on ${m.background}: ${m.ratio}:1 ("${m.text}")`),
          ...icons.filter((m) => m.ratio < 3).map((m) => `${m.what} ${m.color} on ${m.background}: ${m.ratio}:1 (icon ${m.text})`),
        ];
        assert.deepEqual(low, [], `too little contrast in ${name}`);
        await h.screenshot(`theme-${name}`);
        assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
        assert.deepEqual(h.pageErrors, [], 'uncaught errors in the page');
      } finally {
        await h.close();
      }
    });
  }
});

describe('the SQL find panel in the default themes', () => {
  for (const [name, theme] of THEMES) {
    it(`${name} (${theme.kind}): its labels, fields and buttons reach 4.5:1`, async () => {
      const h = await WebviewHarness.open(suite.browser(), suite.origin(), initFor('metricSource', metricSource()), { theme });
      try {
        const { page } = h;
        await page.locator('.cm-content').click();
        await page.keyboard.press('ControlOrMeta+H');
        await page.locator('.cm-search').waitFor({ state: 'visible' });
        await page.locator('.cm-search input[name=search]').click();
        await page.keyboard.type('order_ts');
        const texts = [
          ...await measure(page, '.cm-search label'),
          ...await measure(page, '.cm-search .cm-button'),
          ...await measure(page, '.cm-search .cm-textfield'),
          ...await measure(page, '.cm-search [name=close]'),
        ];
        assert.equal(texts.length, 3 + 5 + 2 + 1, texts.map((m) => m.what).join(', '));
        const low = texts.filter((m) => m.ratio < 4.5).map((m) => `${m.what} ${m.color} on ${m.background}: ${m.ratio}:1 ("${m.text}")`);
        assert.deepEqual(low, [], `too little contrast in ${name}`);
        await h.screenshot(`theme-${name}-find`);
        assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
        assert.deepEqual(h.pageErrors, [], 'uncaught errors in the page');
      } finally {
        await h.close();
      }
    });
  }
});
