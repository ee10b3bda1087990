// Provisions a real VS Code (server + web workbench) for the launchers in this folder.
//
// VS Code desktop cannot be downloaded on offline machines, but the npm package `code-server`
// bundles the real VS Code server and web workbench under `lib/vscode`. On first use this
// installs the pinned `code-server@CODE_SERVER_VERSION` from the npm registry (through npm itself)
// into a cache directory outside the clone and writes a marker file once the install is complete;
// later runs reuse it. Nothing else is downloaded.
//
// Cache directory: `$STATSIG_WHN_CACHE/vscode-server-<version>` when STATSIG_WHN_CACHE is set,
// else `${XDG_CACHE_HOME:-~/.cache}/statsig-whn/vscode-server-<version>`.
//
// Needs: the project's Node 24 (devDependency `node`), Debian `libkrb5-dev` (kerberos native
// module) for the first install, Debian `chromium` to open the workbench.
//
// Run directly (`node_modules/.bin/node scripts/vscode/provision.mjs`) to provision ahead of time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const MARKER = '.statsig-whn-provisioned.json';

/** A failure with a message meant for a person; launchers print it and exit non-zero. */
export class ProvisionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProvisionError';
  }
}

export function cacheRoot() {
  if (process.env.STATSIG_WHN_CACHE) return resolve(process.env.STATSIG_WHN_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'statsig-whn');
}

export function serverInstallDir() {
  return join(cacheRoot(), `vscode-server-${CODE_SERVER_VERSION}`);
}

/** Path of the Node 24 binary that runs the VS Code server (and npm during provisioning). */
export function node24() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24) return process.execPath;
  const local = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return realpathSync(local);
  throw new ProvisionError(
    `Node 24 is required to run the VS Code server, but this is Node ${process.version} and ` +
      `${local} does not exist. Run \`npm ci\` (devDependency node@24) and use \`npm run ...\`.`,
  );
}

/** npm's CLI script, so it can be run under Node 24 (the code-server install script requires it). */
function npmCli() {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm) && existsSync(fromNpm)) return fromNpm;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (!dir || !existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (real.endsWith('.js')) return real;
    const sibling = join(dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    if (existsSync(sibling)) return sibling;
  }
  throw new ProvisionError('npm was not found on PATH; it is needed once to install code-server into the cache.');
}

export function requireChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ProvisionError(
      `${CHROMIUM_PATH} is missing: the real VS Code tests open the workbench in Debian's Chromium.\n` +
        '  Install it with: apt-get update && apt-get install -y chromium',
    );
  }
  return CHROMIUM_PATH;
}

function readMarker(dir) {
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
    return marker.version === CODE_SERVER_VERSION ? marker : undefined;
  } catch {
    return undefined;
  }
}

function vscodeRoot(dir) {
  return join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
}

function hasKrb5Headers() {
  return spawnSync('sh', ['-c', 'command -v krb5-config >/dev/null || test -e /usr/include/krb5.h || test -e /usr/include/gssapi/gssapi.h']).status === 0;
}

function run(cmd, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    const onSignal = () => child.kill('SIGTERM');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolvePromise(signal ? 128 : (code ?? 1));
    });
  });
}

/**
 * Returns the VS Code install (installing it on first use):
 * `{ dir, vscodeRoot, serverMain, node, version }`.
 */
export async function provision({ log = (m) => console.log(m) } = {}) {
  const node = node24();
  const dir = serverInstallDir();
  let marker = readMarker(dir);
  if (!marker) {
    if (!hasKrb5Headers()) {
      throw new ProvisionError(
        'Installing VS Code (code-server) builds the kerberos native module, which needs Kerberos headers.\n' +
          '  Install them with: apt-get update && apt-get install -y libkrb5-dev',
      );
    }
    const started = Date.now();
    // Install into a staging directory and rename it into place only when complete, so an
    // interrupted install never looks usable and two concurrent first runs cannot corrupt it.
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify({
        private: true,
        // code-server's postinstall installs VS Code's own dependencies; argon2 only serves its password
        // login, which the launchers do not use (they start VS Code's server-main.js directly).
        allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false },
      }, null, 2),
    );
    log(`[provision] Installing code-server@${CODE_SERVER_VERSION} (VS Code server) into ${dir}`);
    log('[provision] First use only: this takes several minutes (native modules are compiled).');
    // npm runs under Node 24 (code-server's install script checks the Node major of the npm user
    // agent, so no FORCE_NODE_VERSION is needed); the nested `npm install` in its postinstall
    // finds Node 24 first on PATH too.
    const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
    delete env.FORCE_NODE_VERSION;
    // Under `npm test` the outer npm (system Node 20) exports its user agent ("... node/v20 ..."); the
    // inner npm would inherit it as its own config, and code-server's postinstall reads the Node
    // major from it and refuses. The inner npm must describe itself.
    for (const key of Object.keys(env)) if (/^npm_(config_user_agent|execpath|node_execpath)$/i.test(key)) delete env[key];
    let code;
    try {
      code = await run(
        node,
        [npmCli(), 'install', '--no-audit', '--no-fund', '--no-package-lock', '--foreground-scripts',
          '--loglevel=warn', `code-server@${CODE_SERVER_VERSION}`],
        { cwd: staging, env },
      );
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw new ProvisionError(`Could not run npm to install code-server: ${error.message}`);
    }
    const serverMainPath = join(vscodeRoot(staging), 'out', 'server-main.js');
    if (code !== 0 || !existsSync(serverMainPath) || !existsSync(join(vscodeRoot(staging), 'node_modules'))) {
      rmSync(staging, { recursive: true, force: true });
      throw new ProvisionError(
        `Installing code-server@${CODE_SERVER_VERSION} failed (npm exit ${code}); see the npm output above.\n` +
          '  It needs the npm registry, Node 24 (devDependency node), a C++ toolchain and libkrb5-dev.',
      );
    }
    const vscodeVersion = JSON.parse(readFileSync(join(vscodeRoot(staging), 'package.json'), 'utf8')).version;
    marker = {
      version: CODE_SERVER_VERSION,
      vscodeVersion,
      node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      installedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    if (readMarker(dir)) {
      // Another process finished first: use its install.
      rmSync(staging, { recursive: true, force: true });
      return provision({ log });
    }
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process finished first: use its install.
      rmSync(staging, { recursive: true, force: true });
      if (!readMarker(dir)) throw error;
    }
    log(`[provision] VS Code ${vscodeVersion} ready in ${marker.seconds} s`);
  }
  const root = vscodeRoot(dir);
  const serverMain = join(root, 'out', 'server-main.js');
  if (!existsSync(serverMain)) {
    throw new ProvisionError(`${serverMain} is missing although ${join(dir, MARKER)} exists; delete ${dir} to reinstall.`);
  }
  return { dir, vscodeRoot: root, serverMain, node, version: marker.vscodeVersion };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const result = await provision();
    console.log(`[provision] VS Code ${result.version} at ${result.vscodeRoot} (Node ${result.node})`);
    requireChromium();
  } catch (error) {
    console.error(`[provision] ${error instanceof ProvisionError ? error.message : error.stack}`);
    process.exit(1);
  }
}
