// Bundles the `statsig-whn` executable (src/cli/bin.ts) into a temporary folder the way
// esbuild.mjs does, with the SQL parser's WebAssembly beside it, and runs it in real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import * as esbuild from 'esbuild';
import { harness, TEST_KEY, type Harness } from './emulator.ts';
import { WASM_PATH } from './sqlParser.ts';

/** The folder holding cli.cjs (delete it when done). */
export async function bundleCli(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'statsig-whn-cli-'));
  await esbuild.build({
    entryPoints: { cli: 'src/cli/bin.ts' }, outdir: dir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs',
    mainFields: ['module', 'main'], banner: { js: '#!/usr/bin/env node' }, logLevel: 'silent',
  });
  copyFileSync(WASM_PATH, join(dir, 'sqlparser_rs_wasm_bg.wasm'));
  return dir;
}

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process that does not block this one (an in-process emulator keeps answering); killed after 60 s. `env` is all it gets. */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the bundled CLI in a child process, with `env` and PATH only. */
export function runCliProcess(cliDir: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<Ran> {
  return runProcess(process.execPath, [join(cliDir, 'cli.cjs'), ...args], { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env } });
}

/**
 * A CLI test's world, set up before the suite and removed after it: the emulator (`h`), the bundled
 * CLI (`cli`), an empty working folder (`work`) with the key and the emulator's URL in `env` (a test
 * may change it), every output (`outputs`, for the "no key anywhere" check), and `run`/`file`/`write`
 * on the `statsig/` folder. `pull`: the suite starts from a pulled folder. Call inside `describe`.
 */
export function cliSuite(prefix: string, options: { pull?: boolean } = {}) {
  const f = {
    h: undefined as unknown as Harness,
    cli: '',
    work: '',
    env: {} as Record<string, string | undefined>,
    outputs: [] as string[],
    run: async (...args: string[]): Promise<Ran> => {
      const r = await runCliProcess(f.cli, args, { cwd: f.work, env: f.env });
      f.outputs.push(r.stdout, r.stderr);
      return r;
    },
    file: (path: string) => readFileSync(join(f.work, 'statsig', ...path.split('/')), 'utf8'),
    write: (path: string, text: string) => writeFileSync(join(f.work, 'statsig', ...path.split('/')), text),
  };
  before(async () => {
    [f.h, f.cli] = await Promise.all([harness(), bundleCli()]);
    f.work = mkdtempSync(join(tmpdir(), prefix));
    f.env = { STATSIG_CONSOLE_API_KEY: TEST_KEY, STATSIG_API_URL: f.h.emulator.url };
    if (options.pull) {
      const pulled = await f.run('pull');
      assert.equal(pulled.status, 0, pulled.stderr);
    }
  });
  after(async () => {
    await f.h.close();
    rmSync(f.cli, { recursive: true, force: true });
    rmSync(f.work, { recursive: true, force: true });
  });
  return f;
}
