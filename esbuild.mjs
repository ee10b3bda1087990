// Bundles the extension (Node, CommonJS, `vscode` external) and the custom editor's webview
// (browser, IIFE). `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { cliBuildOptions, SQL_PARSER_WASM, zodEnglishOnly } from './scripts/cli-build.mjs';

const watch = process.argv.includes('--watch');
const packageVersion = JSON.parse(await readFile('package.json', 'utf8')).version;
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    // The loader (tiny, activation) and the implementation it loads right after.
    entryPoints: { extension: 'src/extension.ts', main: 'src/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // jsonc-parser's UMD entry requires its parts dynamically, which a bundle cannot follow; its ESM entry bundles.
    mainFields: ['module', 'main'],
    plugins: [zodEnglishOnly],
  },
  // The command line (`statsig-whn`, package.json "bin"); scripts/pack-cli.mjs bundles it the same way.
  cliBuildOptions({ outdir: 'dist', version: packageVersion, common }),
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// JSON Schemas for IntelliSense, generated from the zod schemas (Node 24 runs the TypeScript directly).
async function writeJsonSchemas() {
  // `<kind>.schema.json` for statsig: documents, `<kind>.source.schema.json` for the sources folder's .source.json files.
  const { schemaFiles } = await import('./src/core/jsonSchema.ts');
  await mkdir('dist/schemas', { recursive: true });
  for (const [file, text] of Object.entries(schemaFiles())) await writeFile(`dist/schemas/${file}`, text);
}
await writeJsonSchemas();

// sqlparser-rs as WebAssembly (src/core/sql/parser.ts reads it from dist/ on the first validation,
// never at activation). Copied as it is: the package's JavaScript glue is not used (src/core/sql/wasm.ts).
async function copySqlParserWasm() {
  await mkdir('dist', { recursive: true });
  await copyFile(SQL_PARSER_WASM, 'dist/sqlparser_rs_wasm_bg.wasm');
}
await copySqlParserWasm();

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await chmod('dist/cli.cjs', 0o755);
}
