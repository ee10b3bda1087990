// statsig-whn plan and push, end to end: the bundled executable in real processes against the
// emulator over real HTTP (127.0.0.1). pull → edit a .sql → plan shows the update with its diff →
// push refuses without a terminal or --yes → push --yes → the change is on the emulator and the
// lock follows → plan says nothing; a change made on Statsig behind the user's back → plan and
// push exit 3 naming it, nothing pushed → --force pushes it; --prune deletes a source whose files
// were removed; no key in any output or file.
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readTree } from '../../src/cli/folder.ts';
import { runCli } from '../../src/cli/main.ts';
import { spawn } from 'node:child_process';
import { NotFoundError } from '../../src/core/errors.ts';
import { descriptor } from '../../src/core/kinds.ts';
import { parseFolder } from '../../src/core/sourceFiles.ts';
import { lockKey, parseLock, sourceHash } from '../../src/core/sourceLock.ts';
import { TEST_KEY } from './helpers/emulator.ts';
import { cliSuite, runCliProcess } from './helpers/cliBundle.ts';

describe('statsig-whn plan and push against the emulator (real processes, real HTTP)', () => {
  const f = cliSuite('statsig-whn-plan-', { pull: true });
  const { run, file, write } = f;
  const lockHash = (key: string) => {
    const lock = parseLock(file('statsig.lock.json'));
    assert.ok(lock.ok);
    return lock.lock.sources[key]?.hash;
  };
  const mutations = () => f.h.emulator.stats().mutations;
  const SIGNUPS = { kind: 'metricSource', name: 'user_signups' } as const;
  const SQL = 'metric-sources/user_signups.sql';

  test('right after pull, plan has nothing to do (exit 0)', async () => {
    const r = await run('plan');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Plan: 0 to create, 0 to update, 0 to delete, 19 unchanged.\n');
  });

  test('an edited .sql: plan shows the update, its changed fields and a unified diff Statsig → files; json says the same', async () => {
    const before = file(SQL);
    write(SQL, `${before.replace(/\n?$/, '')}\nWHERE plan IS NOT NULL`);
    const r = await run('plan');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^update metricSource\/user_signups \(sql\)\n {4}--- statsig: statsig\/metric-sources\/user_signups\.sql\n {4}\+\+\+ files: statsig\/metric-sources\/user_signups\.sql\n {4}@@ -\d+(,\d+)? \+\d+,\d+ @@\n/);
    assert.match(r.stdout, /^ {4}\+WHERE plan IS NOT NULL$/m);
    assert.match(r.stdout, /Plan: 0 to create, 1 to update, 0 to delete, 18 unchanged\.\n$/);
    const json = await run('plan', '--format', 'json');
    assert.equal(json.status, 0);
    const plan = JSON.parse(json.stdout) as { conflicts: number; sources: { source: string; action: string; request?: string; changed: string[]; body?: Record<string, unknown>; diff?: string }[] };
    const entry = plan.sources.find((s) => s.source === 'metricSource/user_signups');
    assert.equal(plan.conflicts, 0);
    assert.deepEqual([entry?.action, entry?.request, entry?.changed], ['update', 'update', ['sql']]);
    assert.match(String(entry?.body?.['sql']), /WHERE plan IS NOT NULL$/);
    assert.equal(plan.sources.filter((s) => s.action !== 'nothing').length, 1);
  });

  test('push without --yes and without a terminal refuses (exit 2) and sends nothing', async () => {
    const before = mutations();
    const r = await run('push');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no terminal to confirm on\. Pass --yes/);
    assert.equal(mutations(), before);
  });

  test('push --yes: the change is on the emulator, the lock holds its hash, progress on stderr, and plan then says nothing', async () => {
    const r = await run('push', '--yes');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /statsig-whn: 1 of 1\n/);
    assert.match(r.stdout, /Pushed 1 of 1 change to project local-project\.\n$/);
    const remote = await f.h.api.get(SIGNUPS);
    assert.match(String(remote.data['sql']), /WHERE plan IS NOT NULL$/);
    assert.equal(lockHash('metricSource/user_signups'), sourceHash('metricSource', remote.data));
    const again = await run('plan');
    assert.equal(again.status, 0);
    assert.equal(again.stdout, 'Plan: 0 to create, 0 to update, 0 to delete, 19 unchanged.\n');
    const nothing = await run('push', '--yes');
    assert.deepEqual([nothing.status, nothing.stdout], [0, 'Nothing to push: Plan: 0 to create, 0 to update, 0 to delete, 19 unchanged.\n']);
  });

  test('a change made on Statsig since the pull: plan and push exit 3 naming it, nothing pushed; --force pushes the files', async () => {
    const remote = await f.h.api.get(SIGNUPS);
    await f.h.api.update(SIGNUPS, { ...remote.data, description: 'changed on Statsig behind the back' });
    write('metric-sources/user_signups.sql', `${file(SQL)}\n  AND country = 'US'`);
    const plan = await run('plan');
    assert.equal(plan.status, 3, plan.stderr);
    assert.match(plan.stdout, /^conflict metricSource\/user_signups: it was changed on Statsig since the pull; pull to take Statsig's version, or push --force to update it \((description, sql|sql, description)\)\n/m);
    assert.match(plan.stdout, /^ {4}-.*changed on Statsig behind the back/m);
    assert.match(plan.stdout, /1 conflict\.\n$/);
    const before = mutations();
    const push = await run('push', '--yes');
    assert.equal(push.status, 3);
    assert.match(push.stderr, /1 source changed on Statsig since the pull; nothing was pushed[^]*\n {2}metricSource\/user_signups: it was changed on Statsig since the pull\n$/);
    assert.equal(mutations(), before);
    assert.equal((await f.h.api.get(SIGNUPS)).data['description'], 'changed on Statsig behind the back');
    assert.match(file(SQL), /country = 'US'$/, 'the local change is kept');
    const forced = await run('push', '--yes', '--force');
    assert.equal(forced.status, 0, forced.stderr);
    const after = await f.h.api.get(SIGNUPS);
    assert.match(String(after.data['sql']), /country = 'US'$/);
    assert.notEqual(after.data['description'], 'changed on Statsig behind the back');
    assert.equal(lockHash('metricSource/user_signups'), sourceHash('metricSource', after.data));
  });

  test('--prune: a source whose files were removed is planned as delete and push --prune deletes it; without --prune it is left alone', async () => {
    const tree = readTree(join(f.work, 'statsig'));
    const victim = [...tree.keys()].find((p) => p.startsWith('qualifying-events/') && p.endsWith('.source.json'));
    assert.ok(victim);
    const name = (JSON.parse(tree.get(victim) ?? '{}') as { name: string }).name;
    unlinkSync(join(f.work, 'statsig', ...victim.split('/')));
    const sqlFile = victim.replace(/\.source\.json$/, '.sql');
    if (tree.has(sqlFile)) unlinkSync(join(f.work, 'statsig', ...sqlFile.split('/')));
    const plain = await run('plan');
    assert.equal(plain.status, 0);
    assert.match(plain.stdout, /0 to delete, 18 unchanged/);
    const plan = await run('plan', '--prune');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, new RegExp(`^delete qualifyingEvent/${name} \\(no files\\)$`, 'm'));
    assert.match(plan.stdout, /1 to delete, 18 unchanged/);
    const push = await run('push', '--yes', '--prune');
    assert.equal(push.status, 0, push.stderr);
    await assert.rejects(f.h.api.get({ kind: 'qualifyingEvent', name }), NotFoundError);
    assert.equal(lockHash(`qualifyingEvent/${name}`), undefined);
    const after = await run('plan', '--prune');
    assert.equal(after.stdout, 'Plan: 0 to create, 0 to update, 0 to delete, 18 unchanged.\n');
  });

  test('a failure midway: the good changes are pushed (a create among them) and locked, the refused one is named at its file and line, exit 1', async () => {
    // A new source: the files of one under another name.
    const json = JSON.parse(file('metric-sources/user_signups.source.json')) as Record<string, unknown>;
    write('metric-sources/user_signups_copy.source.json', `${JSON.stringify({ ...json, name: 'user_signups_copy' }, null, 2)}\n`);
    write('metric-sources/user_signups_copy.sql', file(SQL));
    // A source whose SQL Statsig refuses: a table the warehouse does not have.
    const broken = 'metric-sources/user_signups.sql';
    const lockedBefore = lockHash('metricSource/user_signups');
    write(broken, 'SELECT user_id, stable_id, signup_ts\nFROM analytics.no_such_table');
    const plan = await run('plan');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /^create metricSource\/user_signups_copy \(/m);
    assert.match(plan.stdout, /1 to create, 1 to update/);
    const push = await run('push', '--yes');
    assert.equal(push.status, 1, push.stdout + push.stderr);
    assert.match(push.stderr, /^statsig\/metric-sources\/user_signups\.sql:2:\d+: error: Statsig: .*no_such_table/m);
    assert.match(push.stdout, /Pushed 1 of 2 changes to project local-project; 1 failed\.\n$/);
    const created = await f.h.api.get({ kind: 'metricSource', name: 'user_signups_copy' });
    assert.equal(lockHash('metricSource/user_signups_copy'), sourceHash('metricSource', created.data));
    assert.equal(lockHash('metricSource/user_signups'), lockedBefore, 'the refused source keeps its base');
    assert.doesNotMatch(String((await f.h.api.get(SIGNUPS)).data['sql']), /no_such_table/);
    const after = await run('plan');
    assert.match(after.stdout, /^update metricSource\/user_signups \(sql\)$/m);
    assert.match(after.stdout, /0 to create, 1 to update, 0 to delete, 18 unchanged/);
  });

  test('429s on the push are waited out: the source is pushed, exit 0', async () => {
    write(SQL, 'SELECT user_id, stable_id, signup_ts\nFROM analytics.users\n');
    const updates = () => f.h.emulator.stats().byRoute['POST /console/v1/metrics/metric_source/{name}'] ?? 0;
    const before = updates();
    f.h.emulator.setFaults({ force429: 3, faultMethods: ['POST', 'PATCH'] });
    try {
      const r = await run('push', '--yes');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(updates() - before, 4, 'three 429s, then the update');
    } finally {
      f.h.emulator.setFaults({ force429: 0, faultMethods: null });
    }
    const remote = await f.h.api.get(SIGNUPS);
    assert.equal(remote.data['sql'], 'SELECT user_id, stable_id, signup_ts\nFROM analytics.users\n');
    assert.equal(lockHash('metricSource/user_signups'), sourceHash('metricSource', remote.data));
  });

  test('usage: --help of plan and push documents exit 3; a bad format is exit 2', async () => {
    for (const command of ['plan', 'push']) {
      const help = await run(command, '--help');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Exit codes: 0 [^]+, 1 [^]+, 2 bad[^]+, 3 /);
    }
    const bad = await run('plan', '--format', 'github');
    assert.deepEqual([bad.status, bad.stderr], [2, 'statsig-whn: Unknown format "github". Use text or json.\n']);
  });

  test('push on a terminal asks first: anything but y/yes sends nothing (exit 2); yes pushes', async () => {
    write(SQL, 'SELECT user_id, stable_id, signup_ts\nFROM analytics.users\nWHERE signup_ts IS NOT NULL\n');
    const out: string[] = [];
    const asked: string[] = [];
    const io = (answer: string) => ({
      stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), stdin: () => '', readFile: (path: string) => readFileSync(path),
      env: f.env, cwd: f.work, ask: (q: string) => { asked.push(q); return Promise.resolve(answer); },
    });
    const before = mutations();
    assert.equal(await runCli(['push'], io(''), 'test'), 2);
    assert.equal(await runCli(['push'], io('no'), 'test'), 2);
    assert.equal(mutations(), before);
    assert.deepEqual(asked, ['Push 1 change to the Statsig project local-project? [y/N] ', 'Push 1 change to the Statsig project local-project? [y/N] ']);
    assert.match(out.join(''), /statsig-whn: not pushed\.\n/);
    assert.equal(await runCli(['push'], io('y'), 'test'), 0);
    assert.match(String((await f.h.api.get(SIGNUPS)).data['sql']), /WHERE signup_ts IS NOT NULL/);
    f.outputs.push(...out);
  });

  test('a folder with problems gets no plan (exit 1, each named); Statsig unreachable is exit 1', async () => {
    write('metric-sources/notes.txt', 'not a source');
    try {
      const r = await run('plan', '--prune');
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^statsig\/metric-sources\/notes\.txt:1:1: error: Not a source file/m);
      assert.equal(r.stdout, '');
    } finally {
      unlinkSync(join(f.work, 'statsig', 'metric-sources', 'notes.txt'));
    }
    const down = await runCliProcess(f.cli, ['plan'], { cwd: f.work, env: { ...f.env, STATSIG_API_URL: 'http://127.0.0.1:9' } });
    f.outputs.push(down.stdout, down.stderr);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Statsig could not be read, there is no plan/);
  });

  test('Ctrl+C during push: no new request starts, those in flight finish, and the lock is true for exactly what was pushed (exit 1)', async () => {
    const tree = readTree(join(f.work, 'statsig'));
    const sqls = [...tree.keys()].filter((p) => p.endsWith('.sql') && !p.startsWith('ingestion-sources/')).sort().slice(0, 12);
    assert.equal(sqls.length, 12);
    const MARK = '\n-- interrupted push';
    for (const p of sqls) write(p, `${tree.get(p) ?? ''}${MARK}`);
    const lockBefore = parseLock(file('statsig.lock.json'));
    assert.ok(lockBefore.ok);
    f.h.emulator.setFaults({ latencyMs: 250 });
    let ran: { status: number | null; stdout: string; stderr: string };
    try {
      ran = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(f.cli, 'cli.cjs'), 'push', '--yes'], { cwd: f.work, env: { PATH: process.env['PATH'] ?? '', ...f.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let sent = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          if (!sent && /statsig-whn: 1 of 12\n/.test(stderr)) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    } finally {
      f.h.emulator.setFaults({ latencyMs: 0 });
    }
    f.outputs.push(ran.stdout, ran.stderr);
    assert.equal(ran.status, 1, ran.stderr);
    assert.match(ran.stderr, /interrupted: finishing the requests in flight/);
    const m = /Pushed (\d+) of 12 changes to project local-project; (\d+) not pushed \(interrupted\)\.\n$/.exec(ran.stdout);
    assert.ok(m, ran.stdout);
    const pushed = Number(m[1]);
    assert.ok(pushed >= 1 && pushed < 12 && pushed + Number(m[2]) === 12, ran.stdout);
    const lockAfter = parseLock(file('statsig.lock.json'));
    assert.ok(lockAfter.ok);
    let onStatsig = 0;
    for (const folder of parseFolder(readTree(join(f.work, 'statsig'))).sources.filter((s) => s.sqlPath !== undefined && sqls.includes(s.sqlPath))) {
      const key = lockKey(folder.ref);
      const remote = (await f.h.api.get(folder.ref)).data;
      if (String(remote[descriptor(folder.ref.kind).sqlField]).endsWith(MARK)) {
        onStatsig++;
        assert.equal(lockAfter.lock.sources[key]?.hash, sourceHash(folder.ref.kind, remote), `${key}: pushed, locked`);
      } else {
        assert.equal(lockAfter.lock.sources[key]?.hash, lockBefore.lock.sources[key]?.hash, `${key}: not pushed, its base kept`);
      }
    }
    assert.equal(onStatsig, pushed);
    const rest = await run('push', '--yes');
    assert.equal(rest.status, 0, rest.stderr);
    assert.match(rest.stdout, new RegExp(`Pushed ${12 - pushed} of ${12 - pushed} changes? to project local-project\\.\\n$`));
  });

  test('an ingestion source (read one by one, no full update): an edit is planned and pushed as a PATCH of the whole source', async () => {
    const INGEST = 'ingestion-sources/snowflake-v2/Events/app_events_ingest';
    const ref = { kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'app_events_ingest' } as const;
    const sqlField = descriptor('ingestionSource').sqlField;
    const current = file(`${INGEST}.sql`);
    write(`${INGEST}.sql`, `${current}\n-- edited in git`);
    const plan = await run('plan', '--kind', 'ingestion-sources');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, new RegExp(`^patch ingestionSource/snowflake-v2/Events/app_events_ingest \\(${sqlField}\\)$`, 'm'));
    assert.match(plan.stdout, /^ {4}\+-- edited in git$/m);
    const push = await run('push', '--yes', '--kind', 'ingestion-sources');
    assert.equal(push.status, 0, push.stderr);
    const remote = await f.h.api.get(ref);
    assert.match(String(remote.data[sqlField]), /-- edited in git$/);
    assert.equal(lockHash('ingestionSource/snowflake-v2/Events/app_events_ingest'), sourceHash('ingestionSource', remote.data));
    assert.match((await run('plan')).stdout, /0 to update, 0 to delete, \d+ unchanged\.\n$/);
  });

  test('the key is in no output and no file written', () => {
    assert.ok(f.outputs.length > 10);
    for (const text of f.outputs) assert.ok(!text.includes(TEST_KEY) && !text.includes('unitTestKey'), text);
    for (const [path, text] of readTree(f.work)) assert.ok(!text.includes(TEST_KEY) && !text.includes('unitTestKey'), path);
  });
});
