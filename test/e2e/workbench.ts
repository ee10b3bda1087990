// Helpers that drive the real VS Code web workbench the way a person does (keyboard and mouse).
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const QUICK_INPUT = '.quick-input-widget';

/** Opens the command palette (F1), types `text` on the keyboard and returns the quick input widget. */
export async function openCommandPalette(page: Page, text = ''): Promise<Locator> {
  const widget = page.locator(QUICK_INPUT);
  await page.locator('.monaco-workbench .part.editor').click();
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text, { delay: 20 });
  return widget;
}

/** Closes the quick input (Escape) if it is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/**
 * Opens the command palette, types `text` and waits until every one of `labels` is listed.
 * Extensions register their commands a moment after the workbench renders, and the palette lists
 * only what was known when it opened, so it is closed and opened again (as a person would) until
 * the commands are there or `timeoutMs` has passed. Returns the palette and the rows it showed.
 */
export async function findInCommandPalette(
  page: Page,
  text: string,
  labels: readonly string[],
  timeoutMs = 30_000,
): Promise<{ palette: Locator; rows: string[]; missing: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const palette = await openCommandPalette(page, text);
    await palette.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.waitForTimeout(300); // the list filters as the person types
    const rows = await quickPickLabels(palette);
    const missing = labels.filter((label) => !rows.some((row) => row.includes(label)));
    if (missing.length === 0 || Date.now() > deadline) return { palette, rows, missing };
    await closeQuickInput(page);
    await page.waitForTimeout(1_000);
  }
}

/** The visible labels of the quick pick's rows (e.g. "Statsig WHN: Set API Key"). */
export async function quickPickLabels(widget: Locator): Promise<string[]> {
  const rows = widget.locator('.monaco-list-row');
  const labels = await rows.evaluateAll((elements) =>
    elements.map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()),
  );
  return labels.filter((label) => label.length > 0);
}

/** The command palette labels ("<category>: <title>") of the commands in package.json. */
export function manifestCommandLabels(repoRoot: string): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: { commands?: { command: string; title: string; category?: string }[] };
  };
  return (manifest.contributes?.commands ?? []).map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
}
