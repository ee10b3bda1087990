// The pieces every launcher in this folder is made of:
//   Session          owns every child process, browser and temp dir; closes them on every exit path
//                    (normal end, failure, Ctrl-C/SIGTERM/SIGHUP, overall timeout).
//   startEmulator    the project's Console API emulator (test/emulator/cli.ts) on a free port.
//   startServer      the real VS Code server (from provision.mjs) on 127.0.0.1, throwaway user data.
//   openWorkbench    Debian Chromium (playwright-core) on the web workbench, with the extension
//                    loaded as a development extension and, for tests, an extensionTestsPath.
// Nothing here talks to anything but 127.0.0.1.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout } from 'node:timers';
import { format } from 'node:util';
import { CHROMIUM_PATH, ProvisionError, REPO_ROOT, node24, requireChromium } from './provision.mjs';

/** Environment variables the extension host (and so the extension and the tests) receives. */
export const ENV_API_URL = 'STATSIG_WHN_TEST_API_URL';
export const ENV_API_KEY = 'STATSIG_WHN_TEST_API_KEY';
/** The emulator's control-endpoint token (header x-emulator-token), for tests that set faults. */
export const ENV_CONTROL_TOKEN = 'STATSIG_WHN_TEST_CONTROL_TOKEN';

const EMULATOR_CLI = join(REPO_ROOT, 'test', 'emulator', 'cli.ts');

/**
 * User settings of the throwaway profile (code-server keeps web user settings on the server, in
 * <user-data-dir>/User/settings.json): keep the workbench quiet, offline and deterministic.
 */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'extensions.showRecommendationsOnlyOnDemand': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.settings.enableNaturalLanguageSearch': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.agent.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'git.autofetch': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'json.schemaDownload.enable': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // VS Code for the web saves every dirty file 1 s after the last edit by default (desktop VS Code,
  // where the extension runs for real, does not): here every pause in typing would be a Save, i.e.
  // a validation plus a Statsig dry run, and Ctrl+S could not be observed doing it.
  'files.autoSave': 'off',
};

/** A failure with a message meant for a person (no stack trace needed). */
export class LauncherError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LauncherError';
  }
}

export function isPersonMessage(error) {
  return error instanceof LauncherError || error instanceof ProvisionError;
}

function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Owns everything a launcher starts; `close()` undoes it in reverse order, exactly once. */
export class Session {
  #cleanups = [];
  #closing;
  #timer;
  #signals = [];

  /**
   * @param {string} label prefix of this session's messages
   * @param {{ timeoutSeconds?: number, signalExitCode?: number }} options overall timeout: print,
   *   close everything and exit with code 124; exit code after Ctrl-C/SIGTERM/SIGHUP (default
   *   130 for SIGINT, 143 otherwise).
   */
  constructor(label, { timeoutSeconds, signalExitCode } = {}) {
    this.label = label;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      const handler = () => {
        console.error(`\n[${label}] ${signal}: shutting down`);
        void this.close().finally(() => process.exit(signalExitCode ?? (signal === 'SIGINT' ? 130 : 143)));
      };
      process.on(signal, handler);
      this.#signals.push([signal, handler]);
    }
    if (timeoutSeconds) {
      this.#timer = setTimeout(() => {
        console.error(`[${label}] FAILED: overall timeout of ${timeoutSeconds} s reached; shutting down`);
        void this.close().finally(() => process.exit(124));
      }, timeoutSeconds * 1000);
    }
  }

  /** True once shutting down (a failure seen now is a consequence, not a cause). */
  get closing() {
    return this.#closing !== undefined;
  }

  /** Registers a cleanup step (run last-in, first-out); runs it at once if already closing. */
  defer(fn) {
    if (this.#closing) {
      void Promise.resolve().then(fn).catch(() => {});
      return;
    }
    this.#cleanups.push(fn);
  }

  tempDir(prefix) {
    const dir = mkdtempSync(join(tmpdir(), `statsig-whn-${prefix}-`));
    this.defer(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
    return dir;
  }

  close() {
    this.#closing ??= (async () => {
      clearTimeout(this.#timer);
      for (const fn of this.#cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          console.error(`[${this.label}] cleanup: ${error?.message ?? error}`);
        }
      }
      for (const [signal, handler] of this.#signals) process.off(signal, handler);
    })();
    return this.#closing;
  }
}

/**
 * Spawns a child in its own process group, so the whole tree (the VS Code server forks extension
 * hosts, a pty host, file watchers) is terminated by `close()`.
 */
export function spawnChild(session, label, command, args, { env, cwd = REPO_ROOT, echo = false } = {}) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const listeners = new Set();
  const exited = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit({ code, signal }));
    child.on('error', (error) => resolveExit({ code: null, signal: null, error }));
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      if (echo) console.log(`[${label}] ${line}`);
      for (const listener of listeners) listener(line);
    });
  }
  let done = false;
  void exited.then(() => {
    done = true;
  });
  session.defer(async () => {
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    if (child.pid === undefined) return;
    signalGroup('SIGTERM');
    if (!done) await Promise.race([exited, delay(5000)]);
    await delay(200);
    signalGroup('SIGKILL');
  });
  return {
    child,
    exited,
    tail,
    onLine: (listener) => listeners.add(listener),
    /** Resolves with the first match of `regex` in the output; rejects if the child exits first. */
    waitFor(regex, seconds, what) {
      return new Promise((resolveMatch, reject) => {
        for (const line of tail) {
          const match = regex.exec(line);
          if (match) return resolveMatch(match);
        }
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new LauncherError(`${what}: no "${regex.source}" within ${seconds} s. Last output:\n${tail.join('\n')}`));
        }, seconds * 1000);
        const listener = (line) => {
          const match = regex.exec(line);
          if (!match) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolveMatch(match);
        };
        listeners.add(listener);
        void exited.then(({ code, signal, error }) => {
          if (!listeners.has(listener)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          reject(new LauncherError(
            `${what} exited (${error?.message ?? (signal || `code ${code}`)}) before it was ready. Last output:\n${tail.join('\n')}`,
          ));
        });
      });
    },
  };
}

/** A fresh random Console API key for one run. */
export function randomApiKey() {
  return `console-test-${randomBytes(16).toString('hex')}`;
}

/**
 * Starts the Console API emulator: `node test/emulator/cli.ts --port <port> --key <key> --seed <seed>
 * --control-token <token>`. It prints `Statsig Console API emulator listening on http://127.0.0.1:NNNN (…)`.
 * The control token is random per run: only this launcher and the tests it starts know it.
 */
export async function startEmulator(session, { port = 0, key = randomApiKey(), seed = 'default', echo = false } = {}) {
  const controlToken = randomBytes(24).toString('hex');
  if (!existsSync(EMULATOR_CLI)) {
    throw new LauncherError(`The Console API emulator ${EMULATOR_CLI} is missing; the launchers start it for every run.`);
  }
  const proc = spawnChild(
    session, 'emulator', node24(),
    [EMULATOR_CLI, '--port', String(port), '--key', key, '--seed', seed, '--control-token', controlToken],
    { env: { ...process.env, NODE_NO_WARNINGS: '1' }, echo },
  );
  const match = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30, 'The Console API emulator');
  return { url: match[1], key, seed, controlToken, proc };
}

/**
 * Starts the VS Code server from `install` (provision.mjs) on 127.0.0.1 with a throwaway user-data,
 * server-data and extensions dir. `env` is added to the server's environment, which the Node
 * extension host inherits. Returns `{ port, origin, proc, userDataDir }`.
 */
export async function startServer(session, install, { port = 0, env = {}, settings = {}, echo = false } = {}) {
  const userDataDir = session.tempDir('vscode-user');
  const extensionsDir = session.tempDir('vscode-extensions');
  const settingsJson = `${JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2)}\n`;
  // Only the user scope: a copy in Machine/settings.json makes the workbench try (and fail) to
  // migrate it ("Unable to write into remote user settings").
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), settingsJson);
  const proc = spawnChild(
    session, 'server', install.node,
    [
      install.serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      // Required for the payload (development extension, tests) in a built workbench; it also hides
      // every notification toast (they still reach the notification centre, see README.md).
      '--enable-smoke-test-driver',
      '--user-data-dir', userDataDir,
      '--server-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-experiments',
    ],
    {
      env: {
        ...process.env,
        ...env,
        // No extension gallery (code-server would otherwise ask open-vsx.org).
        EXTENSIONS_GALLERY: '{}',
        VSCODE_SKIP_PRELAUNCH: '1',
      },
      echo,
    },
  );
  const match = await proc.waitFor(/Extension host agent listening on (\d+)/, 60, 'The VS Code server');
  const boundPort = Number(match[1]);
  return { port: boundPort, origin: `http://127.0.0.1:${boundPort}`, proc, userDataDir };
}

/** The workbench URL: a folder plus the smoke-test-driver payload (development extension, tests). */
export function workbenchUrl(server, { folder, extensionDevelopmentPath = REPO_ROOT, extensionTestsPath } = {}) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${resolve(path)}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams();
  if (folder) query.set('folder', resolve(folder));
  query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query.toString()}`;
}

/** Launches Debian Chromium through playwright-core; closed by the session. */
export async function launchBrowser(session, { headless = true } = {}) {
  requireChromium();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new LauncherError('playwright-core is not installed: run `npm ci` in the repository.');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    // The session handles signals and closes the browser; Playwright's own SIGINT handler would
    // exit the process before the server, emulator and temp dirs are cleaned up.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
    ],
  });
  session.defer(() => browser.close());
  return browser;
}

/**
 * Opens the workbench in a new page. `codeAutomationLog` (the extension host's console while an
 * extensionTestsPath runs) goes to `onLog`, `codeAutomationExit` (test run finished) resolves
 * `exitCode`. Both functions are exposed before navigating.
 */
export async function openWorkbench(browser, url, { onLog, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  let resolveExit;
  const exitCode = new Promise((r) => {
    resolveExit = r;
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    onLog?.(type, Array.isArray(args) ? args : [args]);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    resolveExit({ code, logs });
  });
  await page.goto(url);
  return { context, page, exitCode };
}

/** Waits until the workbench is interactive (its main parts are rendered). */
export async function waitForWorkbench(page, seconds = 60) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: seconds * 1000 });
  await page.locator('.monaco-workbench .part.activitybar, .monaco-workbench .part.sidebar').first()
    .waitFor({ state: 'visible', timeout: seconds * 1000 });
}

/** Runs `npm run build` (the extension bundle) with the project's npm under Node 24. */
export async function buildExtension(session) {
  const npmCliPath = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const [command, args] = npmCliPath ? [node24(), [npmCliPath, 'run', 'build']] : ['npm', ['run', 'build']];
  const proc = spawnChild(session, 'build', command, args, {
    env: { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
  });
  const { code, signal, error } = await proc.exited;
  if (code !== 0) {
    throw new LauncherError(`npm run build failed (${error?.message ?? (signal || `exit ${code}`)}):\n${proc.tail.join('\n')}`);
  }
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.cjs'))) {
    throw new LauncherError('npm run build did not produce dist/extension.cjs');
  }
}

/**
 * Formats codeAutomationLog arguments: they are the console.log arguments of the extension host
 * (or of the workbench's own logger), format string first.
 */
export function formatLogArgs(args) {
  return format(...args.map((arg) => (arg !== null && typeof arg === 'object' ? JSON.stringify(arg) : arg)));
}

/**
 * The workbench forwards its own log lines through codeAutomationLog too; these are the routine ones
 * (connection set-up, the disabled gallery, the service worker that cannot register over plain http,
 * the agent host). Shown only with --verbose.
 */
const WORKBENCH_NOISE = [
  /^Resolving connection token /,
  /^Resolved connection token /,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registration/,
  /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/,
  // Cancelled workbench requests while the extension host shuts down at the end of a test run.
  /^Canceled: Canceled/,
];

export function isWorkbenchNoise(line) {
  return WORKBENCH_NOISE.some((pattern) => pattern.test(line));
}
