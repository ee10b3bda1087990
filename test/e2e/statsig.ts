// Steps the extension's scenarios share: the emulator's REST API (to prepare and check data), connecting
// a project, the Sources view and the source editor (a webview). Generic workbench helpers live in
// workbench.ts; this file knows the extension's labels and DOM.
import * as assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import type { ScenarioContext } from './scenario.ts';
import {
  answerInputBox, clearNotifications, exactly, expandTreeRow, findNotification, openViewContainer, quickInputState, renderedNotifications, runCommand,
  treeRow, waitForNotification, waitForQuickInput, waitForTreeRows, webviewFrame, type NotificationInfo, type TreeRowInfo, editorTitleAction,
} from './workbench.ts';

export const VIEW_CONTAINER = 'Statsig WHN';
export const SET_API_KEY = 'Statsig WHN: Set API Key…';
export const KEY_BOX = 'Statsig: Set Console API Key';
export const LABEL_BOX = 'Statsig: Label for this project';
/** The Sources view's groups, in the order the tree shows them. */
export const GROUPS = ['Assignment Sources', 'Entity Property Sources', 'Qualifying Events', 'Metric Sources', 'Ingestion Sources'] as const;

type Api = ScenarioContext['api'];

// ---------------------------------------------------------------------------------------------
// The Console API emulator, spoken to directly (the way another Statsig user, or the test, would).

export async function consoleRequest(api: Api, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      'STATSIG-API-KEY': api.key,
      'STATSIG-API-VERSION': '20240601',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Like consoleRequest, but fails unless the answer is a 2xx; returns the body's `data` and `pagination`. */
export async function consoleOk(api: Api, method: string, path: string, body?: unknown): Promise<{ data: unknown; pagination: Record<string, unknown> | undefined }> {
  const answer = await consoleRequest(api, method, path, body);
  assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const envelope = answer.body as { data?: unknown; pagination?: Record<string, unknown> };
  return { data: envelope.data, pagination: envelope.pagination };
}

/** The number of items a list endpoint reports (`pagination.totalItems` of a one-item page). */
export async function listCount(api: Api, listPath: string): Promise<number> {
  const { pagination } = await consoleOk(api, 'GET', `${listPath}?page=1&limit=1`);
  const total = pagination?.['totalItems'];
  assert.equal(typeof total, 'number', `${listPath} answered no pagination.totalItems: ${JSON.stringify(pagination)}`);
  return total as number;
}

/** Puts the emulator back to a seed, so a scenario does not depend on what ran before it. */
export async function resetEmulator(api: Api, seed = 'default'): Promise<void> {
  const response = await fetch(`${api.url}/__emulator/reset`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-token': api.controlToken }, body: JSON.stringify({ seed }),
  });
  assert.equal(response.status, 200, `POST /__emulator/reset answered ${response.status}: ${await response.text()}`);
}

// ---------------------------------------------------------------------------------------------
// Connecting.

/**
 * Answers the password box that Connect / Set API Key opened, then the label box, and waits for
 * "Connected to Statsig project "<label>"". Fails at once on an error notification.
 */
export async function answerConnectBoxes(
  page: Page, key: string, label: string,
  { onPasswordBox, onLabelBox }: { onPasswordBox?: () => Promise<unknown>; onLabelBox?: () => Promise<unknown> } = {},
): Promise<NotificationInfo> {
  const box = await waitForQuickInput(page, KEY_BOX);
  assert.equal(box.title, KEY_BOX);
  assert.ok(box.password, 'the key is asked for in a password box');
  await onPasswordBox?.();
  await answerInputBox(page, KEY_BOX, key);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const input = await quickInputState(page);
    if (input?.title === LABEL_BOX) break;
    const error = (await renderedNotifications(page)).find((n) => n.severity === 'error');
    if (error) assert.fail(`connecting failed: ${error.message}`);
    if (Date.now() > deadline) await waitForQuickInput(page, LABEL_BOX, 0); // fails, saying what is shown
    await page.waitForTimeout(100);
  }
  await onLabelBox?.();
  await answerInputBox(page, LABEL_BOX, label);
  const connected = new RegExp(`^Connected to Statsig project "${label}"`);
  const deadline2 = Date.now() + 20_000;
  for (;;) {
    const found = await findNotification(page, connected);
    if (found) return found;
    const error = (await renderedNotifications(page)).find((n) => n.severity === 'error');
    if (error) assert.fail(`connecting failed: ${error.message}`);
    if (Date.now() > deadline2) return waitForNotification(page, connected, 0);
    await page.waitForTimeout(200);
  }
}

/** Connects through the command palette (Set API Key) and shows the Statsig view; returns the side bar. */
export async function connectFromPalette(page: Page, api: Api, label: string): Promise<Locator> {
  await runCommand(page, SET_API_KEY);
  await answerConnectBoxes(page, api.key, label);
  return openViewContainer(page, VIEW_CONTAINER);
}

// ---------------------------------------------------------------------------------------------
// The Sources view.

/** Waits until the view shows the five groups, each with a count; returns the rows. */
export async function waitForGroupCounts(page: Page, sidebar: Locator, timeoutMs = 30_000): Promise<TreeRowInfo[]> {
  const rows = await waitForTreeRows(page, sidebar, (all) => {
    const groups = all.filter((r) => r.level === 1);
    return GROUPS.every((g) => groups.some((r) => r.label === g && /^\d+$/.test(r.description)));
  }, `the ${GROUPS.length} groups with a count each`, timeoutMs);
  return rows.filter((r) => r.level === 1);
}

/** The count a group shows, e.g. 5 for "Metric Sources 5". */
export function groupCount(rows: readonly TreeRowInfo[], group: string): number {
  const row = rows.find((r) => r.level === 1 && r.label === group);
  assert.ok(row, `no "${group}" group in the tree`);
  return Number(row.description);
}

/** Expands a group (twistie) and waits until `source` is listed under it; returns the row. */
export async function showSourceInTree(page: Page, sidebar: Locator, group: string, source: string): Promise<Locator> {
  const groupRow = treeRow(sidebar, group);
  await expandTreeRow(groupRow);
  // A refresh landing right after the click (a draft saved a moment ago) can fold the group again:
  // a person would open it again.
  await waitForTreeRows(page, sidebar, (rows) => {
    if (!rows.some((r) => r.level === 1 && r.label === group && r.expanded === false)) return rows.some((r) => r.level === 2 && r.label === source);
    void expandTreeRow(groupRow).catch(() => undefined);
    return false;
  }, `"${source}" under "${group}"`);
  return treeRow(sidebar, source);
}

// ---------------------------------------------------------------------------------------------
// The source editor (a webview: toolbar, status line, CodeMirror for the SQL, a form for the rest).

/**
 * The frame of the source editor showing `name`. The webview is rendered again (a new frame) each
 * time its tab comes back into view, so look it up again after the editor was hidden.
 */
export function sourceEditorFrame(page: Page, name: string, timeoutMs = 20_000): Promise<Frame> {
  return webviewFrame(page, 'header.toolbar h1', { hasText: exactly(name), timeoutMs });
}

/** Clicks a source in the tree and waits until its editor shows CodeMirror with the SQL. */
export async function openSourceFromTree(page: Page, row: Locator, name: string): Promise<Frame> {
  await row.click();
  const frame = await sourceEditorFrame(page, name, 30_000);
  await frame.locator('.cm-editor .cm-content').waitFor({ state: 'visible', timeout: 20_000 });
  return frame;
}

/** The SQL CodeMirror shows. */
export function editorSql(frame: Frame): Promise<string> {
  return frame.locator('.cm-content').evaluate((content) => (content as HTMLElement).innerText.replace(/\u00a0/g, ' ').replace(/\n$/, ''));
}

/** The editor's status line ("Dry run passed 12:04.", "Dry run failed: 1 problem.", …). */
export async function editorStatus(frame: Frame): Promise<string> {
  return ((await frame.locator('p.status').textContent()) ?? '').trim();
}

/**
 * Waits until the status line of `name`'s editor matches (looking the frame up again if the webview
 * was rendered anew). Fails with the last status seen.
 */
export async function waitForEditorStatus(page: Page, name: string, matcher: RegExp, timeoutMs = 30_000): Promise<{ frame: Frame; status: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '(no editor)';
  for (;;) {
    try {
      const frame = await sourceEditorFrame(page, name, 2_000);
      last = await editorStatus(frame);
      if (matcher.test(last)) return { frame, status: last };
    } catch {
      // the webview is being rendered again
    }
    if (Date.now() > deadline) throw new Error(`the editor of "${name}" does not say ${String(matcher)} within ${timeoutMs} ms; its status line says: ${last}`);
    await page.waitForTimeout(100);
  }
}

/**
 * Replaces the whole SQL by typing, as a person does: a click into CodeMirror, select everything
 * with Ctrl+Home then Ctrl+Shift+End, type. Not Ctrl+A: in a webview VS Code also runs its own
 * "Select All" for Ctrl+A and sends it back into the page a moment later, which (at machine typing
 * speed) selects the first typed character again so the next one replaces it.
 * Waits until CodeMirror shows exactly `sql`.
 */
export async function replaceSql(page: Page, frame: Frame, sql: string): Promise<void> {
  await frame.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.type(sql, { delay: 15 });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const shown = await editorSql(frame);
    if (shown === sql) return;
    if (Date.now() > deadline) assert.fail(`CodeMirror shows ${JSON.stringify(shown)} after typing ${JSON.stringify(sql)}`);
    await page.waitForTimeout(50);
  }
}

/** The form control of a top-level field, by its JSON key (`description`, `timestampColumn`, …). */
export function formControl(frame: Frame, key: string): Locator {
  return frame.locator(`[data-focus-key='${JSON.stringify([key])}']`);
}

/** Clicks a button of the editor's toolbar (Save, Push, Open as JSON). */
export async function clickToolbarButton(frame: Frame, label: 'Save' | 'Push' | 'Open as JSON'): Promise<void> {
  await frame.locator('header.toolbar .toolbar-actions button', { hasText: label }).click();
}

/** With the push diff open: Push This Diff… in its title bar, as a person does after reading it (the modal comes next). */
export async function pushFromDiff(page: Page): Promise<void> {
  const button = editorTitleAction(page, 'Push This Diff…');
  await button.waitFor({ state: 'visible', timeout: 20_000 });
  await button.click();
}

/**
 * The start most scenarios share: the emulator's default project, connected as `label` through the
 * palette, notifications cleared, the Statsig view open with its counts loaded, and `source` (in
 * `group`) opened in the source editor from the tree.
 */
export async function connectAndOpenSource(page: Page, api: Api, label: string, group: string, source: string): Promise<{ sidebar: Locator; frame: Frame }> {
  await resetEmulator(api);
  const sidebar = await connectFromPalette(page, api, label);
  await clearNotifications(page);
  await openViewContainer(page, VIEW_CONTAINER);
  await waitForGroupCounts(page, sidebar);
  const frame = await openSourceFromTree(page, await showSourceInTree(page, sidebar, group, source), source);
  return { sidebar, frame };
}
