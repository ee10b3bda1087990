// Benchmark: the local save pipeline (validateDraft without a connection: JSON, schema, unknown and
// identity fields, SQL and column checks) on a ~1 MB document of each kind, and on the 110 KB
// documents that froze the extension host before (an unterminated /*, 100,000 problems, …).
// Medians over several runs, and each as a ratio against a floor measured in the same run on the
// same text: JSON.parse (the least any validation must do). Target: < 100 ms per 1 MB document.
// Run: npm run bench:validate [-- --runs 9 --size 1000000 --root DIR]
// --root points at another checkout (e.g. `git archive main src | tar -x -C /tmp/old` with a
// node_modules link) to measure its src/ with the same documents.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SourceRef } from '../../src/core/kinds.ts';
import { KindIds, type KindId } from '../../src/core/kinds.ts';
import { templateFor } from '../../src/core/templates.ts';
import type * as Validation from '../../src/core/validation.ts';
import type * as Parser from '../../src/core/sql/parser.ts';
import { WASM_PATH } from '../unit/helpers/sqlParser.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    size: { type: 'string', default: '1000000' },
    root: { type: 'string' },
  },
});
const runs = Number(values.runs);
const size = Number(values.size);
const root = values.root ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { validateDraft } = (await import(pathToFileURL(path.join(root, 'src/core/validation.ts')).href)) as typeof Validation;
try {
  // The SQL parser of that checkout (its module holds the configuration), when it has one.
  const parser = (await import(pathToFileURL(path.join(root, 'src/core/sql/parser.ts')).href)) as typeof Parser;
  parser.configureSqlParser({ wasmPath: WASM_PATH });
} catch {
  // a checkout from before src/core/sql: its SQL checks need no parser
}

const refs: Record<KindId, SourceRef> = {
  assignmentSource: { kind: 'assignmentSource', name: 'exposures' },
  entityPropertySource: { kind: 'entityPropertySource', name: 'props' },
  qualifyingEvent: { kind: 'qualifyingEvent', name: 'qe' },
  metricSource: { kind: 'metricSource', name: 'orders' },
  ingestionSource: { kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'web' },
};

/** A large but realistic source: long SQL (columns, comments, strings, escapes), many mapped columns, long description. */
function bigDocument(ref: SourceRef, bytes: number): string {
  const doc = templateFor(ref);
  const sqlField = ref.kind === 'ingestionSource' ? 'query' : 'sql';
  const lines: string[] = ['SELECT'];
  const columns = 2000;
  for (let i = 0; i < columns; i++) lines.push(`  "col_${i}" AS c${i}, -- column ${i} (see "docs")`);
  const head = String(doc[sqlField]);
  let sql = `${head}\n${lines.join('\n')}\n  'it''s' AS s /* block (comment) */\nFROM t\nWHERE x IN (${Array.from({ length: 50 }, (_, i) => `'v${i}'`).join(', ')})`;
  if (ref.kind === 'ingestionSource') {
    doc['column_mapping'] = { event_name: 'event_name', timestamp: 'event_unix_ts', ids: Object.fromEntries(Array.from({ length: columns }, (_, i) => [`idType${i}`, `c${i}`])) };
  } else {
    doc['idTypeMapping'] = Array.from({ length: columns }, (_, i) => ({ statsigUnitID: `idType${i}`, column: `c${i}` }));
    doc['tags'] = Array.from({ length: 500 }, (_, i) => `tag-${i}`);
  }
  const rest = () => JSON.stringify({ ...doc, [sqlField]: sql }, null, 2).length;
  const filler = '  , "more" AS m -- filler line (with "quotes")\n';
  const missing = bytes - rest();
  if (missing > 0) sql += `\n${filler.repeat(Math.ceil(missing / (filler.length + 2)))}`;
  return `${JSON.stringify({ ...doc, [sqlField]: sql }, null, 2)}\n`;
}

/** The documents that froze the host before the fix, ~110 KB each. */
function pathological(): { name: string; text: string }[] {
  const ref = refs.metricSource;
  const doc = templateFor(ref);
  const with_ = (extra: Record<string, unknown>) => JSON.stringify({ ...doc, ...extra }, null, 2);
  const unknown: Record<string, unknown> = {};
  for (let i = 0; unknown && Object.keys(unknown).length < 10_000; i++) unknown[`k${i}`] = 1;
  return [
    { name: 'unterminated /* (110 KB)', text: with_({ sql: `select user_id, event_ts /*${' /*'.repeat(36_000)}` }) },
    { name: '100,000 SQL problems: ( ×100,000', text: with_({ sql: `select ${'('.repeat(100_000)}` }) },
    { name: '100,000 SQL problems with escapes', text: with_({ sql: `select "\n" ${'(\n'.repeat(50_000)}` }) },
    { name: '55,000 JSON syntax errors', text: `{\n${'x\n'.repeat(55_000)}` },
    { name: '10,000 unknown fields', text: with_(unknown) },
    { name: '32K-character column name', text: with_({ timestampColumn: 'c'.repeat(32 * 1024), sql: `select ${'x, '.repeat(25_000)} from t` }) },
    { name: 'nested 50,000 levels', text: `{"x": ${'['.repeat(50_000)}${']'.repeat(50_000)}}` },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

async function measure(kind: KindId, text: string): Promise<{ ms: number; cpu: number; floor: number; problems: number }> {
  const ctx = { kind, ref: refs[kind], isNew: true, base: undefined, dialect: 'snowflake' as const };
  const times: number[] = [];
  const floors: number[] = [];
  const cpus: number[] = [];
  let problems = 0;
  for (let i = 0; i < runs + 2; i++) {
    let t = performance.now();
    try {
      JSON.parse(text);
    } catch {
      // the floor of an invalid text is the parse that found it invalid
    }
    const floor = performance.now() - t;
    const cpu = process.cpuUsage();
    t = performance.now();
    const result = await validateDraft(text, ctx, undefined);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    problems = result.problems.length;
    if (i >= 2) { // two warm-up runs
      times.push(ms);
      floors.push(floor);
      cpus.push((used.user + used.system) / 1000);
    }
  }
  return { ms: median(times), cpu: median(cpus), floor: median(floors), problems };
}

const row = (name: string, bytes: number, r: { ms: number; cpu: number; floor: number; problems: number }) =>
  console.log(`${name.padEnd(38)} ${(bytes / 1000).toFixed(0).padStart(6)} KB ${r.ms.toFixed(1).padStart(9)} ms ${r.cpu.toFixed(1).padStart(9)} ms ${r.floor.toFixed(2).padStart(9)} ms ${(r.ms / Math.max(r.floor, 0.01)).toFixed(1).padStart(7)}× ${String(r.problems).padStart(9)}`);

console.log(`validate bench: median of ${runs} runs (after 2 warm-ups), src at ${root}`);
console.log('validate = validateDraft without a connection (wall time; CPU time of the process beside it, GC included); ratio = validate / JSON.parse of the same text');
console.log(`${'document'.padEnd(38)} ${'size'.padStart(9)} ${'validate'.padStart(12)} ${'(CPU time)'.padStart(12)} ${'JSON.parse'.padStart(12)} ${'ratio'.padStart(8)} ${'problems'.padStart(9)}`);
for (const kind of KindIds) {
  const text = bigDocument(refs[kind], size);
  row(`${kind} (~1 MB)`, text.length, await measure(kind, text));
}
for (const { name, text } of pathological()) row(name, text.length, await measure('metricSource', text));
