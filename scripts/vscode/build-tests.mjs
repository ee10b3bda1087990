// Bundles the integration suite for the VS Code extension host:
//   test/integration/index.ts        -> out/test/index.cjs   (extensionTestsPath, exports run())
//   test/integration/**/*.test.ts    -> out/test/**/*.test.cjs (one bundle per file, found by run())
// CommonJS, platform node, `vscode` external; Mocha is bundled into index.cjs so the extension host
// does not have to load Mocha 12's ESM entry. Run directly or through the launchers.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './provision.mjs';

export const TEST_OUT_DIR = join(REPO_ROOT, 'out', 'test');
export const TEST_ENTRY = join(TEST_OUT_DIR, 'index.cjs');
const SOURCE_DIR = join(REPO_ROOT, 'test', 'integration');

/** `sourceDir`: test/integration (the suite) or test/bench/extension (the extension benchmark, index.ts only). */
export async function buildTests({ sourceDir = SOURCE_DIR } = {}) {
  const tests = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(sourceDir, file));
  if (tests.length === 0 && sourceDir === SOURCE_DIR) throw new Error(`no *.test.ts files under ${relative(REPO_ROOT, sourceDir)}`);
  rmSync(TEST_OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(sourceDir, 'index.ts'), ...tests],
    outbase: sourceDir,
    outdir: TEST_OUT_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    mainFields: ['module', 'main'], // as esbuild.mjs: jsonc-parser's UMD entry cannot be bundled
    sourcemap: 'inline',
    logLevel: 'warning',
    // Only Mocha's parallel mode (unused here) resolves its worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
    legalComments: 'none',
  });
  return { entry: TEST_ENTRY, files: tests.map((file) => relative(REPO_ROOT, file)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { entry, files } = await buildTests();
  console.log(`built ${relative(REPO_ROOT, entry)} with ${files.length} test file(s): ${files.join(', ')}`);
}
