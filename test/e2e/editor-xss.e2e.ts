// Someone sets an assignment source's description on Statsig to an HTML payload. A person connects,
// hovers the source in the tree and opens it: the tooltip and the editor's form show the text as
// text; no element is made from it, in the webview or in the workbench, and its script never runs.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { defineScenario } from './scenario.ts';
import {
  VIEW_CONTAINER, connectFromPalette, consoleOk, formControl, openSourceFromTree, resetEmulator, showSourceInTree,
  waitForGroupCounts,
} from './statsig.ts';
import { clearNotifications, closeNotificationCentre, hoverUntilVisible, openViewContainer } from './workbench.ts';

const LABEL = 'E2E XSS';
const PAYLOAD = '<img src=x onerror="window.__xss=1">';
/** Also as a tag: tags are drawn as chips (DOM the webview builds itself), in the tree and the tooltip too. */
const TAG_PAYLOAD = '<b onmouseover="window.__xss=2">bold</b>';

/** What a frame's document holds that the payload could have made. */
function inspect(frame: Frame): Promise<{ imgs: number; xss: unknown; url: string }> {
  return frame.evaluate(() => ({
    imgs: document.querySelectorAll('img[src="x"], img[onerror], b[onmouseover]').length,
    xss: (window as unknown as { __xss?: unknown }).__xss,
    url: location.href,
  }));
}

export default defineScenario({
  description: 'an assignment source whose description and one tag are HTML payloads shows them as text in the tree, its tooltip and the source editor; nothing of them runs',
  timeoutSeconds: 150,
  async run({ page, api, screenshot, log }) {
    await resetEmulator(api);

    // 1. On Statsig, someone writes the payload into an assignment source's description.
    const { data } = await consoleOk(api, 'GET', '/console/v1/experiments/assignment_sources');
    const names = (data as { name: string }[]).map((s) => s.name);
    const name = names[0];
    assert.ok(name, 'the emulator lists no assignment source');
    await consoleOk(api, 'PATCH', `/console/v1/experiments/assignment_source/${encodeURIComponent(name)}`, { description: PAYLOAD, tags: ['core', TAG_PAYLOAD] });
    const { data: stored } = await consoleOk(api, 'GET', '/console/v1/experiments/assignment_sources');
    const after = (stored as { name: string; description?: string; tags?: string[] }[]).find((s) => s.name === name);
    assert.equal(after?.description, PAYLOAD);
    assert.deepEqual(after.tags, ['core', TAG_PAYLOAD]);
    log(`assignment sources: ${names.join(', ')}; "${name}" now has description ${PAYLOAD} and tag ${TAG_PAYLOAD}`);

    // 2. Connect and find it in the tree; its tooltip shows the description as text.
    const sidebar = await connectFromPalette(page, api, LABEL);
    await clearNotifications(page);
    await openViewContainer(page, VIEW_CONTAINER);
    await waitForGroupCounts(page, sidebar);
    const row = await showSourceInTree(page, sidebar, 'Assignment Sources', name);
    const rowDescription = (await row.locator('.label-description').textContent()) ?? '';
    assert.equal(rowDescription, `#core #${TAG_PAYLOAD}`, 'the tree row shows the tags as text');
    assert.equal(await row.locator('b').count(), 0, 'the tree row rendered the tag as HTML');
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: PAYLOAD });
    await hoverUntilVisible(page, row, hover.first());
    assert.equal(await page.locator('.monaco-hover img, .workbench-hover img').count(), 0, 'the tooltip rendered an image');
    log(`tree tooltip: ${(await hover.first().innerText()).split('\n').slice(0, 4).join(' | ')}`);
    await page.mouse.move(800, 880); // away from the tree, so the tooltip closes
    await hover.first().waitFor({ state: 'hidden', timeout: 10_000 });

    // 3. Open it: the form shows the payload as the description's text.
    const frame = await openSourceFromTree(page, row, name);
    const description = formControl(frame, 'description');
    await description.waitFor({ state: 'visible', timeout: 10_000 });
    const deadline = Date.now() + 10_000;
    while ((await description.inputValue()) !== PAYLOAD && Date.now() < deadline) await page.waitForTimeout(100);
    assert.equal(await description.inputValue(), PAYLOAD, 'the description field does not show the payload as text');
    assert.equal(await description.evaluate((e) => e.tagName), 'TEXTAREA');
    const chips = await frame.locator('.tag-list .tag-text').allTextContents();
    assert.deepEqual(chips, ['core', TAG_PAYLOAD], 'the tag chips do not show the tags as text');
    await description.scrollIntoViewIfNeeded();

    // 4. Nothing was made of it: no <img> in the webview's page (nor its host frame, nor the workbench),
    //    and its onerror never ran.
    const inner = await inspect(frame);
    assert.equal(inner.imgs, 0, 'the webview has an <img> made from the payload');
    assert.equal(inner.xss, undefined, 'the payload\'s onerror ran in the webview');
    assert.equal(await frame.locator('img').count(), 0, 'the webview has an <img> element');
    await frame.locator('.tag-list .tag-text', { hasText: 'bold' }).hover(); // the tag's onmouseover, were it an element
    assert.equal((await inspect(frame)).xss, undefined, 'the tag payload ran in the webview');
    const host = frame.parentFrame();
    if (host) {
      const outer = await inspect(host);
      assert.equal(outer.imgs, 0, 'the webview host frame has an <img> made from the payload');
      assert.equal(outer.xss, undefined, 'the payload\'s onerror ran in the webview host frame');
    }
    const workbench = await inspect(page.mainFrame());
    assert.equal(workbench.imgs, 0, 'the workbench has an <img> made from the payload');
    assert.equal(workbench.xss, undefined, 'the payload\'s onerror ran in the workbench');
    log(`webview: description textarea value is the payload, tag chips ${JSON.stringify(chips)}, 0 <img>/<b>, window.__xss ${String(inner.xss)}; host frame and workbench: none either, __xss undefined`);
    await closeNotificationCentre(page);
    await screenshot('editor-xss');
  },
});
