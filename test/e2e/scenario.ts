// What an end-to-end scenario is. Each `test/e2e/*.e2e.ts` file default-exports one Scenario;
// scripts/vscode/run-e2e.mjs loads every such file (Node 24 runs the TypeScript directly), opens a
// fresh browser context on the real workbench for it, runs it and saves test-results/<name>.png.
import type { Page } from 'playwright-core';

export interface ScenarioContext {
  /** The workbench page, already loaded (see waitForWorkbench). */
  readonly page: Page;
  /** The Console API emulator the extension is pointed at (also in the extension host's env). */
  readonly api: { readonly url: string; readonly key: string; readonly controlToken: string };
  /** Absolute path of the repository (the development extension). */
  readonly repoRoot: string;
  /**
   * Absolute path of the folder the workbench has open (its one workspace folder), on the same
   * machine: a scenario can read what the extension wrote there. Emptied after every scenario.
   */
  readonly workspaceDir: string;
  /**
   * The VS Code server's throwaway user-data dir (also its server-data dir): User/settings.json (the
   * web workbench keeps user settings on the server), logs/ (server, extension host, output
   * channels), caches. Shared by every scenario of a run. SecretStorage is not here: in the web
   * workbench it lives in the browser.
   */
  readonly userDataDir: string;
  /** Saves a screenshot to test-results/<scenario>-<label>.png and returns its path. */
  readonly screenshot: (label: string) => Promise<string>;
  /** Prints a line under the scenario's name. */
  readonly log: (message: string) => void;
}

export interface Scenario {
  /** What a person does and sees, in one sentence. */
  readonly description: string;
  /** Per-scenario timeout; 120 s when omitted. */
  readonly timeoutSeconds?: number;
  run(context: ScenarioContext): Promise<void>;
}

export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
