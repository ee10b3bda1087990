// statsig-whn (src/cli): `sql` and `check`, in-process through run() and as the bundled executable
// in a real process (stdin, stdout, exit codes).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { EXIT, run, type Io } from '../../src/cli/main.ts';
import { WASM_PATH, useSqlParser } from './helpers/sqlParser.ts';

useSqlParser();

function io(stdin = '', files: Record<string, string | Buffer> = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stdin: () => stdin,
    readFile: (path) => {
      const f = files[path];
      if (f === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return Buffer.from(f);
    },
  };
}

const json = (x: { out: string[] }) => JSON.parse(x.out.join('')) as { problems: { from: number; to: number; line: number; column: number; severity: string; message: string }[]; outputColumns?: string[] | null; tables?: string[] };

describe('statsig-whn sql', () => {
  test('valid SQL with macros: no problems, the output columns and tables, exit 0', () => {
    const x = io('SELECT user_id, ts AS exposure_ts\nFROM analytics.events\nWHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}');
    assert.equal(run(['sql', '--dialect', 'snowflake'], x, 't'), EXIT.ok);
    assert.deepEqual(json(x), { problems: [], outputColumns: ['user_id', 'exposure_ts'], tables: ['analytics.events'] });
  });

  test('a syntax error: its exact span (0-based offsets) and 1-based line and column, exit 1', () => {
    const sql = 'SELECT user_id\nFROM t\nWHERE AND x = 1';
    const x = io(sql);
    assert.equal(run(['sql', '--dialect', 'bigquery'], x, 't'), EXIT.problems);
    const [p] = json(x).problems;
    assert.ok(p);
    assert.equal(sql.slice(p.from, p.to), 'AND');
    assert.deepEqual([p.line, p.column, p.severity], [3, 7, 'error']);
  });

  test('* over a table: outputColumns is null', () => {
    const x = io('SELECT * FROM analytics.events');
    assert.equal(run(['sql', '--dialect', 'duckdb'], x, 't'), EXIT.ok);
    assert.equal(json(x).outputColumns, null);
  });

  test('bad usage is exit 2 with a sentence on stderr, nothing on stdout', () => {
    for (const args of [['sql'], ['sql', '--dialect', 'oracle'], ['sql', '--dialect', 'snowflake', '--nope'], ['sql', '--dialect', 'snowflake', 'file.sql'], ['frob'], []]) {
      const x = io('SELECT 1');
      assert.equal(run(args, x, 't'), EXIT.usage, args.join(' '));
      if (args.length > 0) {
        assert.equal(x.out.join(''), '', args.join(' '));
        assert.match(x.err.join(''), /^statsig-whn: .+\n$/, args.join(' '));
      }
    }
  });

  test('--help everywhere and --version', () => {
    for (const args of [['--help'], ['sql', '--help'], ['check', '--help']]) {
      const x = io();
      assert.equal(run(args, x, 't'), EXIT.ok);
      assert.match(x.out.join(''), /Exit codes/);
    }
    const v = io();
    assert.equal(run(['--version'], v, '1.2.3'), EXIT.ok);
    assert.equal(v.out.join(''), '1.2.3\n');
  });
});

describe('statsig-whn check', () => {
  const source = JSON.stringify({
    name: 'exposures', sql: 'SELECT user_id, exposure_ts, experiment, grp FROM analytics.exposures',
    timestampColumn: 'ts', experimentIDColumn: 'experiment', groupIDColumn: 'grp', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  }, null, 2);

  test('a mapped column the query does not return: an error at the field, in the file\'s own positions, exit 1', () => {
    const x = io('', { 'a.json': source });
    assert.equal(run(['check', 'a.json', '--kind', 'assignmentSource'], x, 't'), EXIT.problems);
    const errors = json(x).problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(source.slice(errors[0]?.from, errors[0]?.to), '"ts"');
    assert.match(errors[0]?.message ?? '', /"ts" is not returned by this query; it returns user_id, exposure_ts, experiment, grp/);
  });

  test('a valid document: exit 0', () => {
    const x = io('', { 'a.json': source.replace('"ts"', '"exposure_ts"') });
    assert.equal(run(['check', 'a.json', '--kind', 'assignmentSource', '--dialect', 'postgres'], x, 't'), EXIT.ok, x.out.join(''));
  });

  test('hostile input gets problems, never a crash: binary, deep nesting, 1 MB, not JSON', () => {
    const inputs: (string | Buffer)[] = [
      Buffer.from([0, 255, 254, 1, 2, 3, 0x7b, 0x22]), '['.repeat(100_000), `{"sql": "${'x'.repeat(1_000_000)}"}`, 'SELECT 1', '',
    ];
    for (const input of inputs) {
      const x = io('', { f: input });
      assert.equal(run(['check', 'f', '--kind', 'metricSource'], x, 't'), EXIT.problems);
      assert.ok(json(x).problems.length > 0);
    }
  });

  test('usage: a missing file, kind or an unknown kind is exit 2', () => {
    for (const args of [['check'], ['check', 'a.json'], ['check', 'a.json', '--kind', 'nope'], ['check', 'missing.json', '--kind', 'metricSource'], ['check', 'a.json', 'b.json', '--kind', 'metricSource']]) {
      const x = io('', { 'a.json': source });
      assert.equal(run(args, x, 't'), EXIT.usage, args.join(' '));
    }
  });
});

describe('the bundled executable, in a real process', () => {
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'statsig-whn-cli-'));
    await esbuild.build({
      entryPoints: { cli: 'src/cli/bin.ts' }, outdir: dir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs',
      mainFields: ['module', 'main'], banner: { js: '#!/usr/bin/env node' }, logLevel: 'silent',
    });
    copyFileSync(WASM_PATH, join(dir, 'sqlparser_rs_wasm_bg.wasm'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], input = '') => spawnSync(process.execPath, [join(dir, 'cli.cjs'), ...args], { input, encoding: 'utf8', timeout: 30_000 });

  test('sql reads stdin and exits 0 / 1 / 2', () => {
    const ok = cli(['sql', '--dialect', 'snowflake'], 'SELECT a, b AS c FROM s.t');
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual((JSON.parse(ok.stdout) as { outputColumns: string[] }).outputColumns, ['a', 'c']);
    assert.equal(cli(['sql', '--dialect', 'snowflake'], 'SELCT a FROM t').status, 1);
    const usage = cli(['sql', '--dialect', 'nope'], 'SELECT 1');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Unknown dialect "nope"/);
  });

  test('check reads a file', () => {
    const file = join(dir, 'source.json');
    writeFileSync(file, JSON.stringify({ name: 'm', sql: 'SELECT user_id, ts FROM e', timestampColumn: 'ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] }));
    const ran = cli(['check', file, '--kind', 'entityPropertySource']);
    assert.equal(ran.status, 0, ran.stdout + ran.stderr);
  });
});
