// A person connects the extension to Statsig: Command Palette → "Statsig WHN: Set API Key", types a
// key into the password box, presses Enter. A wrong key is rejected inside the box (it stays open
// with the reason, so the person pastes another key) and nothing is stored; the right
// key is checked against the Console API (the emulator here) and kept in SecretStorage only — not in
// settings.json, not in any file of the server's user-data dir (logs included), not in the Output
// channel. Sign Out removes it, and a wrong key is still rejected afterwards.
//
// The connect flow may ask for a project label after an accepted key (several projects); the
// scenario accepts the prefilled label, and picks the first project if Sign Out asks which one.
// Notifications are looked for as toasts, else in the notification centre: this harness's workbench
// shows no toasts at all (see findNotification in workbench.ts).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import {
  answerInputBox, clearNotifications, findNotification, quickInputState, readOutputPanel, renderedNotifications,
  runCommand, visibleOutputText, waitForNotification, waitForOutputText, waitForQuickInput, type NotificationInfo,
} from './workbench.ts';

const SET_API_KEY = 'Statsig WHN: Set API Key…';
const SIGN_OUT = 'Statsig WHN: Sign Out…';
const SHOW_LOG = 'Statsig WHN: Show Log';
const KEY_BOX = 'Statsig: Set Console API Key';
const WRONG_KEY = 'console-fake-wrongKey';
const CONNECTED = /^Connected to Statsig/;
const REJECTED = /rejected this key/;
const SIGNED_OUT = /^Signed out/;
const STORED_LINE = /API key stored/;

/** Every file under `dir` (recursively) whose bytes contain `needle`, relative to `dir`. */
function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      continue; // removed while walking (log rotation, caches)
    }
    if (content.includes(bytes)) hits.push(relative(dir, path));
  }
  return hits;
}

/** Waits until some file under `dir` contains `needle` (VS Code writes log files asynchronously). */
async function waitForFileText(page: Page, dir: string, needle: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hits = filesContaining(dir, needle);
    if (hits.length > 0 || Date.now() > deadline) return hits;
    await page.waitForTimeout(200);
  }
}

/** Text with every whitespace removed: a key wrapped over two Output lines is still found. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The status bar items' labels (logged, not asserted: the extension's status item is being built). */
async function statusBarText(page: Page): Promise<string> {
  const labels = await page.locator('.part.statusbar .statusbar-item').evaluateAll((items) =>
    items.map((item) => (item.querySelector('.statusbar-item-label')?.getAttribute('aria-label') ?? item.textContent ?? '').replace(/&nbsp;|\u00a0/g, ' ').trim()));
  return labels.filter((label) => /statsig/i.test(label)).join(' | ') || '(no Statsig item)';
}

/**
 * Types `key` into the open key box and presses Enter, expecting a rejection: the box stays open
 * with the reason as its validation message, no label is asked for, no notification is raised.
 */
async function expectRejectedInBox(page: Page, key: string): Promise<string> {
  const box = await waitForQuickInput(page, KEY_BOX);
  assert.ok(box.password, 'the key is asked for in a password box');
  await page.locator('.quick-input-widget .quick-input-box input').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(key, { delay: 10 });
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await quickInputState(page);
    assert.ok(now, 'the key box closed after a rejected key');
    assert.equal(now.title, KEY_BOX, 'another box replaced the key box after a rejected key');
    if (REJECTED.test(now.message)) {
      assert.deepEqual((await renderedNotifications(page)).filter((n) => n.severity === 'error'), [], 'the rejection also went to a notification');
      return now.message;
    }
    if (Date.now() > deadline) assert.fail(`the key box never said the key was rejected (message: "${now.message}")`);
    await page.waitForTimeout(150);
  }
}

/**
 * After a key was entered: the first of a "label" input box (answered with its prefilled value), the
 * notification matching `expected`, or an error notification that does not (fails at once with it).
 */
async function waitForOutcome(
  page: Page,
  expected: RegExp,
  { onLabelBox, timeoutMs = 20_000 }: { onLabelBox?: () => Promise<unknown>; timeoutMs?: number } = {},
): Promise<{ notification: NotificationInfo; labelAsked: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let labelAsked = false;
  for (;;) {
    const input = await quickInputState(page);
    if (input && /label/i.test(`${input.title}\n${input.message}`)) {
      labelAsked = true;
      await onLabelBox?.();
      await answerInputBox(page, /label/i);
      continue;
    }
    const notification = await findNotification(page, expected);
    if (notification) return { notification, labelAsked };
    const error = (await renderedNotifications(page)).find((n) => n.severity === 'error');
    if (error) assert.fail(`expected a notification matching ${String(expected)}, got an error: ${error.message}`);
    if (Date.now() > deadline) await waitForNotification(page, expected, 0); // fails, listing what is shown
    await page.waitForTimeout(200);
  }
}

export default defineScenario({
  description: 'a person sets the API key from the command palette: a wrong key is rejected, the right one connects and is never written to settings, logs or the Output channel; Sign Out disconnects',
  timeoutSeconds: 180,
  async run({ page, api, userDataDir, screenshot, log }) {
    // 1. A wrong key: the box says Statsig rejected it and stays open; nothing is stored.
    await runCommand(page, SET_API_KEY);
    await screenshot('password-box');
    const rejected = await expectRejectedInBox(page, WRONG_KEY);
    log(`wrong key → the box stays open: "${rejected}"`);
    await screenshot('rejected');

    // 2. The right key, pasted into the same box: "Connected to Statsig" (after the label box).
    await answerInputBox(page, KEY_BOX, api.key);
    const connected = await waitForOutcome(page, CONNECTED, { onLabelBox: () => screenshot('label-box') });
    assert.equal(connected.notification.severity, 'info');
    log(`right key → ${connected.notification.message}${connected.labelAsked ? ' (label box answered)' : ''}`);
    log(`status bar: ${await statusBarText(page)}`);
    await screenshot('connected');
    await clearNotifications(page);

    // 3. The Output channel says the key was stored and never shows it.
    await runCommand(page, SHOW_LOG);
    const visible = await waitForOutputText(page, STORED_LINE);
    await screenshot('output');
    assert.ok(!squeeze(visible).includes(api.key), 'the Output panel shows the API key');
    const whole = await readOutputPanel(page);
    assert.ok(!squeeze(whole).includes(api.key), 'the Output channel contains the API key (found while scrolling through it)');
    assert.ok(!squeeze(whole).includes(WRONG_KEY), 'the Output channel contains the rejected key');
    log(`Output channel: ${whole.split('\n').length} lines read, the key is not among them; "${visible.split('\n').find((l) => STORED_LINE.test(l))?.trim()}"`);

    // 4. Not in the user settings, nor anywhere in the server's user-data dir (logs included), once the
    //    "stored" line has reached the log file on disk.
    const settingsPath = join(userDataDir, 'User', 'settings.json');
    const settings = readFileSync(settingsPath, 'utf8');
    assert.ok(!settings.includes(api.key), `${settingsPath} contains the API key`);
    const parsed = JSON.parse(settings) as Record<string, unknown>;
    assert.equal(parsed['statsigWhn.apiBaseUrl'], api.url, 'settings.json no longer points the extension at the emulator');
    const logged = await waitForFileText(page, userDataDir, 'API key stored');
    assert.ok(logged.length > 0, `no log file under ${userDataDir} has the "API key stored" line`);
    assert.deepEqual(filesContaining(userDataDir, api.key), [], `files under ${userDataDir} contain the API key`);
    assert.deepEqual(filesContaining(userDataDir, WRONG_KEY), [], `files under ${userDataDir} contain the rejected key`);
    log(`settings.json and ${readdirSync(userDataDir, { recursive: true }).length} entries under the user-data dir: no key (log with the stored line: ${logged.join(', ')})`);

    // 5. Sign Out (picking the first project if asked which): "Signed out".
    await runCommand(page, SIGN_OUT);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const input = await quickInputState(page);
      if (input && input.rows.length > 0) {
        log(`Sign Out asks "${input.title || input.placeholder}": ${input.rows.join(' | ')}; picking the first`);
        await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().click();
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
      }
      if (await findNotification(page, SIGNED_OUT)) break;
      if (Date.now() > deadline) await waitForNotification(page, SIGNED_OUT, 0);
      await page.waitForTimeout(200);
    }
    const signedOut = await waitForNotification(page, SIGNED_OUT);
    log(`Sign Out → ${signedOut.message}; status bar: ${await statusBarText(page)}`);
    await screenshot('signed-out');
    await clearNotifications(page);

    // 6. Nothing of the old key lingers in a cached client: a wrong key is still rejected.
    await runCommand(page, SET_API_KEY);
    log(`wrong key after Sign Out → "${await expectRejectedInBox(page, WRONG_KEY)}"`);
    await page.keyboard.press('Escape');
    assert.deepEqual(filesContaining(userDataDir, api.key), [], `files under ${userDataDir} contain the API key (after Sign Out)`);
    assert.ok(!squeeze(await visibleOutputText(page).catch(() => '')).includes(api.key));
  },
});
