// The loader. Activation registers every command and provider of the contribution table
// (src/contributions.ts) with a stand-in and returns; the implementation (dist/main.cjs: zod, the
// client, the features) loads right after, off the activation path, and the stand-ins wait for it
// on first use. Activation does no network.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerStandIns } from './contributions.ts';
import type * as Main from './main.ts';
import type { Implementation, TestingApi } from './main.ts';
import { showError } from './platform/notify.ts';
import { errorMessage } from './core/errors.ts';

/** What activate() returns in the extension's own tests (ExtensionMode.Test) only. */
export interface TestingExports {
  testing(): Promise<TestingApi>;
  /** performance.now() when activate() was entered and when it returned. */
  readonly activation: { readonly startedAt: number; readonly endedAt: number };
}

export function activate(context: vscode.ExtensionContext): TestingExports | undefined {
  const startedAt = performance.now();
  let loading: Promise<Implementation> | undefined;
  const impl = (): Promise<Implementation> => {
    loading ??= Promise.resolve().then(() => {
      // A runtime path, so the bundler leaves the implementation in its own file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require(join(__dirname, 'main.cjs')) as typeof Main;
      const implementation = main.start(context, registered);
      relay(implementation);
      return implementation;
    });
    return loading;
  };
  const { registered, relay } = registerStandIns(impl, context.subscriptions);
  // Load now, but after activation has returned: the status bar and the key state appear at once.
  setTimeout(() => {
    impl().catch((error: unknown) => {
      console.error('[statsig-whn] the implementation failed to load', error);
      void showError(`Statsig WHN failed to start: ${errorMessage(error)}`);
    });
  }, 0);
  const activation = { startedAt, endedAt: performance.now() };
  return context.extensionMode === vscode.ExtensionMode.Test ? { testing: async () => (await impl()).testing, activation } : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
