// The workbench loads with the extension; a person opens the command palette, types "Statsig" and
// sees the extension's commands.
import * as assert from 'node:assert/strict';
import { defineScenario } from './scenario.ts';
import { findInCommandPalette, manifestCommandLabels } from './workbench.ts';

export default defineScenario({
  description: 'the command palette lists the extension\'s always-available commands when a person types "Statsig" (the others need a key or an open source)',
  async run({ page, repoRoot, log }) {
    const expected = manifestCommandLabels(repoRoot, { unconditional: true });
    assert.ok(expected.length > 0, 'package.json declares no commands');
    const { rows, missing } = await findInCommandPalette(page, 'Statsig', expected);
    log(`command palette rows: ${rows.join(' | ')}`);
    assert.deepEqual(missing, [], `not listed in the command palette: ${missing.join(', ')}`);
    // The screenshot taken after the scenario shows the palette open with these rows.
  },
});
