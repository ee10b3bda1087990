// Benchmark of the SQL analysis (src/core/sql), on the corpus of test/unit/sql/corpus.ts:
//   - loading the WebAssembly, in fresh processes: read + compile + instantiate (synchronous, what
//     the extension does), against the asynchronous path (WebAssembly.compile), and the first
//     analysis after it (V8 compiles the WebAssembly's functions lazily, on first call);
//   - the first save's cost: a fresh process validating one source document (load included);
//   - analysis per source: median and p99 over every corpus query of every dialect, against the
//     floor of sqlparser-rs' own parse of the same text (the ratio is what the analysis adds);
//   - a 100-source project validated locally (localValidation of 100 documents), against the
//     floor of parsing their SQL alone;
//   - which sqlparser-rs dialect reads the Athena (Trino) corpus.
//   - the first save's local validation in a fresh process, with and without the parser.
// Run: npm run bench:sql [-- --runs 15 --loads 7]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSource } from '../../src/core/document.ts';
import type { KindId, SourceRef } from '../../src/core/kinds.ts';
import { analyzeSql } from '../../src/core/sql/analyze.ts';
import { DIALECTS, SQL_DIALECTS, type SqlDialect } from '../../src/core/sql/dialects.ts';
import { tokenize } from '../../src/core/sql/lexer.ts';
import { substituteMacros } from '../../src/core/sql/macros.ts';
import { parseRaw } from '../../src/core/sql/parser.ts';
import { templateFor } from '../../src/core/templates.ts';
import { localValidation } from '../../src/core/validation.ts';
import { useSqlParser, WASM_PATH } from '../unit/helpers/sqlParser.ts';
import { ATHENA_PROBE, BROKEN, brokenFor, HELD_OUT_BROKEN, HELD_OUT_VALID, VALID } from '../unit/sql/corpus.ts';
import { formatScores, scoreCorpus } from '../unit/sql/corpusReport.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    loads: { type: 'string', default: '7' },
    child: { type: 'string' },
  },
});

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 1)} ms`;

// ------------------------------------------------------------------ child processes (a fresh V8 each)

if (values.child === 'sync') {
  const t0 = performance.now();
  const bytes = readFileSync(WASM_PATH);
  const t1 = performance.now();
  useSqlParser();
  const loaded = parseRaw('SELECT 1', 'generic'); // loads (read again by the parser: the page cache has it) and parses once
  const t2 = performance.now();
  const first = analyzeSql(VALID[0]?.sql ?? 'SELECT 1', 'snowflake');
  const t3 = performance.now();
  console.log(JSON.stringify({ read: t1 - t0, loadAndFirstParse: t2 - t1, firstAnalysis: t3 - t2, ok: loaded.kind === 'ast' && first.parsed, bytes: bytes.length }));
  process.exit(0);
}
if (values.child === 'load-only') {
  // Read + compile + instantiate, nothing parsed: what loadSqlParser() costs by itself.
  const { loadSqlParser, sqlParserStatus } = await import('../../src/core/sql/parser.ts');
  useSqlParser();
  const t0 = performance.now();
  const r = loadSqlParser();
  const t1 = performance.now();
  const status = sqlParserStatus();
  console.log(JSON.stringify({ load: t1 - t0, ok: r.ok && status.state === 'ready' }));
  process.exit(0);
}
if (values.child === 'async' || values.child === 'compile-sync') {
  const t0 = performance.now();
  const bytes = readFileSync(WASM_PATH);
  const module = values.child === 'async' ? await WebAssembly.compile(bytes) : new WebAssembly.Module(bytes);
  const t1 = performance.now();
  console.log(JSON.stringify({ compile: t1 - t0, imports: WebAssembly.Module.imports(module).length }));
  process.exit(0);
}
if (values.child === 'first-save' || values.child === 'first-save-no-parser') {
  if (values.child === 'first-save') useSqlParser(); // else: the SQL is reported "not checked", nothing loads
  const ref: SourceRef = { kind: 'assignmentSource', name: 'exposures' };
  const text = formatSource({ ...templateFor(ref), sql: VALID[0]?.sql ?? 'SELECT 1' });
  const t0 = performance.now();
  const r = localValidation(text, { kind: ref.kind, ref, isNew: true, base: undefined, dialect: 'snowflake' });
  const t1 = performance.now();
  const again = performance.now();
  localValidation(text, { kind: ref.kind, ref, isNew: true, base: undefined, dialect: 'snowflake' });
  const t2 = performance.now();
  console.log(JSON.stringify({ firstSave: t1 - t0, secondSave: t2 - again, problems: r.problems.length }));
  process.exit(0);
}

function child<T>(mode: string): T {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`child ${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as T;
}

// ------------------------------------------------------------------ the benchmark

const runs = Number(values.runs);
const loads = Number(values.loads);
console.log(`sql bench: Node ${process.version}, ${loads} fresh processes for loading, ${runs} runs over the corpus`);

const load = Array.from({ length: loads }, () => child<{ load: number; ok: boolean }>('load-only'));
const sync = Array.from({ length: loads }, () => child<{ read: number; loadAndFirstParse: number; firstAnalysis: number; ok: boolean; bytes: number }>('sync'));
const asyncLoads = Array.from({ length: loads }, () => child<{ compile: number }>('async'));
const syncCompiles = Array.from({ length: loads }, () => child<{ compile: number }>('compile-sync'));
const saves = Array.from({ length: loads }, () => child<{ firstSave: number; secondSave: number }>('first-save'));
const savesWithout = Array.from({ length: loads }, () => child<{ firstSave: number; secondSave: number }>('first-save-no-parser'));
if (!load.every((l) => l.ok) || !sync.every((s) => s.ok)) throw new Error('the parser did not load');
const loadMs = median(load.map((l) => l.load));
const asyncMs = median(asyncLoads.map((a) => a.compile));
const syncCompileMs = median(syncCompiles.map((a) => a.compile));
console.log('\nWebAssembly (%s KB), fresh process each, median of %d:', ((sync[0]?.bytes ?? 0) / 1024).toFixed(0), loads);
console.log(`  read + compile + instantiate, synchronous (what the extension does): ${ms(loadMs)}  (min ${ms(Math.min(...load.map((l) => l.load)))}, max ${ms(Math.max(...load.map((l) => l.load)))})`);
console.log(`  of which read + new WebAssembly.Module (synchronous compile):        ${ms(syncCompileMs)}`);
console.log(`  read + await WebAssembly.compile (asynchronous, for comparison):     ${ms(asyncMs)}  (${(asyncMs / syncCompileMs).toFixed(2)}× the synchronous compile)`);
console.log(`  load + first parse of SELECT 1 (V8 compiles functions on first call): ${ms(median(sync.map((s) => s.loadAndFirstParse)))}`);
console.log(`  then the first analysis of a real query:                            ${ms(median(sync.map((s) => s.firstAnalysis)))}`);
console.log(`  first save's local validation (JSON, schema, load + parse + columns), fresh process: ${ms(median(saves.map((s) => s.firstSave)))}; the second save: ${ms(median(saves.map((s) => s.secondSave)))}`);
console.log(`  the same without the parser (floor: everything but the SQL): ${ms(median(savesWithout.map((s) => s.firstSave)))}; the second save: ${ms(median(savesWithout.map((s) => s.secondSave)))}`);

useSqlParser();
const cases: { sql: string; dialect: SqlDialect }[] = [
  ...[...VALID, ...HELD_OUT_VALID].map((v) => ({ sql: v.sql, dialect: v.dialect })),
  ...SQL_DIALECTS.flatMap((d) => [...BROKEN, ...HELD_OUT_BROKEN].filter((b) => !b.validIn?.includes(d)).map((b) => ({ sql: brokenFor(b, d).sql, dialect: d }))),
];
// Warm up, then time each case `runs` times: the analysis, and the floor (sqlparser-rs' parse of the same, macros replaced).
const floorOf = (c: { sql: string; dialect: SqlDialect }) => {
  const info = DIALECTS[c.dialect];
  const text = substituteMacros(c.sql, tokenize(c.sql, info), c.dialect).text;
  return () => parseRaw(text, info.parser);
};
for (const c of cases) {
  analyzeSql(c.sql, c.dialect);
  floorOf(c)();
}
const analysis: number[] = [];
const floors: number[] = [];
for (let r = 0; r < runs; r++) {
  for (const c of cases) {
    const floor = floorOf(c);
    let t = performance.now();
    floor();
    floors.push(performance.now() - t);
    t = performance.now();
    analyzeSql(c.sql, c.dialect);
    analysis.push(performance.now() - t);
  }
}
console.log(`\nAnalysis per source (${cases.length} corpus queries × ${runs} runs, all dialects):`);
console.log(`  analyzeSql: median ${ms(median(analysis))}, p99 ${ms(quantile(analysis, 0.99))}`);
console.log(`  floor (sqlparser-rs' parse alone): median ${ms(median(floors))}, p99 ${ms(quantile(floors, 0.99))}; ratio of medians ${(median(analysis) / median(floors)).toFixed(2)}×`);

// A project of 100 sources: metric sources whose SQL is the corpus' valid queries, mapped columns from their output.
const valid = [...VALID, ...HELD_OUT_VALID];
const project = Array.from({ length: 100 }, (_, i) => {
  const v = valid[i % valid.length];
  if (!v) throw new Error('empty corpus');
  const kind: KindId = 'metricSource';
  const ref: SourceRef = { kind, name: `source_${i}` };
  const mapped = v.columns.slice(0, 2);
  const doc = { ...templateFor(ref), sql: v.sql, timestampColumn: mapped[0] ?? 'ts', idTypeMapping: [{ statsigUnitID: 'userID', column: mapped[1] ?? 'user_id' }] };
  return { text: formatSource(doc), ref, dialect: v.dialect, sql: v.sql };
});
const projectTimes: number[] = [];
const projectFloors: number[] = [];
for (let r = 0; r < runs + 2; r++) {
  let t = performance.now();
  for (const p of project) floorOf({ sql: p.sql, dialect: p.dialect })();
  const floor = performance.now() - t;
  t = performance.now();
  for (const p of project) localValidation(p.text, { kind: p.ref.kind, ref: p.ref, isNew: true, base: undefined, dialect: p.dialect });
  const total = performance.now() - t;
  if (r >= 2) {
    projectTimes.push(total);
    projectFloors.push(floor);
  }
}
console.log(`\nA 100-source project validated locally (JSON, schema, SQL, mapped columns), median of ${runs}:`);
console.log(`  ${ms(median(projectTimes))} (${ms(median(projectTimes) / 100)} per source); floor (parsing their SQL alone) ${ms(median(projectFloors))}; ratio ${(median(projectTimes) / median(projectFloors)).toFixed(2)}×`);

// Which sqlparser-rs dialect reads Athena's (Trino's) queries: each candidate in DIALECTS.athena in
// turn (a measurement only: the object is put back as it was).
const athenaInfo = DIALECTS.athena as unknown as { parser: string };
const chosen = athenaInfo.parser;
console.log(`\nAthena (Trino) as each sqlparser-rs dialect: the Athena corpus and ${ATHENA_PROBE.length} Trino syntax probes (parse only); chosen: ${chosen}`);
console.log('  candidate   valid+probes parsed  mistakes caught  on the exact token');
for (const candidate of ['generic', 'postgresql', 'ansi', 'hive', 'mysql']) {
  athenaInfo.parser = candidate;
  const scores = [...scoreCorpus('tuning'), ...scoreCorpus('held-out')].filter((x) => x.dialect === 'athena');
  const probes = ATHENA_PROBE.filter((q) => analyzeSql(q, 'athena').parsed).length;
  const sum = (f: (x: (typeof scores)[number]) => number) => scores.reduce((n, x) => n + f(x), 0);
  console.log(`  ${candidate.padEnd(11)} ${`${sum((x) => x.parsed) + probes}/${sum((x) => x.valid) + ATHENA_PROBE.length}`.padEnd(20)} ${`${sum((x) => x.caught)}/${sum((x) => x.broken)}`.padEnd(16)} ${sum((x) => x.exact)}/${sum((x) => x.broken)}`);
}
athenaInfo.parser = chosen;

console.log('\nCorpus, tuning set (per dialect: valid queries parsed, output columns right, tables right; mistakes caught, on the exact token):');
console.log(formatScores(scoreCorpus('tuning')));
console.log('\nCorpus, held-out set:');
console.log(formatScores(scoreCorpus('held-out')));
