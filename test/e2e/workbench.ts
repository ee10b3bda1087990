// Helpers that drive the real VS Code web workbench the way a person does (keyboard and mouse).
import type { Frame, Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const QUICK_INPUT = '.quick-input-widget';

/** Opens the command palette (F1), types `text` on the keyboard and returns the quick input widget. */
export async function openCommandPalette(page: Page, text = ''): Promise<Locator> {
  const widget = page.locator(QUICK_INPUT);
  // A click into the editor area takes focus away from e.g. the notification centre. Not when a
  // webview (a custom editor) covers it: the click would land in the extension's page (moving its
  // caret); a webview forwards F1 to the workbench anyway.
  const editorPart = page.locator('.monaco-workbench .part.editor');
  const box = await editorPart.boundingBox();
  const free = box !== null && await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.part.editor') != null, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  if (free) await editorPart.click();
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
    try {
      await palette.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 5_000 });
    } catch (error) {
      // The palette opened but its list stayed hidden (focus taken away while it opened, on a busy
      // machine): close it and open it again, as a person would, until the deadline.
      if (Date.now() > deadline) throw error;
      await closeQuickInput(page).catch(() => undefined);
      await page.waitForTimeout(500);
      continue;
    }
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
/**
 * Palette labels ("Category: Title") of the commands in package.json. `unconditional`: only those
 * the palette always shows (no `menus.commandPalette` entry with a `when` clause).
 */
export function manifestCommandLabels(repoRoot: string, options: { unconditional?: boolean } = {}): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: { commands?: { command: string; title: string; category?: string }[]; menus?: { commandPalette?: { command: string; when?: string }[] } };
  };
  const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when !== undefined).map((m) => m.command));
  return (manifest.contributes?.commands ?? [])
    .filter((c) => !options.unconditional || !conditional.has(c.command))
    .map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
}

/**
 * Runs a command the way a person does: F1, type its label ("Statsig WHN: Set API Key"), pick the row,
 * Enter. Returns once the palette has given way (closed, or replaced by the command's own input).
 */
export async function runCommand(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const { palette, rows, missing } = await findInCommandPalette(page, label, [label], timeoutMs);
  if (missing.length > 0) {
    await closeQuickInput(page);
    throw new Error(`"${label}" is not in the command palette (it lists: ${rows.join(' | ') || 'nothing'})`);
  }
  const index = rows.findIndex((row) => row === label);
  const row = index >= 0 ? index : rows.findIndex((r) => r.includes(label));
  if (row === 0) await page.keyboard.press('Enter');
  else await palette.locator('.monaco-list-row').nth(row).click();
  // The palette's input starts with ">"; a command's own quick input reuses the widget with a fresh value.
  await page.waitForFunction(
    (selector) => {
      const widget = document.querySelector<HTMLElement>(selector);
      if (!widget?.checkVisibility()) return true;
      return !widget.querySelector('input')?.value.startsWith('>');
    },
    QUICK_INPUT,
    { timeout: 10_000 },
  );
}

/** What the quick input widget shows right now (an input box or a quick pick), or undefined if it is closed. */
export interface QuickInputState {
  readonly title: string;
  /** The prompt / validation line under the input. */
  readonly message: string;
  readonly placeholder: string;
  readonly value: string;
  readonly password: boolean;
  /** Labels of the visible list rows (empty for an input box). */
  readonly rows: readonly string[];
}

export async function quickInputState(page: Page): Promise<QuickInputState | undefined> {
  return page.evaluate((selector) => {
    const widget = document.querySelector<HTMLElement>(selector);
    if (!widget?.checkVisibility()) return undefined;
    const text = (css: string) => {
      const element = widget.querySelector<HTMLElement>(css);
      return element?.checkVisibility() ? (element.textContent ?? '').trim() : '';
    };
    const input = widget.querySelector<HTMLInputElement>('.quick-input-box input');
    const list = widget.querySelector<HTMLElement>('.quick-input-list');
    const rows = list?.checkVisibility()
      ? [...list.querySelectorAll('.monaco-list-row')].map((row) => (row.getAttribute('aria-label') ?? row.textContent ?? '').trim())
      : [];
    return {
      title: text('.quick-input-title'),
      message: text('.quick-input-message'),
      placeholder: input?.placeholder ?? '',
      value: input?.value ?? '',
      password: input?.type === 'password',
      rows: rows.filter((row) => row.length > 0),
    };
  }, QUICK_INPUT);
}

function matches(text: string, matcher: string | RegExp): boolean {
  return typeof matcher === 'string' ? text.includes(matcher) : matcher.test(text);
}

/** Waits until the quick input shows something whose title, prompt or placeholder matches. */
export async function waitForQuickInput(page: Page, matcher: string | RegExp, timeoutMs = 15_000): Promise<QuickInputState> {
  const deadline = Date.now() + timeoutMs;
  let last: QuickInputState | undefined;
  for (;;) {
    last = await quickInputState(page);
    if (last && matches(`${last.title}\n${last.message}\n${last.placeholder}`, matcher)) return last;
    if (Date.now() > deadline) {
      throw new Error(`no input box matching ${String(matcher)} within ${timeoutMs} ms (showing: ${last ? JSON.stringify({ ...last, value: last.password ? '<hidden>' : last.value }) : 'nothing'})`);
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Answers the input box that matches `matcher` (title, prompt or placeholder): clicks into it (focus
 * may be elsewhere, e.g. in the notification centre), replaces its value with `text` if given
 * (otherwise accepts what is prefilled) and presses Enter. Fails with the validation message if the
 * box does not accept the answer. Returns what the box showed before the answer.
 */
export async function answerInputBox(page: Page, matcher: string | RegExp, text?: string, timeoutMs = 15_000): Promise<QuickInputState> {
  const shown = await waitForQuickInput(page, matcher, timeoutMs);
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.click();
  if (text !== undefined) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text, { delay: 10 });
  }
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 5_000;
  for (;;) {
    const now = await quickInputState(page);
    if (!now || now.title !== shown.title || now.placeholder !== shown.placeholder) return shown;
    if (Date.now() > deadline) throw new Error(`the input box "${shown.title}" did not accept the answer: ${now.message}`);
    await page.waitForTimeout(100);
  }
}

/** A notification as the workbench renders it (a toast or a row of the notification centre). */
export interface NotificationInfo {
  readonly severity: 'error' | 'warning' | 'info' | 'other';
  readonly message: string;
  readonly source: string;
  readonly buttons: readonly string[];
  readonly where: 'toast' | 'centre';
}

/** The notifications rendered right now: visible toasts first, then the notification centre's rows (if it is open). */
export async function renderedNotifications(page: Page): Promise<NotificationInfo[]> {
  return page.evaluate(() => {
    const read = (item: Element, where: 'toast' | 'centre'): NotificationInfo => {
      const icon = item.querySelector('.notification-list-item-icon')?.className ?? '';
      return {
        severity: /codicon-error/.test(icon) ? 'error' : /codicon-warning/.test(icon) ? 'warning' : /codicon-info/.test(icon) ? 'info' : 'other',
        message: (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
        source: (item.querySelector('.notification-list-item-source')?.textContent ?? '').replace(/^Source:\s*/, '').trim(),
        buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => (b.textContent ?? '').trim()),
        where,
      };
    };
    const visible = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => e.checkVisibility());
    return [
      ...visible('.notifications-toasts .notification-list-item').map((item) => read(item, 'toast')),
      ...visible('.notifications-center .notification-list-item').map((item) => read(item, 'centre')),
    ];
  });
}

const CENTRE = '.notifications-center';
const BELL = '[id="status.notifications"]';

/** Opens the notification centre the way a person does: a click on the bell in the status bar. */
export async function openNotificationCentre(page: Page): Promise<void> {
  if (await page.locator(`${CENTRE}.visible`).isVisible()) return;
  await page.locator(BELL).click();
  await page.locator(`${CENTRE}.visible`).waitFor({ state: 'visible', timeout: 5_000 });
}

/** Clears every notification (the centre's "Clear All Notifications") and closes the centre. */
export async function clearNotifications(page: Page): Promise<void> {
  await openNotificationCentre(page);
  const clearAll = page.locator(`${CENTRE} .codicon-notifications-clear-all`);
  // Disabled (nothing to clear) it cannot be clicked.
  if (!(await clearAll.evaluate((e) => e.classList.contains('disabled') || e.getAttribute('aria-disabled') === 'true'))) await clearAll.click();
  const hide = page.locator(`${CENTRE}.visible .codicon-notifications-hide`);
  // Clearing the last notification may close the centre by itself, between the check and the
  // click (a click then waits 30 s for a button that is gone; seen in CI): only a centre that is
  // still open is a failure.
  if (await hide.isVisible()) {
    await hide.click({ timeout: 3_000 }).catch(async (error: unknown) => {
      if (await page.locator(`${CENTRE}.visible`).isVisible()) throw error;
    });
  }
  await page.locator(`${CENTRE}.visible`).waitFor({ state: 'hidden', timeout: 5_000 });
}

/**
 * Looks for a notification whose message matches, where a person would: a toast, else the
 * notification centre (opened with the status-bar bell). The harness runs the workbench with
 * --enable-smoke-test-driver (needed to load the development extension in a built workbench), and
 * with it VS Code shows no toasts at all: every notification goes to the centre only (see
 * scripts/vscode/README.md). Returns undefined when none matches now.
 */
export async function findNotification(page: Page, matcher: string | RegExp): Promise<NotificationInfo | undefined> {
  const match = (list: NotificationInfo[]) => list.find((n) => matches(n.message, matcher));
  const now = match(await renderedNotifications(page));
  if (now) return now;
  const centreOpen = await page.locator(`${CENTRE}.visible`).isVisible();
  if (!centreOpen) await openNotificationCentre(page);
  return centreOpen ? undefined : match(await renderedNotifications(page));
}

/** Waits for a notification whose message matches (see findNotification); fails with what was shown instead. */
export async function waitForNotification(page: Page, matcher: string | RegExp, timeoutMs = 20_000): Promise<NotificationInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findNotification(page, matcher);
    if (found) return found;
    if (Date.now() > deadline) {
      const shown = (await renderedNotifications(page)).map((n) => `${n.severity}: ${n.message}`).join(' | ');
      throw new Error(`no notification matching ${String(matcher)} within ${timeoutMs} ms (shown: ${shown || 'none'})`);
    }
    await page.waitForTimeout(200);
  }
}

const OUTPUT_EDITOR = '.part.panel .output-view .monaco-editor';

/** The text the Output panel shows right now (its visible lines; wrapped lines come out as several). */
export async function visibleOutputText(page: Page): Promise<string> {
  const lines = page.locator(`${OUTPUT_EDITOR} .view-lines`);
  await lines.waitFor({ state: 'visible', timeout: 10_000 });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * The whole text of the Output panel's current channel, as a person reading it would see it:
 * clicks into it, goes to the top (Ctrl+Home) and pages down to the end, collecting what is shown.
 * Wrapped lines come out as several; strip whitespace before looking for long tokens.
 */
export async function readOutputPanel(page: Page): Promise<string> {
  const lines = page.locator(`${OUTPUT_EDITOR} .view-lines`);
  await lines.waitFor({ state: 'visible', timeout: 10_000 });
  await lines.click();
  await page.keyboard.press('ControlOrMeta+Home');
  const pages: string[] = [];
  for (let i = 0; i < 500; i += 1) {
    const text = await visibleOutputText(page);
    if (pages.at(-1) === text) break;
    pages.push(text);
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(50);
  }
  return pages.join('\n');
}

/** Waits until the Output panel's visible text matches (after e.g. a "Show Log" command opened a channel). */
export async function waitForOutputText(page: Page, matcher: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await visibleOutputText(page).catch(() => '');
    if (matches(text, matcher)) return text;
    if (Date.now() > deadline) throw new Error(`the Output panel does not show ${String(matcher)} within ${timeoutMs} ms; it shows:\n${text}`);
    await page.waitForTimeout(200);
  }
}

// ---------------------------------------------------------------------------------------------
// Views, trees, webviews, modal dialogs and the Problems panel.

/** A regular expression that matches `text` exactly (for Playwright's hasText). */
export function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Opens a view container the way a person does: a click on its icon in the activity bar (only if it
 * is not the one shown already: a second click would close the side bar). Returns the side bar.
 */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const icon = page.locator(`.part.activitybar .action-item:has(> .action-label[aria-label="${title}"])`);
  await icon.waitFor({ state: 'visible', timeout: 20_000 });
  const sidebar = page.locator('.part.sidebar');
  const shownTitle = (await sidebar.isVisible()) ? await sidebar.locator('.composite.title .title-label h2').textContent() : '';
  if (!(await icon.evaluate((li) => li.classList.contains('checked'))) || !shownTitle?.startsWith(title)) {
    await icon.locator('.action-label').click();
  }
  await sidebar.locator('.composite.title .title-label h2', { hasText: title }).waitFor({ state: 'visible', timeout: 10_000 });
  return sidebar;
}

/** A tree row as a person reads it: label, description, depth, expanded or not. */
export interface TreeRowInfo {
  readonly label: string;
  readonly description: string;
  /** 1 for top-level rows. */
  readonly level: number;
  /** undefined for leaves. */
  readonly expanded: boolean | undefined;
  readonly selected: boolean;
}

/** The rows a tree inside `scope` renders right now (trees are virtualised: only what is scrolled into view). */
export async function treeRows(scope: Locator): Promise<TreeRowInfo[]> {
  return scope.locator('.monaco-list-row[role="treeitem"]').evaluateAll((rows) => rows.map((row) => {
    const expanded = row.getAttribute('aria-expanded');
    return {
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(row.getAttribute('aria-level') ?? '1'),
      expanded: expanded === null ? undefined : expanded === 'true',
      selected: row.getAttribute('aria-selected') === 'true',
    };
  }));
}

/** The row of a tree inside `scope` whose label is exactly `label`. */
export function treeRow(scope: Locator, label: string): Locator {
  return scope.locator('.monaco-list-row[role="treeitem"]').filter({ has: scope.page().locator('.label-name', { hasText: exactly(label) }) });
}

/** Polls the rendered rows of a tree until `done` says yes; fails with what the tree showed. */
export async function waitForTreeRows(
  page: Page, scope: Locator, done: (rows: TreeRowInfo[]) => boolean, what: string, timeoutMs = 20_000,
): Promise<TreeRowInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await treeRows(scope);
    if (done(rows)) return rows;
    if (Date.now() > deadline) {
      throw new Error(`the tree does not show ${what} within ${timeoutMs} ms; it shows:\n${rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}  ${r.description}`).join('\n') || '(no rows)'}`);
    }
    await page.waitForTimeout(200);
  }
}

/** Expands a collapsed tree row with a click on its twistie (a click on the label would also select it). */
export async function expandTreeRow(row: Locator): Promise<void> {
  // A refresh landing with the click can fold the row again: a person clicks again.
  for (let attempt = 0; ; attempt++) {
    if ((await row.getAttribute('aria-expanded')) !== 'false') return;
    await row.locator('.monaco-tl-twistie').click();
    try {
      await row.and(row.page().locator('[aria-expanded="true"]')).waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * The frame of the webview whose document has an element matching `selector`. A webview is an
 * `iframe.webview` holding the extension's page in `iframe#active-frame`; the frame is new every
 * time the webview is rendered again (e.g. after its editor was hidden), so look it up when needed.
 */
export async function webviewFrame(page: Page, selector: string, { hasText, timeoutMs = 20_000 }: { hasText?: string | RegExp; timeoutMs?: number } = {}): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await frame.locator(selector, hasText === undefined ? {} : { hasText }).count() > 0) return frame;
      } catch {
        // detached while looking
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no webview shows ${selector}${hasText === undefined ? '' : ` with text ${String(hasText)}`} within ${timeoutMs} ms (frames: ${page.frames().map((f) => f.url().slice(0, 100)).join(' | ')})`);
    }
    await page.waitForTimeout(200);
  }
}

/** A modal dialog as the workbench renders it. */
export interface DialogInfo {
  readonly message: string;
  readonly detail: string;
  readonly buttons: readonly string[];
}

const DIALOG = '.monaco-dialog-box';

/** The modal dialog shown right now, if any. */
export async function shownDialog(page: Page): Promise<DialogInfo | undefined> {
  return page.evaluate((selector) => {
    const box = document.querySelector<HTMLElement>(selector);
    if (!box?.checkVisibility()) return undefined;
    const text = (css: string) => (box.querySelector(css)?.textContent ?? '').trim();
    return {
      message: text('.dialog-message-text'),
      detail: text('.dialog-message-detail'),
      buttons: [...box.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => (b.textContent ?? '').trim()),
    };
  }, DIALOG);
}

/** Waits for a modal dialog whose message matches; fails with what was shown instead. */
export async function waitForDialog(page: Page, matcher: string | RegExp, timeoutMs = 20_000): Promise<DialogInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dialog = await shownDialog(page);
    if (dialog && matches(dialog.message, matcher)) return dialog;
    if (Date.now() > deadline) {
      throw new Error(`no dialog matching ${String(matcher)} within ${timeoutMs} ms (shown: ${dialog ? JSON.stringify(dialog) : 'none'})`);
    }
    await page.waitForTimeout(100);
  }
}

/** Clicks a button of the modal dialog and waits until the dialog is gone. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  await page.locator(`${DIALOG} .dialog-buttons .monaco-button`, { hasText: exactly(label) }).click();
  await page.locator(DIALOG).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** A row of the Problems panel: a file (resource) or one of its problems (marker). */
export interface ProblemRow {
  readonly kind: 'resource' | 'marker';
  /** What the row shows, e.g. `Statsig: sql: Parser Error: …Statsig dry run[Ln 3, Col 11]`. */
  readonly text: string;
  /** What a screen reader says, e.g. `Error: <message> at line 3 and character 11. generated by Statsig dry run`. */
  readonly ariaLabel: string;
}

/** Opens the Problems panel the way a person does (View: Focus Problems), unless it is shown already. */
export async function openProblemsPanel(page: Page): Promise<Locator> {
  const panel = page.locator('.part.panel .markers-panel');
  if (!(await panel.isVisible())) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  }
  return panel;
}

/** The rows the Problems panel shows right now (files at level 1, their problems at level 2). */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  return page.locator('.part.panel .markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((row) => ({
    kind: row.getAttribute('aria-level') === '1' ? 'resource' as const : 'marker' as const,
    text: (row.textContent ?? '').trim(),
    ariaLabel: row.getAttribute('aria-label') ?? '',
  })));
}

/** Waits until the Problems panel lists a problem whose text matches; returns the rows it showed. */
export async function waitForProblem(page: Page, matcher: string | RegExp, timeoutMs = 20_000): Promise<ProblemRow[]> {
  await openProblemsPanel(page);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await problemRows(page);
    if (rows.some((r) => r.kind === 'marker' && (matches(r.text, matcher) || matches(r.ariaLabel, matcher)))) return rows;
    if (Date.now() > deadline) {
      throw new Error(`the Problems panel lists no problem matching ${String(matcher)} within ${timeoutMs} ms; it shows:\n${rows.map((r) => `${r.kind}: ${r.ariaLabel || r.text}`).join('\n') || '(nothing)'}`);
    }
    await page.waitForTimeout(200);
  }
}

/** The active editor tab: its label and whether it shows unsaved changes (the dirty dot). */
export async function activeTab(page: Page): Promise<{ label: string; dirty: boolean }> {
  const tab = page.locator('.part.editor .editor-group-container.active .tab.active');
  return {
    label: (await tab.getAttribute('aria-label')) ?? '',
    dirty: ((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('dirty'),
  };
}

/** Waits until the active tab's dirty state is `dirty`. */
export async function waitForTabDirty(page: Page, dirty: boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tab = await activeTab(page);
    if (tab.dirty === dirty) return;
    if (Date.now() > deadline) throw new Error(`the tab "${tab.label}" is ${tab.dirty ? 'still dirty' : 'not dirty'} after ${timeoutMs} ms`);
    await page.waitForTimeout(50);
  }
}

/** Closes the notification centre if it is open (it covers part of the editor in screenshots). */
export async function closeNotificationCentre(page: Page): Promise<void> {
  const centre = page.locator(`${CENTRE}.visible`);
  if (!(await centre.isVisible())) return;
  // It may close by itself in between (its last notification gone): only a centre still open fails.
  await centre.locator('.codicon-notifications-hide').click({ timeout: 3_000 }).catch(async (error: unknown) => {
    if (await centre.isVisible()) throw error;
  });
  await centre.waitFor({ state: 'hidden', timeout: 5_000 });
}

/**
 * Hovers `target` until `tooltip` shows, as a person wiggling the mouse would: the workbench shows a
 * tooltip only after a delay and drops it when the element under the mouse is rendered anew (a tree
 * refreshing), so the mouse leaves and comes back until it shows or `timeoutMs` has passed.
 */
export async function hoverUntilVisible(page: Page, target: Locator, tooltip: Locator, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.mouse.move(0, 0);
    await target.hover();
    try {
      await tooltip.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(3_000, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

/** An action in the title bar of the active editor group (its tooltip starts with `title`). */
export function editorTitleAction(page: Page, title: string): Locator {
  return page.locator(`.part.editor .editor-group-container.active .title .editor-actions .action-label[aria-label^="${title}"]`);
}

/** Reads until `done` says yes (every 100 ms, for `timeoutMs`); fails with `what` and the last value read. */
export async function waitForValue<T>(page: Page, read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    await page.waitForTimeout(100);
  }
}
