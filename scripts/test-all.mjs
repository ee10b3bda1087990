// `npm test`: every stage, in order, each with a closing line of counts, then one overall line.
// The one list of test stages: `npm run test:unit` / `test:contract` / `test:browser` run one stage
// through this file too (integration and e2e have their own launchers, with options, which the
// stages below call).
// Stages: typecheck, lint, unit (core + emulator, plain Node), contract, browser (the custom editor's
// bundle in headless Chromium), integration (real VS Code), e2e (Playwright in the real workbench).
// A stage that fails does not stop the others; the exit code is non-zero if any stage failed or if
// no test ran at all.
import { spawn } from 'node:child_process';

const only = process.argv.slice(2);
const STAGES = [
  { name: 'typecheck', cmd: ['tsc', '-p', '.', '--noEmit'] },
  { name: 'lint', cmd: ['eslint', '.'] },
  { name: 'unit', cmd: ['node', '--test', '--test-reporter=spec', '--test-concurrency=1', 'test/unit/**/*.test.ts', 'test/emulator/**/*.test.ts'] },
  { name: 'contract', cmd: ['node', '--test', '--test-reporter=spec', 'test/contract/**/*.test.ts'] },
  { name: 'browser', cmd: ['node', '--test', '--test-reporter=spec', 'test/browser/**/*.test.ts'] },
  { name: 'integration', cmd: ['node', 'scripts/vscode/run-integration.mjs'] },
  { name: 'e2e', cmd: ['node', 'scripts/vscode/run-e2e.mjs'] },
].filter((s) => only.length === 0 || only.includes(s.name));

function run(cmd) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    const tee = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('error', (e) => { out += String(e); resolve({ code: 127, out, ms: Date.now() - started }); });
    child.on('close', (code) => resolve({ code: code ?? 1, out, ms: Date.now() - started }));
  });
}

/** Counts from the runners' own summaries: node:test (spec reporter), mocha, our e2e runner. */
function counts(out) {
  const last = (re) => { const all = [...out.matchAll(re)]; return all.length ? Number(all.at(-1)[1]) : undefined; };
  const passed = last(/^ℹ pass (\d+)/gm) ?? last(/^\s*(\d+) passing/gm) ?? last(/^\S*:? ?(\d+) passed, \d+ failed/gm);
  const failed = last(/^ℹ fail (\d+)/gm) ?? last(/^\s*(\d+) failing/gm) ?? last(/^\S*:? ?\d+ passed, (\d+) failed/gm);
  return { passed, failed };
}

let totalPassed = 0;
let totalFailed = 0;
const summary = [];
for (const stage of STAGES) {
  console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
  const { code, out, ms } = await run(stage.cmd);
  const c = counts(out);
  const testStage = c.passed !== undefined || c.failed !== undefined;
  const passed = testStage ? (c.passed ?? 0) : (code === 0 ? 1 : 0);
  let failed = testStage ? (c.failed ?? 0) : (code === 0 ? 0 : 1);
  if (code !== 0 && failed === 0) failed = 1; // a crash with no failing test is still a failure
  if (testStage && code === 0 && passed === 0) failed = Math.max(failed, 1); // ran no test: not a pass
  totalPassed += passed;
  totalFailed += failed;
  const line = `${stage.name}: ${passed} passed, ${failed} failed (${(ms / 1000).toFixed(1)} s)`;
  summary.push(line);
  console.log(`=== ${line}`);
}
console.log('\nSummary');
for (const l of summary) console.log(`  ${l}`);
console.log(`${totalPassed} passed, ${totalFailed} failed`);
process.exit(totalFailed === 0 && totalPassed > 0 ? 0 : 1);
