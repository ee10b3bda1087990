// Runs the integration suite (test/integration, bundled by build-tests.mjs) inside a real VS Code
// extension host and exits with its result.   `npm run test:integration [-- options]`
//
// Default, offline launcher (works on machines with no internet):
//   1. `npm run build` (dist/extension.cjs) and bundle the tests to out/test/index.cjs;
//   2. start the Console API emulator (test/emulator/cli.ts) on a free port with a random key;
//   3. provision the pinned VS Code server (provision.mjs: code-server@4.139.1 from the npm registry,
//      cached outside the clone) and start it on 127.0.0.1 under Node 24, with
//      STATSIG_WHN_TEST_API_URL / STATSIG_WHN_TEST_API_KEY in its environment (the extension host
//      inherits them);
//   4. open the web workbench in Debian Chromium (playwright-core) with the repository as the
//      development extension and out/test/index.cjs as extensionTestsPath; the extension host's
//      console is streamed here; the workbench reports the result through `codeAutomationExit`.
//   Exit code: 0 only when the workbench reported success; 1 on test failures; 2 when something
//   is missing or did not start; 124 on the overall timeout; 130/143 on Ctrl-C/SIGTERM.
//   The workbench's own log files are written to test-results/integration-logs/.
//
// `--electron` or STATSIG_WHN_TEST_LAUNCHER=electron: the same suite through @vscode/test-electron's
//   runTests (downloads VS Code desktop VSCODE_DESKTOP_VERSION into .vscode-test/ on first use, so it
//   needs access to update.code.visualstudio.com; it cannot work on offline machines). The emulator
//   is started the same way and its URL/key reach the extension host via extensionTestsEnv. On a
//   headless Linux machine run it under `xvfb-run -a`.
//
// Options / environment:
//   --no-build                     skip `npm run build` (the tests are always re-bundled)
//   --bench                        run the extension benchmark (test/bench/extension) instead of the suite
//   --verbose, STATSIG_WHN_TEST_VERBOSE=1   also stream the server, emulator and page console
//   --headed                       show the Chromium window (needs a display)
//   STATSIG_WHN_TEST_GREP=<text>   run only the tests whose full title contains/matches <text>
//   STATSIG_WHN_TEST_TIMEOUT=<s>   overall timeout in seconds (default 600)
//   STATSIG_WHN_CACHE=<dir>        cache root for the provisioned VS Code (see provision.mjs)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, provision, requireChromium } from './provision.mjs';
import { TEST_ENTRY, buildTests } from './build-tests.mjs';
import {
  ENV_API_KEY, ENV_API_URL, ENV_CONTROL_TOKEN, LauncherError, Session, buildExtension, formatLogArgs, isPersonMessage, isWorkbenchNoise,
  launchBrowser, openWorkbench, startEmulator, startServer, workbenchUrl,
} from './workbench.mjs';

/** VS Code desktop version for the online (@vscode/test-electron) launcher; same as the offline one. */
const VSCODE_DESKTOP_VERSION = '1.139.1';

const argv = process.argv.slice(2);
const electron = argv.includes('--electron') || process.env.STATSIG_WHN_TEST_LAUNCHER === 'electron';
const verbose = argv.includes('--verbose') || Boolean(process.env.STATSIG_WHN_TEST_VERBOSE);
const headed = argv.includes('--headed');
const build = !argv.includes('--no-build');
const bench = argv.includes('--bench');
const timeoutSeconds = Number(process.env.STATSIG_WHN_TEST_TIMEOUT || 600);
const LOG_DIR = join(REPO_ROOT, 'test-results', 'integration-logs');

const log = (message) => console.log(`[integration] ${message}`);

async function runOffline(session, env) {
  requireChromium();
  const install = await provision({ log });
  const server = await startServer(session, install, { env, settings: { 'statsigWhn.apiBaseUrl': env[ENV_API_URL] }, echo: verbose });
  log(`VS Code ${install.version} server on ${server.origin} (Node ${install.node})`);
  const workspace = session.tempDir('workspace');
  const browser = await launchBrowser(session, { headless: !headed });
  const url = workbenchUrl(server, { folder: workspace, extensionTestsPath: TEST_ENTRY });
  const { page, exitCode } = await openWorkbench(browser, url, {
    onLog: (type, args) => {
      const line = formatLogArgs(args);
      if (verbose || !isWorkbenchNoise(line)) (type === 'error' ? console.error : console.log)(line);
    },
  });
  page.on('pageerror', (error) => verbose && console.log(`[page error] ${error.message}`));
  page.on('console', (message) => verbose && console.log(`[page ${message.type()}] ${message.text()}`));
  const crashed = new Promise((_, reject) => {
    page.on('crash', () => reject(new LauncherError('The workbench page crashed in Chromium.')));
  });
  const serverGone = server.proc.exited.then(({ code, signal }) => {
    throw new LauncherError(`The VS Code server exited (${signal || `code ${code}`}) before the tests finished:\n${server.proc.tail.join('\n')}`);
  });
  const notLoaded = page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: 90_000 }).then(
    () => new Promise(() => {}),
    () => {
      throw new LauncherError(`The workbench did not load within 90 s at ${url}`);
    },
  );
  const { code, logs } = await Promise.race([exitCode, crashed, serverGone, notLoaded]);
  rmSync(LOG_DIR, { recursive: true, force: true });
  for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
    const file = join(LOG_DIR, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
  return code;
}

async function runElectron(session, env) {
  // Online machines only: @vscode/test-electron downloads VS Code desktop (pinned) into .vscode-test/
  // and starts it with the repository as development extension and out/test/index.cjs as tests.
  const { runTests } = await import('@vscode/test-electron');
  const workspace = session.tempDir('workspace');
  try {
    return await runTests({
      version: VSCODE_DESKTOP_VERSION,
      timeout: 30_000, // idle timeout of the download: fail fast when the update servers are unreachable
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: TEST_ENTRY,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    console.error(`[integration] @vscode/test-electron: ${error?.message ?? error}`);
    console.error('[integration] (it downloads VS Code desktop; offline, use the default launcher without --electron)');
    return typeof error?.code === 'number' && error.code !== 0 ? error.code : 2;
  }
}

async function main() {
  const session = new Session('integration', { timeoutSeconds });
  let code;
  try {
    const started = Date.now();
    if (build) await buildExtension(session);
    const { files } = await buildTests(bench ? { sourceDir: join(REPO_ROOT, 'test', 'bench', 'extension') } : {});
    log(bench ? 'bundled the extension benchmark into out/test' : `bundled ${files.length} test file(s) into out/test`);
    const emulator = await startEmulator(session, { echo: verbose });
    log(`Console API emulator on ${emulator.url} (seed ${emulator.seed})`);
    const env = { [ENV_API_URL]: emulator.url, [ENV_API_KEY]: emulator.key, [ENV_CONTROL_TOKEN]: emulator.controlToken };
    code = electron ? await runElectron(session, env) : await runOffline(session, env);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code === 0) log(`PASSED in ${seconds} s`);
    else log(`FAILED (exit code ${code}) in ${seconds} s${electron ? '' : `; workbench logs in ${LOG_DIR}`}`);
  } catch (error) {
    if (session.closing) return; // interrupted or timed out: the session exits
    console.error(`[integration] FAILED: ${isPersonMessage(error) ? error.message : error?.stack ?? error}`);
    code = 2;
  } finally {
    await session.close();
  }
  process.exit(code);
}

await main();
