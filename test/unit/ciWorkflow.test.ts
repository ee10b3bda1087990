// The README's GitHub Actions workflow, run the way a runner runs it, against the emulator: the
// workflow is read from README.md itself (so the test fails when the README drifts), every `run:`
// step runs as written in `bash -eo pipefail` (GitHub's shell) with its `env:` and `if:`, and the
// CLI comes the way the workflow says: the tarball `npm run pack:cli` builds, downloaded with curl
// from a server on 127.0.0.1 standing in for the release, checked against its sha256 and installed
// with `npm install -g` (offline, into a temporary prefix). The repository is a real git repository
// (a bare "origin"); actions/checkout is a shallow clone of it, actions/setup-node this Node (24).
// What stands in for GitHub is only that, the two STATSIG_WHN_* values (this build's tarball) and
// STATSIG_API_URL (the emulator).
// Scenario: sources pulled and committed → a pull request with a broken .sql: Validate exits 1 with
// an annotation at its line and column, Plan does not run → fixed: Validate and Plan exit 0 →
// merged: Push exits 0, the change is on the emulator, the lock is committed back (rebased over a
// commit that landed meanwhile) → a second change to the same source pushes (thanks to that lock)
// → a change made on Statsig behind the back: Push exits 3, nothing pushed, nothing committed.
// The key is in no output, no file and no commit.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { load } from 'js-yaml';
import { z } from 'zod';
import { readTree } from '../../src/cli/folder.ts';
import { parseLock, sourceHash } from '../../src/core/sourceLock.ts';
import { harness, TEST_KEY, type Harness } from './helpers/emulator.ts';
import { REPO_ROOT } from './helpers/spec.ts';
import { runProcess } from './helpers/cliBundle.ts';

const WORKFLOW_FILE = '.github/workflows/statsig-sources.yml';

// Only what the runner below emulates: a key it does not know (paths, timeout-minutes, services, …)
// fails the parse rather than being ignored.
const Env = z.record(z.string(), z.string());
const Step = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  with: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  run: z.string().optional(),
  env: Env.optional(),
  if: z.string().optional(),
}).strict().refine((s) => (s.uses === undefined) !== (s.run === undefined), 'a step has either uses or run');
type Step = z.infer<typeof Step>;
const Job = z.object({
  'if': z.string(),
  'runs-on': z.string(),
  'permissions': z.record(z.string(), z.enum(['read', 'write', 'none'])).optional(),
  'concurrency': z.object({ 'group': z.string(), 'cancel-in-progress': z.boolean() }).strict().optional(),
  'steps': z.array(Step),
}).strict();
type Job = z.infer<typeof Job>;
const Workflow = z.object({
  name: z.string(),
  on: z.object({ pull_request: z.null(), push: z.object({ branches: z.array(z.string()) }).strict() }).strict(),
  permissions: z.record(z.string(), z.enum(['read', 'write', 'none'])),
  env: Env,
  jobs: z.record(z.string(), Job),
}).strict();
type Workflow = z.infer<typeof Workflow>;

/** The ```yaml block of README.md that starts with the workflow's file name. */
function readmeWorkflow(): { text: string; workflow: Workflow } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```yaml\n([^]*?)^```$/gm)].map((m) => m[1] ?? '').filter((b) => b.startsWith(`# ${WORKFLOW_FILE}\n`));
  assert.equal(blocks.length, 1, `README.md has one \`\`\`yaml block starting with "# ${WORKFLOW_FILE}"`);
  const text = blocks[0] ?? '';
  return { text, workflow: Workflow.parse(load(text)) };
}

interface Event {
  readonly name: 'pull_request' | 'push';
  readonly ref: string;       // github.ref
  readonly branch: string;    // what actions/checkout checks out without `ref`
}

/** `${{ … }}` as far as this workflow uses it: secrets and two github.* values. Anything else is a test failure. */
function expand(text: string, event: Event, secrets: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    const secret = /^secrets\.(\w+)$/.exec(expr);
    if (secret) {
      const value = secrets[secret[1] ?? ''];
      assert.ok(value !== undefined, `unknown secret in ${expr}`);
      return value;
    }
    if (expr === 'github.ref') return event.ref;
    if (expr === 'github.event_name') return event.name;
    assert.fail(`the runner does not evaluate \${{ ${expr} }}`);
  });
}

/** An `if:` as far as this workflow uses it: terms joined by ||. */
function condition(text: string | undefined, event: Event, failed: boolean): boolean {
  if (text === undefined) return !failed; // success()
  return text.split('||').map((t) => t.trim()).some((term) => {
    if (term === 'success()') return !failed;
    if (term === 'failure()') return failed;
    if (term === 'always()') return true;
    const eq = /^github\.(event_name|ref) == '([^']*)'$/.exec(term);
    assert.ok(eq, `the runner does not evaluate if: ${term}`);
    return (eq[1] === 'event_name' ? event.name : event.ref) === eq[2];
  });
}

interface StepResult {
  readonly name: string;
  readonly run: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnProcess(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<Omit<StepResult, 'name' | 'run'>> {
  return runProcess(command, args, { cwd, env });
}

/** A `run:` step: its script in a file, run by bash as GitHub's default shell on Linux does. */
function spawnStep(script: string, cwd: string, env: Record<string, string>): Promise<Omit<StepResult, 'name' | 'run'>> {
  const file = join(env['RUNNER_TEMP'] ?? cwd, `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return spawnProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], cwd, env);
}

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, {
  cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
});

describe('the README\'s GitHub Actions workflow, run step by step against the emulator', () => {
  const { text, workflow } = readmeWorkflow();
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let h: Harness;
  let root = '';
  let origin = '';
  let dev = '';
  let tarball = '';
  let sha256 = '';
  let server: Server | undefined;
  let tarballUrl = '';
  let downloads = 0;
  let jobCount = 0;
  const outputs: string[] = [];
  const SIGNUPS = { kind: 'metricSource', name: 'user_signups' } as const;
  const SQL = 'statsig/metric-sources/user_signups.sql';

  const devWrite = (path: string, content: string) => writeFileSync(join(dev, ...path.split('/')), content);
  const devCommit = (message: string) => {
    git(dev, 'add', '-A');
    git(dev, 'commit', '--quiet', '-m', message);
  };
  const originMain = () => git(origin, 'rev-parse', 'main').trim();

  /** One job of the workflow for one event, as a runner would: its `if`, then its steps in order. */
  async function runJob(jobName: string, event: Event, hooks: { beforeStep?: (name: string) => void } = {}): Promise<StepResult[] | undefined> {
    const job: Job | undefined = workflow.jobs[jobName];
    assert.ok(job, `the workflow has a job "${jobName}"`);
    if (!condition(job.if, event, false)) return undefined;
    const runner = join(root, `runner-${++jobCount}`);
    const workspace = join(runner, 'work');
    const prefix = join(runner, 'npm-global');
    for (const d of ['temp', 'home', 'npm-cache', 'npm-global']) mkdirSync(join(runner, d), { recursive: true });
    const baseEnv: Record<string, string> = {
      PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
      HOME: join(runner, 'home'), RUNNER_TEMP: join(runner, 'temp'), CI: 'true',
      GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
      // `npm install -g` into this runner's prefix, and never to a registry (the package has no dependencies).
      npm_config_prefix: prefix, npm_config_cache: join(runner, 'npm-cache'), npm_config_offline: 'true',
      npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false',
    };
    const standIns = { STATSIG_WHN_TGZ: tarballUrl, STATSIG_WHN_SHA256: sha256, STATSIG_API_URL: h.emulator.url };
    const secrets = { STATSIG_CONSOLE_API_KEY: TEST_KEY };
    const results: StepResult[] = [];
    let failed = false;
    for (const [i, step] of job.steps.entries()) {
      const name = step.name ?? step.uses ?? `step ${i + 1}`;
      if (!condition(step.if, event, failed)) continue;
      hooks.beforeStep?.(name);
      if (step.uses !== undefined) {
        runUses(step, event, workspace);
        continue;
      }
      const env: Record<string, string> = { ...baseEnv };
      for (const layer of [workflow.env, step.env ?? {}]) for (const [k, v] of Object.entries(layer)) env[k] = expand(v, event, secrets);
      Object.assign(env, standIns);
      const r = await spawnStep(expand(step.run ?? '', event, secrets), workspace, env);
      outputs.push(r.stdout, r.stderr);
      results.push({ name, run: step.run ?? '', ...r });
      if (r.status !== 0) failed = true;
    }
    return results;
  }

  /** The two actions the workflow uses, as what they leave behind. */
  function runUses(step: Step, event: Event, workspace: string): void {
    if (step.uses === 'actions/checkout@v4') {
      const ref = step.with?.['ref'];
      // A shallow clone of the branch, as actions/checkout (depth 1); its `ref` names a branch here.
      execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', String(ref ?? event.branch), `file://${origin}`, workspace], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
      return;
    }
    if (step.uses === 'actions/setup-node@v4') {
      // This Node stands in for it: it must be at least the version asked for.
      const asked = Number(String(step.with?.['node-version']).split('.')[0]);
      assert.ok(asked >= 22 && Number(process.versions.node.split('.')[0]) >= asked, `node-version ${asked}`);
      return;
    }
    assert.fail(`the runner does not emulate ${step.uses ?? ''}`);
  }

  const step = (results: StepResult[] | undefined, name: string): StepResult | undefined => results?.find((r) => r.name === name);
  /** Which steps ran, in order, with their exit codes; every step's output when they differ. */
  const assertSteps = (results: StepResult[] | undefined, expected: [string, number][]) => assert.deepEqual(
    results?.map((r) => [r.name, r.status]), expected,
    results?.map((r) => `--- ${r.name} (exit ${r.status})\n${r.stdout}${r.stderr}`).join('\n'),
  );

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'statsig-whn-ci-'));
    h = await harness();
    // The release's tarball: built by the script `npm run pack:cli` runs, served like a release asset.
    const packed = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), '--out', join(root, 'release')], { cwd: REPO_ROOT, encoding: 'utf8' });
    tarball = join(root, 'release', `statsig-whn-${version}.tgz`);
    assert.ok(existsSync(tarball), packed);
    sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    assert.match(packed, new RegExp(`^sha256 ${sha256}$`, 'm'));
    server = createServer((req, res) => {
      if (req.url === `/v${version}/${basename(tarball)}`) {
        downloads++;
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(tarball));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    tarballUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v${version}/${basename(tarball)}`;

    // A repository with its sources pulled and this workflow, as the README asks.
    origin = join(root, 'origin.git');
    dev = join(root, 'dev');
    git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(root, 'init', '--quiet', '--initial-branch=main', dev);
    git(dev, 'config', 'user.name', 'Dev');
    git(dev, 'config', 'user.email', 'dev@example.com');
    git(dev, 'remote', 'add', 'origin', `file://${origin}`);
    // The developer installs the same tarball (README "Command line") and pulls.
    const devPrefix = join(root, 'dev-npm');
    execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', tarball], { env: { ...process.env, npm_config_prefix: devPrefix, npm_config_cache: join(root, 'dev-npm-cache') }, stdio: 'ignore' });
    const pulled = await spawnProcess(join(devPrefix, 'bin', 'statsig-whn'), ['pull'], dev, {
      PATH: [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter), STATSIG_CONSOLE_API_KEY: TEST_KEY, STATSIG_API_URL: h.emulator.url,
    });
    outputs.push(pulled.stdout, pulled.stderr);
    assert.equal(pulled.status, 0, pulled.stderr);
    mkdirSync(join(dev, '.github', 'workflows'), { recursive: true });
    devWrite(WORKFLOW_FILE, text);
    devCommit('Statsig sources and their workflow');
    git(dev, 'push', '--quiet', 'origin', 'main');
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the workflow: pull requests and pushes to main, read-only token except the push job\'s lock commit, one push at a time, the key only where statsig-whn runs', () => {
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    const { validate, push } = workflow.jobs;
    assert.ok(validate && push);
    assert.equal(validate.permissions, undefined);
    assert.deepEqual(push.permissions, { contents: 'write' });
    assert.equal(push.concurrency?.['cancel-in-progress'], false);
    assert.doesNotMatch(push.concurrency?.group ?? '${{', /\$\{\{/, 'one group for every push to main');
    // The CLI is the release of this version, under the name pack:cli gives it.
    assert.match(workflow.env['STATSIG_WHN_TGZ'] ?? '', new RegExp(`^https://github\\.com/.+/releases/download/v${version.replaceAll('.', '\\.')}/${basename(tarball).replaceAll('.', '\\.')}$`));
    for (const job of [validate, push]) {
      for (const s of job.steps) {
        const keyed = Object.values(s.env ?? {}).some((v) => v.includes('secrets.'));
        assert.equal(keyed, (s.run ?? '').startsWith('statsig-whn '), `${s.name ?? s.uses ?? ''}: the key goes to statsig-whn and nowhere else`);
        if (keyed) assert.deepEqual(s.env, { STATSIG_CONSOLE_API_KEY: '${{ secrets.STATSIG_CONSOLE_API_KEY }}' });
      }
    }
    assert.ok(!text.includes('STATSIG_API_URL'), 'the workflow talks to Statsig itself (the test points it at the emulator)');
  });

  test('a push to main with nothing changed: the push job installs the release, pushes nothing, commits nothing', async () => {
    const head = originMain();
    const pr = await runJob('validate', { name: 'push', ref: 'refs/heads/main', branch: 'main' });
    assert.equal(pr, undefined, 'validate runs for pull requests only');
    const results = await runJob('push', { name: 'push', ref: 'refs/heads/main', branch: 'main' });
    assertSteps(results, [['Install statsig-whn', 0], ['Push', 0], ['Commit the lock', 0]]);
    assert.match(step(results, 'Push')?.stdout ?? '', /^Nothing to push: Plan: 0 to create, 0 to update, 0 to delete, 19 unchanged\.\n$/);
    assert.equal(originMain(), head);
    assert.equal(downloads, 1);
  });

  test('a download that is not the pinned file is refused before anything runs', async () => {
    const saved = sha256;
    sha256 = 'f'.repeat(64);
    try {
      const results = await runJob('push', { name: 'push', ref: 'refs/heads/main', branch: 'main' });
      assert.equal(step(results, 'Install statsig-whn')?.status, 1);
      assert.match(step(results, 'Install statsig-whn')?.stdout ?? '', /statsig-whn\.tgz: FAILED/);
      assert.equal(step(results, 'Push'), undefined, 'Push did not run');
      assert.equal(step(results, 'Commit the lock')?.status, 0, 'and there was nothing to commit');
    } finally {
      sha256 = saved;
    }
  });

  test('a pull request with a broken .sql: Validate exits 1 with an annotation at its line and column; Plan does not run; Statsig unchanged', async () => {
    git(dev, 'checkout', '--quiet', '-b', 'pr-1');
    devWrite(SQL, 'SELECT user_id, stable_id, signup_ts\nFROM analytics.users\nWHERE AND plan = 1');
    devCommit('Signups: only some plans');
    git(dev, 'push', '--quiet', 'origin', 'pr-1');
    const event: Event = { name: 'pull_request', ref: 'refs/pull/1/merge', branch: 'pr-1' };
    assert.equal(await runJob('push', event), undefined, 'push runs on main only');
    const before = (await h.api.get(SIGNUPS)).data['sql'];
    const results = await runJob('validate', event);
    assertSteps(results, [['Install statsig-whn', 0], ['Validate', 1]]);
    assert.match(step(results, 'Validate')?.stdout ?? '', /^::error file=statsig\/metric-sources\/user_signups\.sql,line=3,col=7,title=metricSource\/user_signups::.+$/m);
    assert.match(step(results, 'Validate')?.stdout ?? '', /19 sources: 18 passed, 1 failed/);
    assert.equal((await h.api.get(SIGNUPS)).data['sql'], before, 'a dry run changes nothing');
  });

  test('fixed: Validate exits 0 after Statsig\'s dry run and Plan shows the update; Statsig is unchanged', async () => {
    devWrite(SQL, 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users\nWHERE plan IS NOT NULL');
    devCommit('Signups: fix the WHERE');
    git(dev, 'push', '--quiet', 'origin', 'pr-1');
    const before = (await h.api.get(SIGNUPS)).data['sql'];
    const results = await runJob('validate', { name: 'pull_request', ref: 'refs/pull/1/merge', branch: 'pr-1' });
    assertSteps(results, [['Install statsig-whn', 0], ['Validate', 0], ['Plan', 0]]);
    assert.match(step(results, 'Validate')?.stdout ?? '', /19 sources: 19 passed, 0 failed; 1 dry run/);
    assert.doesNotMatch(step(results, 'Validate')?.stdout ?? '', /^::error/m);
    assert.match(step(results, 'Plan')?.stdout ?? '', /^update metricSource\/user_signups \(sql\)$/m);
    assert.match(step(results, 'Plan')?.stdout ?? '', /Plan: 0 to create, 1 to update, 0 to delete, 18 unchanged\.\n$/);
    assert.equal((await h.api.get(SIGNUPS)).data['sql'], before);
  });

  test('merged: Push exits 0, the change is on the emulator, and the lock is committed back on top of a commit that landed meanwhile', async () => {
    git(dev, 'checkout', '--quiet', 'main');
    git(dev, 'merge', '--quiet', '--ff-only', 'pr-1');
    git(dev, 'push', '--quiet', 'origin', 'main');
    const results = await runJob('push', { name: 'push', ref: 'refs/heads/main', branch: 'main' }, {
      beforeStep: (name) => {
        if (name !== 'Commit the lock') return;
        // Someone merges an unrelated change while the job runs: the lock commit goes on top of it.
        devWrite('NOTES.md', 'unrelated\n');
        devCommit('Notes');
        git(dev, 'push', '--quiet', 'origin', 'main');
      },
    });
    assertSteps(results, [['Install statsig-whn', 0], ['Push', 0], ['Commit the lock', 0]]);
    assert.match(step(results, 'Push')?.stdout ?? '', /Pushed 1 of 1 change to project local-project\.\n$/);
    const remote = await h.api.get(SIGNUPS);
    assert.equal(remote.data['sql'], 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users\nWHERE plan IS NOT NULL');
    assert.deepEqual(git(origin, 'log', '--format=%an|%s', '-3', 'main').trim().split('\n'), [
      'github-actions[bot]|statsig.lock.json: pushed to Statsig', 'Dev|Notes', 'Dev|Signups: fix the WHERE',
    ]);
    assert.deepEqual(git(origin, 'show', '--format=', '--name-only', 'main').trim(), 'statsig/statsig.lock.json');
    const lock = parseLock(git(origin, 'show', 'main:statsig/statsig.lock.json'));
    assert.ok(lock.ok);
    assert.equal(lock.lock.sources['metricSource/user_signups']?.hash, sourceHash('metricSource', remote.data));
  });

  test('a second change to the same source pushes too (the committed lock is its base), with no conflict', async () => {
    git(dev, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    devWrite(SQL, 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users\nWHERE plan IS NOT NULL AND country IS NOT NULL');
    devCommit('Signups: with a country');
    git(dev, 'push', '--quiet', 'origin', 'main');
    const results = await runJob('push', { name: 'push', ref: 'refs/heads/main', branch: 'main' });
    assertSteps(results, [['Install statsig-whn', 0], ['Push', 0], ['Commit the lock', 0]]);
    assert.match(String((await h.api.get(SIGNUPS)).data['sql']), /AND country IS NOT NULL$/);
    assert.equal(git(origin, 'log', '--format=%an', '-1', 'main').trim(), 'github-actions[bot]');
  });

  test('a change made on Statsig behind the back: Push exits 3 naming the source, nothing is pushed and nothing committed', async () => {
    const remote = await h.api.get(SIGNUPS);
    await h.api.update(SIGNUPS, { ...remote.data, description: 'changed on Statsig behind the back' });
    git(dev, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    devWrite(SQL, 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users');
    devCommit('Signups: every user');
    git(dev, 'push', '--quiet', 'origin', 'main');
    const head = originMain();
    const mutations = h.emulator.stats().mutations;
    const results = await runJob('push', { name: 'push', ref: 'refs/heads/main', branch: 'main' });
    assertSteps(results, [['Install statsig-whn', 0], ['Push', 3], ['Commit the lock', 0]]);
    assert.match(step(results, 'Push')?.stderr ?? '', /1 source changed on Statsig since the pull; nothing was pushed[^]*\n {2}metricSource\/user_signups: it was changed on Statsig since the pull\n$/);
    assert.equal(h.emulator.stats().mutations, mutations);
    const after = await h.api.get(SIGNUPS);
    assert.equal(after.data['description'], 'changed on Statsig behind the back');
    assert.match(String(after.data['sql']), /AND country IS NOT NULL$/);
    assert.equal(originMain(), head);
  });

  test('the key is in no output, no file and no commit', () => {
    assert.ok(outputs.length >= 20);
    for (const out of outputs) assert.ok(!out.includes(TEST_KEY) && !out.includes('unitTestKey'), out);
    for (const [path, content] of readTree(root)) assert.ok(!content.includes(TEST_KEY), path);
    assert.ok(!git(origin, 'log', '-p', '--all').includes(TEST_KEY));
  });
});
