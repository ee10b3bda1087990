// A real VS Code with this extension loaded, pointed at the local Console API emulator, for a
// person to try in their own browser.   `npm run demo [-- options]`
//
// 1. `npm run build` (dist/extension.cjs);
// 2. start the Console API emulator (seed default) on a free port, or on --port;
// 3. start the provisioned VS Code server (provision.mjs; code-server@4.139.1's VS Code, offline)
//    on 127.0.0.1 (a free port, or --vscode-port) with a throwaway profile;
// 4. print the workbench URL: open it in a browser on this machine (the repository is loaded as a
//    development extension, like F5 in VS Code desktop); Ctrl-C stops everything and removes the
//    temporary directories.
//
// How the extension finds the emulator: the VS Code server's environment carries
//   STATSIG_WHN_TEST_API_URL=<emulator URL>   STATSIG_WHN_TEST_API_KEY=<key>
// and the Node extension host inherits it (the same variables the test launchers set). The key is
// also printed, so it can be entered by hand with "Statsig WHN: Set API Key".
//
// Options:
//   --port N           emulator port (default: a free one)
//   --vscode-port N    VS Code server port (default: a free one)
//   --key KEY          API key the emulator accepts (default: a random console-test-… key)
//   --seed NAME        emulator seed (default: default)
//   --folder PATH      workspace folder to open (default: an empty temporary folder)
//   --no-build         skip `npm run build`
//   --desktop          instead of the web server, launch VS Code desktop (`code` on PATH) with
//                      --extensionDevelopmentPath=<repo> and the same environment
//   --verbose          stream the server's and the emulator's output
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, provision } from './provision.mjs';
import {
  ENV_API_KEY, ENV_API_URL, ENV_CONTROL_TOKEN, LauncherError, Session, buildExtension, isPersonMessage, randomApiKey,
  spawnChild, startEmulator, startServer, workbenchUrl,
} from './workbench.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'vscode-port': { type: 'string', default: '0' },
    key: { type: 'string' },
    seed: { type: 'string', default: 'default' },
    folder: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    desktop: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const log = (message) => console.log(`[demo] ${message}`);

function port(value, flag) {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new LauncherError(`${flag} must be a port number, got "${value}"`);
  return Number(value);
}

async function runDesktop(session, env, folder) {
  if (spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status !== 0) {
    throw new LauncherError('--desktop needs VS Code desktop\'s `code` command on PATH.');
  }
  // A separate user-data dir makes `code` start a new instance, which is what receives this env.
  const args = [
    '--new-window', '--wait',
    '--user-data-dir', session.tempDir('code-user'),
    '--extensions-dir', session.tempDir('code-extensions'),
    `--extensionDevelopmentPath=${REPO_ROOT}`,
    folder,
  ];
  const code = spawnChild(session, 'code', 'code', args, { env: { ...process.env, ...env }, echo: true });
  log('VS Code desktop started with the extension in development mode; close its window or press Ctrl-C to stop.');
  await code.exited;
}

async function main() {
  // Ctrl-C is how a demo ends: a clean shutdown, exit code 0.
  const session = new Session('demo', { signalExitCode: 0 });
  try {
    const emulatorPort = port(options.port, '--port');
    const vscodePort = port(options['vscode-port'], '--vscode-port');
    if (!options['no-build']) {
      log('npm run build');
      await buildExtension(session);
    }
    const emulator = await startEmulator(session, {
      port: emulatorPort, key: options.key ?? randomApiKey(), seed: options.seed, echo: options.verbose,
    });
    // STATSIG_WHN_DEV_SEED_KEY: the extension (Development mode only) stores it, so the demo opens connected.
    const env = { [ENV_API_URL]: emulator.url, [ENV_API_KEY]: emulator.key, [ENV_CONTROL_TOKEN]: emulator.controlToken, STATSIG_WHN_DEV_SEED_KEY: emulator.key };
    const folder = options.folder ? resolve(options.folder) : session.tempDir('demo-workspace');
    log(`Console API emulator: ${emulator.url} (seed ${emulator.seed})`);
    log(`API key:             ${emulator.key}`);
    log(`Control token:       ${emulator.controlToken} (header x-emulator-token on /__emulator/…)`);
    log(`Extension host env:  ${ENV_API_URL}=${emulator.url} ${ENV_API_KEY}=<the key above>`);

    if (options.desktop) {
      await runDesktop(session, env, folder);
      return;
    }
    const install = await provision({ log });
    const server = await startServer(session, install, { port: vscodePort, env, settings: { 'statsigWhn.apiBaseUrl': env[ENV_API_URL] }, echo: options.verbose });
    const url = workbenchUrl(server, { folder });
    log(`VS Code ${install.version} (web) with the extension loaded, workspace ${folder}`);
    log('Already connected as project "Emulator (demo)". Open the Statsig WHN icon in the activity bar.');
    log('Note: this web workbench runs with VS Code\'s smoke-test driver (the only way to load a development');
    log('extension into it), which hides notification pop-ups: messages appear under the bell in the status bar.');
    console.log(`\n  Open in a browser on this machine:\n\n  ${url}\n`);
    log('Press Ctrl-C to stop.');
    const { code, signal } = await server.proc.exited;
    if (!session.closing) throw new LauncherError(`The VS Code server exited (${signal || `code ${code}`}):\n${server.proc.tail.join('\n')}`);
  } catch (error) {
    if (session.closing) return;
    console.error(`[demo] FAILED: ${isPersonMessage(error) ? error.message : error?.stack ?? error}`);
    await session.close();
    process.exit(2);
  }
  await session.close();
}

await main();
