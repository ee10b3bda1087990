// End-to-end scenarios: Playwright drives the real VS Code web workbench the way a person does.
//   `npm run test:e2e [-- options] [name ...]`
//
// 1. `npm run build`; start the Console API emulator (random key, seed default);
// 2. start the provisioned VS Code server (provision.mjs) with STATSIG_WHN_TEST_API_URL and
//    STATSIG_WHN_TEST_API_KEY in its environment (the extension host inherits them);
// 3. for every test/e2e/*.e2e.ts (a default-exported Scenario, see test/e2e/scenario.ts; Node 24
//    runs the TypeScript directly): a fresh browser context on the workbench with the repository
//    loaded as a development extension (no extensionTestsPath), wait until it is rendered, run the
//    scenario, save test-results/<name>.png (the final state, or the state at the failure);
// 4. print `e2e: N passed, M failed` and exit 1 if any failed (2 if the harness could not start,
//    124 on the overall timeout, 130/143 on Ctrl-C/SIGTERM).
//
// Options / environment:
//   name ...                      run only the scenarios whose file name contains one of these
//   --no-build                    skip `npm run build`
//   --headed                      show the Chromium window (needs a display)
//   --verbose, STATSIG_WHN_TEST_VERBOSE=1   also stream the server, emulator and page console
//   STATSIG_WHN_TEST_TIMEOUT=<s>  overall timeout in seconds (default 900)
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, provision, requireChromium } from './provision.mjs';
import {
  ENV_API_KEY, ENV_API_URL, ENV_CONTROL_TOKEN, Session, buildExtension, isPersonMessage, launchBrowser, openWorkbench,
  startEmulator, startServer, waitForWorkbench, workbenchUrl,
} from './workbench.mjs';

const SCENARIO_DIR = join(REPO_ROOT, 'test', 'e2e');
const RESULTS_DIR = join(REPO_ROOT, 'test-results');
const SUFFIX = '.e2e.ts';

const argv = process.argv.slice(2);
const verbose = argv.includes('--verbose') || Boolean(process.env.STATSIG_WHN_TEST_VERBOSE);
const headed = argv.includes('--headed');
const build = !argv.includes('--no-build');
const filters = argv.filter((arg) => !arg.startsWith('--'));
const timeoutSeconds = Number(process.env.STATSIG_WHN_TEST_TIMEOUT || 900);

const log = (message) => console.log(`[e2e] ${message}`);

function scenarioFiles() {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(SUFFIX))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort()
    .map((file) => ({ name: file.slice(0, -SUFFIX.length), file: join(SCENARIO_DIR, file) }));
}

function withTimeout(promise, seconds, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds} s`)), seconds * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function runScenario({ name, file }, { browser, url, api, userDataDir, workspaceDir }) {
  const started = Date.now();
  const { default: scenario } = await import(pathToFileURL(file).href);
  if (!scenario || typeof scenario.run !== 'function') {
    throw new Error(`${file} must default-export a Scenario (defineScenario({ description, run }))`);
  }
  log(`▶ ${name}: ${scenario.description}`);
  const { context, page } = await openWorkbench(browser, url);
  page.on('pageerror', (error) => verbose && console.log(`[page error] ${error.message}`));
  page.on('console', (message) => verbose && console.log(`[page ${message.type()}] ${message.text()}`));
  const screenshotPath = join(RESULTS_DIR, `${name}.png`);
  try {
    await withTimeout(
      (async () => {
        await waitForWorkbench(page);
        await scenario.run({
          page,
          api,
          repoRoot: REPO_ROOT,
          workspaceDir,
          userDataDir,
          screenshot: async (label) => {
            const path = join(RESULTS_DIR, `${name}-${label}.png`);
            await page.screenshot({ path });
            return path;
          },
          log: (message) => console.log(`[e2e]   ${message}`),
        });
      })(),
      scenario.timeoutSeconds ?? 120,
      `scenario ${name}`,
    );
    await page.screenshot({ path: screenshotPath });
    log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s) → ${screenshotPath}`);
    return true;
  } catch (error) {
    await page.screenshot({ path: screenshotPath }).catch(() => {});
    log(`✘ ${name}: ${error?.stack ?? error}`);
    log(`  screenshot of the failure: ${screenshotPath}`);
    return false;
  } finally {
    await context.close().catch(() => {});
    // Every scenario starts from an extension with nothing saved: a draft left by a failed one
    // (the server's global storage outlives the window) must not show up in the next one.
    rmSync(extensionStorage(userDataDir), { recursive: true, force: true });
    // Nor the files one wrote into the workspace folder (a pulled statsig/ folder).
    for (const entry of readdirSync(workspaceDir)) rmSync(join(workspaceDir, entry), { recursive: true, force: true });
  }
}

/** The extension's global storage on the VS Code server (its drafts). */
function extensionStorage(userDataDir) {
  const { publisher, name } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return join(userDataDir, 'User', 'globalStorage', `${publisher}.${name}`);
}

async function main() {
  const session = new Session('e2e', { timeoutSeconds });
  let code;
  try {
    const started = Date.now();
    const scenarios = scenarioFiles();
    if (scenarios.length === 0) throw new Error(`no *${SUFFIX} scenario in ${SCENARIO_DIR} matches ${filters.join(', ') || '(all)'}`);
    requireChromium();
    if (build) await buildExtension(session);
    const emulator = await startEmulator(session, { echo: verbose });
    log(`Console API emulator on ${emulator.url} (seed ${emulator.seed})`);
    const install = await provision({ log });
    const server = await startServer(session, install, {
      env: { [ENV_API_URL]: emulator.url, [ENV_API_KEY]: emulator.key, [ENV_CONTROL_TOKEN]: emulator.controlToken },
      // The extension talks to the emulator, never to statsigapi.net (user scope, as a person would set it).
      settings: { 'statsigWhn.apiBaseUrl': emulator.url },
      echo: verbose,
    });
    log(`VS Code ${install.version} server on ${server.origin}`);
    const workspace = session.tempDir('workspace');
    const browser = await launchBrowser(session, { headless: !headed });
    const url = workbenchUrl(server, { folder: workspace });
    mkdirSync(RESULTS_DIR, { recursive: true });
    for (const { name } of scenarios) rmSync(join(RESULTS_DIR, `${name}.png`), { force: true });

    let passed = 0;
    let failed = 0;
    for (const scenario of scenarios) {
      const api = { url: emulator.url, key: emulator.key, controlToken: emulator.controlToken };
      if (await runScenario(scenario, { browser, url, api, userDataDir: server.userDataDir, workspaceDir: workspace })) passed += 1;
      else failed += 1;
    }
    console.log(`e2e: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    code = failed === 0 ? 0 : 1;
  } catch (error) {
    if (session.closing) return;
    console.error(`[e2e] FAILED: ${isPersonMessage(error) ? error.message : error?.stack ?? error}`);
    code = 2;
  } finally {
    await session.close();
  }
  process.exit(code);
}

await main();
