// Bundles the `statsig-whn` executable (src/cli/bin.ts) into a temporary folder the way
// esbuild.mjs does, with the SQL parser's WebAssembly beside it, and runs it in real processes.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
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

/** Runs the bundled CLI in a child process without blocking this one (an in-process emulator keeps answering). */
export function runCliProcess(cliDir: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [join(cliDir, 'cli.cjs'), ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
