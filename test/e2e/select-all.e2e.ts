// Select All, then type: a person clicks into a field of a source's editor, presses Ctrl+A and types
// a new value at their own pace, in a text field and in the SQL editor. Every character typed lands;
// none is lost to the workbench's own Select All (which VS Code runs for a Ctrl+A it sees and sends
// back into the webview a moment later — it used to select what had been typed since).
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import { connectAndOpenSource, editorSql, formControl } from './statsig.ts';

const LABEL = 'E2E Select All';
const SOURCE = 'user_signups';

export default defineScenario({
  description: 'a person presses Ctrl+A in a form field and in the SQL editor of a source and types a new value at several typing speeds; every character lands',
  timeoutSeconds: 180,
  async run({ page, api, screenshot, log }) {
    const { frame } = await connectAndOpenSource(page, api, LABEL, 'Metric Sources', SOURCE);

    const field = formControl(frame, 'timestampColumn');
    await field.waitFor({ state: 'visible', timeout: 10_000 });
    const results: string[] = [];
    // From fast to a person's pace: the workbench's Select All came back ~50–150 ms after the key.
    for (const [i, delay] of [15, 40, 80, 120, 200].entries()) {
      const typed = `ts_column_${i}`;
      await field.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(typed, { delay });
      await page.waitForTimeout(400); // past any late Select All
      const shown = await field.inputValue();
      results.push(`${delay} ms/key: ${JSON.stringify(shown)}`);
      assert.equal(shown, typed, `after Ctrl+A, typing ${JSON.stringify(typed)} at ${delay} ms per key shows ${JSON.stringify(shown)}`);
    }
    log(`text field: ${results.join('; ')}`);

    const sql = 'SELECT user_id, event_ts FROM analytics.signups';
    await frame.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(sql, { delay: 60 });
    await page.waitForTimeout(400);
    assert.equal(await editorSql(frame), sql, 'after Ctrl+A in the SQL editor, every typed character is there');
    log(`SQL editor: ${JSON.stringify(await editorSql(frame))}`);
    await screenshot('typed');
  },
});
