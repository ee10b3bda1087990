// Smoke tests: the extension loads in a real VS Code and its manifest matches what it registers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, COMMAND_PREFIX, EXTENSION_ID, manifestCommandIds, manifestViewIds, testEnv } from './helpers.ts';

suite('Smoke', () => {
  test(`${EXTENSION_ID} activates without errors`, async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
  });

  test('every command in package.json is registered', async () => {
    const extension = await activateExtension();
    const declared = manifestCommandIds(extension);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });

  test(`every registered ${COMMAND_PREFIX}* command is in package.json`, async () => {
    const extension = await activateExtension();
    const declared = new Set(manifestCommandIds(extension));
    // VS Code itself registers `<viewId>.focus`, `.open`, … for every contributed view.
    const views = manifestViewIds(extension).map((id) => `${id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith(COMMAND_PREFIX) && !views.some((v) => id.startsWith(v)));
    const undeclared = registered.filter((id) => !declared.has(id));
    assert.deepEqual(undeclared, [], `registered but not declared in package.json: ${undeclared.join(', ')}`);
  });
});

suite('Harness', () => {
  test('the launcher hands the Console API emulator URL and key to the extension host', async () => {
    assert.ok(testEnv.apiKey, 'STATSIG_WHN_TEST_API_KEY is not set in the extension host');
    assert.match(testEnv.apiUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+/, 'STATSIG_WHN_TEST_API_URL is not a loopback URL');
    // Any HTTP answer proves the emulator is up and reachable from the extension host.
    const response = await fetch(testEnv.apiUrl ?? '', { signal: AbortSignal.timeout(5000) });
    assert.ok(response.status > 0);
  });
});
