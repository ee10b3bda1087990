// How the `statsig-whn` executable is bundled, shared by esbuild.mjs (dist/cli.cjs, the repository's
// own `bin`) and scripts/pack-cli.mjs (the npm package a CI job installs), so the two cannot drift.

/**
 * zod re-exports every locale (`z.locales.*`, ~40 languages); nothing here uses them (English
 * messages come from zod's own default), so bundles get English only. Saves about 40 % of
 * dist/main.cjs.
 * @type {import('esbuild').Plugin}
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: process.cwd(),
    }));
  },
};

/** sqlparser-rs as WebAssembly: the CLI reads it from beside cli.cjs on the first SQL check. */
export const SQL_PARSER_WASM = 'node_modules/@guanmingchiu/sqlparser-ts/wasm/sqlparser_rs_wasm_bg.wasm';

/**
 * The command line (src/cli/bin.ts → `<outdir>/cli.cjs`): the core only, no `vscode`; not in the VSIX.
 * @param {{ outdir: string, version: string, common: import('esbuild').BuildOptions }} options
 * @returns {import('esbuild').BuildOptions}
 */
export function cliBuildOptions({ outdir, version, common }) {
  return {
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: '#!/usr/bin/env node' },
    define: { 'process.env.STATSIG_WHN_VERSION': JSON.stringify(version) },
    plugins: [zodEnglishOnly],
  };
}
