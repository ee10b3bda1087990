// A fuzz campaign over every target of properties.ts. Unlike the unit stage (fixed seed, stops at
// the first failure), it runs every case, counts failures instead of stopping, times each case,
// and prints per target: cases, uncaught errors (exceptions out of the code under test) and
// property violations, the slowest case in ms and the size of that slowest input.
// Run: npm run fuzz -- [--count 100000] [--seed 42] [--only validate] [--jobs 2]
// The seed is printed; the same seed and count replay the same inputs. Failing inputs (the first
// three per target) are written to test-results/fuzz-failures.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AssertionError } from 'node:assert';
import fc from 'fast-check';
import { targets } from './properties.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const seed = values.seed !== undefined ? Number(values.seed) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const jobs = Math.max(1, Number(values.jobs));
const selected = targets.filter((t) => values.only === undefined || t.name.includes(values.only));

interface Summary {
  name: string;
  cases: number;
  uncaught: number;
  violations: number;
  slowestMs: number;
  slowestSize: number;
  totalMs: number;
  failures: { kind: 'uncaught' | 'violation'; error: string; input: string }[];
}

function describeInput(input: unknown): string {
  const text = fc.stringify(input);
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text;
}

async function campaign(target: (typeof targets)[number]): Promise<Summary> {
  const s: Summary = { name: target.name, cases: 0, uncaught: 0, violations: 0, slowestMs: 0, slowestSize: 0, totalMs: 0, failures: [] };
  await fc.check(fc.asyncProperty(target.arbitrary, async (input) => {
    const started = performance.now();
    try {
      await target.check(input);
    } catch (error) {
      const kind = error instanceof AssertionError ? 'violation' : 'uncaught';
      s[kind === 'violation' ? 'violations' : 'uncaught']++;
      if (s.failures.length < 3) s.failures.push({ kind, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), input: describeInput(input) });
    }
    const ms = performance.now() - started;
    s.cases++;
    s.totalMs += ms;
    if (ms > s.slowestMs) {
      s.slowestMs = ms;
      s.slowestSize = target.size(input);
    }
    return true;
  }), { seed, numRuns: count });
  return s;
}

async function child(names: string[]): Promise<Summary[]> {
  const self = fileURLToPath(import.meta.url);
  const out: Summary[] = [];
  for (const name of names) {
    const proc = spawn(process.execPath, [self, '--count', String(count), '--seed', String(seed), '--only', name, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { text += d; });
    await new Promise((resolve) => proc.on('close', resolve));
    out.push(...(JSON.parse(text) as Summary[]));
  }
  return out;
}

let results: Summary[];
const started = performance.now();
if (values.json) {
  results = [];
  for (const t of selected) results.push(await campaign(t));
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
} else {
  console.log(`fuzz: ${count} cases per target, seed ${seed}${jobs > 1 ? `, ${jobs} jobs` : ''}`);
  if (jobs > 1) {
    const lanes: string[][] = Array.from({ length: jobs }, () => []);
    selected.forEach((t, i) => lanes[i % jobs]?.push(t.name));
    results = (await Promise.all(lanes.map(child))).flat();
    results.sort((a, b) => selected.findIndex((t) => t.name === a.name) - selected.findIndex((t) => t.name === b.name));
  } else {
    results = [];
    for (const t of selected) {
      results.push(await campaign(t));
      const r = results.at(-1);
      if (r) console.log(`  done: ${r.name}`);
    }
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number) => n.toLocaleString('en-US');
console.log(`\n${pad('target', 44)} ${'cases'.padStart(9)} ${'uncaught'.padStart(9)} ${'violated'.padStart(9)} ${'slowest ms'.padStart(11)} ${'its size'.padStart(10)} ${'mean ms'.padStart(8)}`);
for (const r of results) {
  console.log(`${pad(r.name, 44)} ${num(r.cases).padStart(9)} ${num(r.uncaught).padStart(9)} ${num(r.violations).padStart(9)} ${r.slowestMs.toFixed(1).padStart(11)} ${num(r.slowestSize).padStart(10)} ${(r.totalMs / Math.max(1, r.cases)).toFixed(2).padStart(8)}`);
}
const failed = results.filter((r) => r.uncaught + r.violations > 0);
console.log(`\n${failed.length === 0 ? 'no failures' : `${failed.length} target(s) failed`} — seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (failed.length > 0) {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'fuzz-failures.json'), JSON.stringify({ seed, count, failed }, null, 2));
  for (const r of failed) for (const f of r.failures) console.log(`\n[${r.name}] ${f.kind}: ${f.error}\n  input: ${f.input.slice(0, 500)}`);
  process.exitCode = 1;
}
