// statsig-whn pull and validate, end to end: the bundled executable in real processes against the
// emulator over real HTTP (127.0.0.1). pull → the files and the lock as documented → a broken .sql
// → validate --format github points at its line and column, exit 1 → fixed → validate exit 0 after
// a dry run → pull refuses to overwrite the change, --force does → no key anywhere.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { annotation, escapeData, escapeProperty } from '../../src/cli/annotations.ts';
import { KIND_FOLDERS, parseFolder } from '../../src/core/sourceFiles.ts';
import { parseLock, sourceHash } from '../../src/core/sourceLock.ts';
import { readTree } from '../../src/cli/folder.ts';
import { TEST_KEY } from './helpers/emulator.ts';
import { cliSuite, runCliProcess } from './helpers/cliBundle.ts';
import { useSqlParser } from './helpers/sqlParser.ts';

useSqlParser();

describe('GitHub annotations', () => {
  test('message and property escaping follow the runner (%, CR, LF; also : and , in properties)', () => {
    assert.equal(escapeData('50% of a\r\nb: c, d'), '50%25 of a%0D%0Ab: c, d');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    assert.equal(
      annotation({ level: 'error', file: 'statsig/metric-sources/a,b:c.sql', line: 3, col: 7, title: 'metricSource/a,b', message: 'bad\n100%' }),
      '::error file=statsig/metric-sources/a%2Cb%3Ac.sql,line=3,col=7,title=metricSource/a%2Cb::bad%0A100%25',
    );
  });
});

describe('statsig-whn pull and validate against the emulator (real processes, real HTTP)', () => {
  const f = cliSuite('statsig-whn-work-');
  const { run, file, write } = f;
  const SQL = 'metric-sources/user_signups.sql';
  const dryRuns = () => f.h.emulator.stats().byRoute['POST /console/v1/metrics/metric_source/{name}'] ?? 0;

  test('pull writes one .sql and one .source.json per source in the kind folders, and the lock', async () => {
    const r = await run('pull');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Pulled 19 sources of project local-project into statsig: 19 written, 0 unchanged, 0 removed\.\n$/);
    const remote = await f.h.api.get({ kind: 'metricSource', name: 'user_signups' });
    assert.equal(file(SQL), remote.data['sql']);
    const json = file('metric-sources/user_signups.source.json');
    assert.ok(json.startsWith('{\n  "name": "user_signups",\n') && json.endsWith('}\n') && !json.includes('"sql"'));
    const lock = parseLock(file('statsig.lock.json'));
    assert.ok(lock.ok);
    assert.equal(lock.lock.projectId, 'local-project');
    assert.equal(lock.lock.sources['metricSource/user_signups']?.hash, sourceHash('metricSource', remote.data));
    const tree = readTree(join(f.work, 'statsig'));
    const parsed = parseFolder(tree);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.sources.length, Object.keys(lock.lock.sources).length);
    for (const path of tree.keys()) assert.ok(path === 'statsig.lock.json' || Object.values(KIND_FOLDERS).includes(path.slice(0, path.indexOf('/'))), path);
    // Seeded names with upper case and spaces, and ingestion's type/dataset folders.
    assert.ok(tree.has('metric-sources/Order Revenue~21.sql'));
    assert.ok(tree.has('ingestion-sources/snowflake-v2/Events/app_events_ingest.source.json'));
    const again = await run('pull');
    assert.match(again.stdout, /19 sources .*: 0 written, 19 unchanged/);
  });

  test('a broken .sql: validate --format github exits 1 with an annotation at its exact line and column', async () => {
    const before = dryRuns();
    write(SQL, 'SELECT user_id, stable_id, signup_ts\nFROM analytics.users\nWHERE AND plan = 1');
    const r = await run('validate', '--format', 'github');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^::error file=statsig\/metric-sources\/user_signups\.sql,line=3,col=7,title=metricSource\/user_signups::.+$/m);
    assert.match(r.stdout, /19 sources: 18 passed, 1 failed; 1 dry run/);
    assert.equal(dryRuns(), before + 1, 'the changed source, and only it, was dry-run');
    const local = await run('validate', '--local-only', '--format', 'json');
    assert.equal(local.status, 1);
    const report = JSON.parse(local.stdout) as { sources: { source: string; changed: boolean; findings: { file: string; line: number; column: number; severity: string }[] }[] };
    const broken = report.sources.find((s) => s.source === 'metricSource/user_signups');
    assert.equal(broken?.changed, true);
    assert.deepEqual(broken?.findings.filter((f) => f.severity === 'error').map((f) => [f.file, f.line, f.column]), [['statsig/metric-sources/user_signups.sql', 3, 7]]);
    assert.equal(dryRuns(), before + 1, '--local-only sends nothing');
  });

  test('fixed: validate exits 0 after Statsig\'s dry run, and Statsig still has its version', async () => {
    const before = dryRuns();
    write(SQL, 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users\nWHERE plan IS NOT NULL');
    const r = await run('validate');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /19 sources: 19 passed, 0 failed; 1 dry run/);
    assert.equal(dryRuns(), before + 1);
    const remote = await f.h.api.get({ kind: 'metricSource', name: 'user_signups' });
    assert.equal(remote.data['sql'], 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users');
  });

  test('pull refuses to overwrite the local change, naming it; --force overwrites', async () => {
    const r = await run('pull');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /local changes would be overwritten; nothing was written[^]*\n {2}metric-sources\/user_signups\.sql\n/);
    assert.match(file(SQL), /WHERE plan IS NOT NULL/);
    const unknown = await run('pull', '--force', '--kind', 'metricSource', 'user_signups', 'no_such_source');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no metric source named "no_such_source" on Statsig\.\nstatsig-whn: nothing was written\.\n$/);
    assert.match(file(SQL), /WHERE plan IS NOT NULL/);
    const forced = await run('pull', '--force', '--kind', 'metric-sources', 'user_signups');
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /Pulled 1 source .*: 1 written/);
    assert.doesNotMatch(file(SQL), /WHERE/);
  });

  test('a source deleted on Statsig is removed locally with its lock entry; a lock of another project is refused', async () => {
    await f.h.api.delete({ kind: 'qualifyingEvent', name: 'checkout_started' });
    const r = await run('pull');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Pulled 18 sources .*: 0 written, 18 unchanged, 1 removed\./);
    const tree = readTree(join(f.work, 'statsig'));
    assert.ok(!tree.has('qualifying-events/checkout_started.sql') && !tree.has('qualifying-events/checkout_started.source.json'));
    const lock = parseLock(file('statsig.lock.json'));
    assert.ok(lock.ok && !('qualifyingEvent/checkout_started' in lock.lock.sources) && Object.keys(lock.lock.sources).length === 18);
    mkdirSync(join(f.work, 'other'));
    writeFileSync(join(f.work, 'other', 'statsig.lock.json'), JSON.stringify({ version: 1, projectId: 'another-project', sources: {} }));
    const other = await run('pull', '--dir', 'other');
    assert.equal(other.status, 2);
    assert.match(other.stderr, /was pulled from the project another-project, but this key belongs to local-project/);
  });

  test('usage and configuration errors are exit 2 with a sentence; --help for each command', async () => {
    const saved = f.env;
    f.env = { STATSIG_API_URL: f.h.emulator.url };
    const noKey = await run('pull');
    assert.deepEqual([noKey.status, noKey.stderr], [2, 'statsig-whn: Set STATSIG_CONSOLE_API_KEY to a Console API key (in CI: a repository secret).\n']);
    f.env = saved;
    const http = await run('validate', '--api-url', 'http://example.com');
    assert.equal(http.status, 2);
    assert.match(http.stderr, /uses http:\/\/, which would send the API key unencrypted/);
    for (const args of [['validate', '--format', 'xml'], ['pull', '--kind', 'widgets'], ['validate', 'extra'], ['pull', '--nope']]) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^statsig-whn: .+\n$/, args.join(' '));
    }
    for (const command of ['pull', 'validate']) {
      const help = await run(command, '--help');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Exit codes: 0 .+, 1 [^]+,\s2 bad usage or configuration/);
    }
    const wrongKey = await runCliProcess(f.cli, ['pull'], { cwd: f.work, env: { ...f.env, STATSIG_CONSOLE_API_KEY: 'console-wrongWrongWrongKey' } });
    f.outputs.push(wrongKey.stdout, wrongKey.stderr);
    assert.equal(wrongKey.status, 2);
    assert.match(wrongKey.stderr, /^statsig-whn: Statsig refused the key in STATSIG_CONSOLE_API_KEY: .+\n$/);
    assert.doesNotMatch(wrongKey.stderr, /wrongWrongWrong/);
    const down = await runCliProcess(f.cli, ['validate'], { cwd: f.work, env: { ...f.env, STATSIG_API_URL: 'http://127.0.0.1:9' } });
    f.outputs.push(down.stdout, down.stderr);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Statsig could not be read, nothing was validated/);
  });

  test('the key is in no output and no file written', () => {
    assert.ok(f.outputs.length > 10);
    for (const text of f.outputs) assert.ok(!text.includes(TEST_KEY), text);
    for (const [path, text] of readTree(f.work)) assert.ok(!text.includes(TEST_KEY) && !text.includes('unitTestKey'), path);
  });
});
