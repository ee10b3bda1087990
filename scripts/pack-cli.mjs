// `npm run pack:cli [-- --out <folder>]`: the `statsig-whn` command line alone as an npm package,
// `statsig-whn-<version>.tgz`, for a release to attach and a CI job to install
// (`npm install -g statsig-whn-<version>.tgz`; README "Sources as code"). The extension's package
// is private and nothing is published to the npm registry, so this tarball is how the CLI travels.
//
// What it holds: a package.json of its own (name `statsig-whn`, `bin`, `engines.node`, no
// dependencies: the bundle has them all), cli.cjs (production build, the same esbuild options as
// dist/cli.cjs: scripts/cli-build.mjs), sqlparser_rs_wasm_bg.wasm (the SQL parser, read from beside
// cli.cjs on the first SQL check; nothing else is read at run time: the JSON Schemas are for the
// editor only), README.md and LICENSE. npm pack makes it byte-for-byte reproducible (fixed file
// dates), so its sha256, printed last, can be pinned in a workflow.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { cliBuildOptions, SQL_PARSER_WASM } from './cli-build.mjs';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
if ((outAt !== -1 && !args[outAt + 1]) || args.some((a, i) => a !== '--out' && i !== outAt + 1)) {
  console.error('usage: node scripts/pack-cli.mjs [--out <folder>]');
  process.exit(2);
}
const out = resolve(outAt === -1 ? '.' : args[outAt + 1]);

const project = JSON.parse(readFileSync('package.json', 'utf8'));
const manifest = {
  name: 'statsig-whn',
  version: project.version,
  description: 'Pull, validate, plan and push Statsig Warehouse Native sources as files, for git and CI (the command line of Statsig Warehouse Native Sources for VS Code).',
  license: project.license,
  repository: project.repository,
  homepage: project.homepage,
  bugs: project.bugs,
  bin: { 'statsig-whn': 'cli.cjs' },
  files: ['cli.cjs', 'sqlparser_rs_wasm_bg.wasm'],
  engines: { node: project.engines.node },
};

const readme = `# statsig-whn

The command line of Statsig Warehouse Native Sources for VS Code: a Statsig project's Warehouse
Native sources as a folder of \`.sql\` and \`.source.json\` files, for git and CI.

\`\`\`sh
npm install -g ./statsig-whn-${project.version}.tgz
export STATSIG_CONSOLE_API_KEY=console-…
statsig-whn pull                        # the folder statsig/ and its statsig.lock.json
statsig-whn validate --format github    # local checks and Statsig's dry run, as GitHub annotations
statsig-whn plan                        # what push would do
statsig-whn push --yes                  # do it
statsig-whn --help
\`\`\`

Node ${project.engines.node}; no dependencies. The folder format, the exit codes and a GitHub Actions
workflow: ${String(project.homepage).replace(/#.*$/, '')}#sources-as-code
`;

const staging = mkdtempSync(join(tmpdir(), 'statsig-whn-pack-'));
try {
  await esbuild.build({
    ...cliBuildOptions({ outdir: staging, version: project.version, common: { bundle: true, minify: true, sourcemap: false, legalComments: 'none', logLevel: 'warning' } }),
  });
  copyFileSync(SQL_PARSER_WASM, join(staging, 'sqlparser_rs_wasm_bg.wasm'));
  copyFileSync('LICENSE', join(staging, 'LICENSE'));
  writeFileSync(join(staging, 'README.md'), readme);
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(out, { recursive: true });
  // npm itself packs (the tarball layout npm install expects); through the npm running this script when there is one.
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const packed = spawnSync(npm[0], [...npm.slice(1), 'pack', '--json', '--pack-destination', out], {
    cwd: staging, encoding: 'utf8', shell: npm.length === 1 && process.platform === 'win32',
  });
  if (packed.status !== 0) {
    console.error(`npm pack failed (exit ${packed.status ?? packed.signal}):\n${packed.stderr}`);
    process.exit(1);
  }
  const [info] = JSON.parse(packed.stdout);
  const tarball = join(out, info.filename);
  const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  console.log(`${tarball}: ${info.files.map((f) => f.path).sort().join(', ')}; ${(info.size / 1024 / 1024).toFixed(1)} MB`);
  console.log(`sha256 ${sha256}`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
