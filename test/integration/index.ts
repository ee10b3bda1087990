// Entry point VS Code loads as `extensionTestsPath`. scripts/vscode/build-tests.mjs bundles this
// file to out/test/index.cjs and every `test/integration/**/*.test.ts` to its own
// out/test/**/*.test.cjs next to it; `run()` hands every one of those to Mocha (tdd UI: `suite`,
// `test`, `suiteSetup`, ...). Adding a test file is all it takes to add tests.
//
// The same bundle runs under both launchers (scripts/vscode/run-integration.mjs): the offline one
// (VS Code server + Chromium) and @vscode/test-electron (VS Code desktop, online machines).
// STATSIG_WHN_TEST_GREP (in the extension host's environment) runs only the matching tests.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.cjs'))
    .sort()
    .map((file) => join(dir, file));
}

/**
 * Promise rejections nobody handled, raised by the extension's own code (its bundle is in the stack):
 * each one is a failure the user never heard of. Collected for the whole run; any fails it.
 */
function watchUnhandledRejections(): () => string[] {
  const ours: string[] = [];
  const listener = (reason: unknown) => {
    const stack = reason instanceof Error ? reason.stack ?? reason.message : String(reason);
    if (/[\\/]dist[\\/](main|extension)\.cjs/.test(stack)) ours.push(stack.split('\n').slice(0, 4).join(' | '));
  };
  process.on('unhandledRejection', listener);
  return () => {
    process.off('unhandledRejection', listener);
    return ours;
  };
}

export async function run(): Promise<void> {
  const unhandled = watchUnhandledRejections();
  console.log(
    `[integration] VS Code ${vscode.version} (${vscode.env.appHost}), extension host Node ${process.version}`,
  );
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 30_000 });
  const grep = process.env.STATSIG_WHN_TEST_GREP;
  if (grep) mocha.grep(grep);
  // Bundled as CommonJS, so __dirname is the out/test directory holding the test bundles.
  const files = testFiles(__dirname);
  if (files.length === 0) throw new Error(`No *.test.cjs files next to ${__dirname}: run scripts/vscode/build-tests.mjs`);
  for (const file of files) mocha.addFile(file);

  const { failures, passes, pending } = await new Promise<{ failures: number; passes: number; pending: number }>(
    (resolve, reject) => {
      try {
        const runner = mocha.run((failureCount) => {
          resolve({ failures: failureCount, passes: runner.stats?.passes ?? 0, pending: runner.stats?.pending ?? 0 });
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  );
  console.log(`[integration] ${passes} passed, ${failures} failed, ${pending} pending (${files.length} files)`);
  const rejections = unhandled();
  for (const r of rejections) console.log(`[integration] unhandled promise rejection in the extension: ${r}`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  if (rejections.length > 0) throw new Error(`${rejections.length} unhandled promise rejection(s) in the extension's own code`);
  if (passes === 0) throw new Error('No integration test ran');
}
