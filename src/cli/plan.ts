// statsig-whn plan and push: what push would do to each source of the folder (src/core/sourcePlan.ts
// decides, pure), and doing it: conflicts refused unless --force, a confirmation on a terminal or
// --yes, the requests at the rate limit through runBatch (a 429 is waited out), and the lock
// updated after each success, atomically, so a failure midway leaves it true for what was pushed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SourcesApi } from '../core/api.ts';
import { runBatch } from '../core/batch.ts';
import { parseDocument } from '../core/document.ts';
import { AuthError, errorMessage, ForbiddenError, isStatsigApiError, NotFoundError, RateLimitedError, ValidationError } from '../core/errors.ts';
import { descriptor, refName, type KindId } from '../core/kinds.ts';
import { mapBounded } from '../core/pagination.ts';
import { parseFolder, type LocalSource } from '../core/sourceFiles.ts';
import { lockKey, withEntry, type Lock } from '../core/sourceLock.ts';
import { planSource, sendPlan, type SourcePlan } from '../core/sourcePlan.ts';
import { serverProblems } from '../core/validation.ts';
import { lockIn, readTree, writeLock } from './folder.ts';
import { connect, findingOf, kindsOf, SourcesUsageError, type SourcesIo } from './sources.ts';

export const PLAN_EXIT = { ok: 0, failed: 1, usage: 2, conflict: 3 } as const;

/** Reads in flight at once (the client paces mutations; reads only need their round trips overlapped). */
const READ_CONCURRENCY = 8;
/** Pushes in flight at once: the client's limiter paces them; a few hide the round trips. */
const PUSH_CONCURRENCY = 4;
const DEFAULT_RETRY_AFTER_MS = 1_000;

const COMMON = `  --kind <kind>       only this kind (repeatable)
  NAME…               only the sources with these names
  --prune             also delete on Statsig the sources whose files were removed (kinds Statsig
                      can list and delete: not ingestion sources)
  --dir <folder>      the sources folder (default: statsig)
  --api-url <url>     the Console API (default: $STATSIG_API_URL, else https://statsigapi.net)
The key comes from $STATSIG_CONSOLE_API_KEY and is never printed.`;

export const PLAN_HELP: Record<'plan' | 'push', string> = {
  plan: `statsig-whn plan [--format text|json] [--prune] [--kind <kind>]… [NAME…] [--dir <folder>] [--api-url <url>]

What push would do to each source of the folder, compared with Statsig's version now:
  create    Statsig has no such source
  update    the files differ (a full update: the SQL or a removed field changed)
  patch     the files differ in fields a PATCH can carry
  nothing   the files are Statsig's version
  conflict  Statsig's version changed since the pull (it is not the lock's base) and the files
            differ from it: push refuses it unless --force
  delete    with --prune: on Statsig, no files
Text output shows each change as a unified diff of the files, Statsig's version → the files.
  --format <format>   text (default) or json
${COMMON}
Exit codes: 0 plan computed (changes or not), 1 Statsig could not be read or the folder has
problems, 2 bad usage or configuration, 3 a conflict.
`,
  push: `statsig-whn push [--yes] [--force] [--prune] [--kind <kind>]… [NAME…] [--dir <folder>] [--api-url <url>]

Does what plan shows: creates, updates, patches (and with --prune deletes) on Statsig at its rate
limit, with progress on stderr, updating statsig.lock.json after each success. Ctrl+C starts no
new request and lets those in flight finish (a second Ctrl+C quits at once).
  --yes               push without asking (needed without a terminal, as in CI)
  --force             push conflicts too: overwrite what was changed on Statsig since the pull
${COMMON}
Exit codes: 0 pushed (or nothing to push), 1 a push failed or Statsig could not be read, 2 bad
usage, configuration, or not confirmed, 3 conflicts (nothing pushed; pull, or --force).
`,
};

interface Computed {
  readonly projectId: string;
  readonly lock: Lock;
  readonly root: string;
  readonly dirLabel: string;
  readonly plans: SourcePlan[];
  readonly api: SourcesApi;
}

const OPTIONS = {
  kind: { type: 'string', multiple: true }, prune: { type: 'boolean' }, dir: { type: 'string' }, 'api-url': { type: 'string' }, help: { type: 'boolean' },
} as const;

type Values = { kind?: string[] | undefined; prune?: boolean | undefined; dir?: string | undefined; 'api-url'?: string | undefined };

/** The plan of every source in scope, or an exit code after saying why there is none. */
async function compute(values: Values, names: ReadonlySet<string>, io: SourcesIo): Promise<Computed | number> {
  const kinds = kindsOf(values.kind);
  const dirLabel = values.dir ?? 'statsig';
  const root = resolve(io.cwd, dirLabel);
  const { api } = connect(values, io);
  const files = readTree(root);
  if (files.size === 0) throw new SourcesUsageError(`${root} holds no sources (statsig-whn pull writes them).`);
  const lockState = lockIn(files);
  if (lockState.state === 'invalid') throw new SourcesUsageError(`${dirLabel}/statsig.lock.json is not a lock file: ${lockState.message}. Fix or delete it.`);
  const folder = parseFolder(files);
  if (folder.problems.length > 0) {
    for (const p of folder.problems) io.stderr(`${dirLabel}/${p.file}:${p.line ?? 1}:${p.column ?? 1}: error: ${p.message}\n`);
    io.stderr('statsig-whn: the folder has problems (above); no plan without every source read (statsig-whn validate checks the rest).\n');
    return PLAN_EXIT.failed;
  }
  const inScope = (kind: KindId, name: string) => kinds.includes(kind) && (names.size === 0 || names.has(name));
  const locals = folder.sources.filter((s) => inScope(s.ref.kind, refName(s.ref)));

  let projectId: string;
  const remote = new Map<string, Record<string, unknown>>();
  const listedComplete = new Set<KindId>();
  const prunable: { key: string; ref: SourcePlan['ref'] }[] = [];
  try {
    // Everything at once: the project (to check the lock's), one listing per kind Statsig lists
    // (a few pages each), and one by one the sources no listing holds (ingestion).
    const readOne = async (s: LocalSource) => {
      try {
        remote.set(lockKey(s.ref), (await api.get(s.ref)).data);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    };
    const listed = kinds.filter((k) => descriptor(k).capabilities.listAll);
    const [project] = await Promise.all([
      api.getProject(),
      ...listed.map(async (kind) => {
        const listing = await api.list(kind);
        for (const r of listing.records) {
          const key = lockKey(r.ref);
          remote.set(key, r.data);
          if (inScope(kind, refName(r.ref))) prunable.push({ key, ref: r.ref });
        }
        if (!listing.truncated && listing.invalid.length === 0) {
          listedComplete.add(kind);
        } else {
          if (values.prune) io.stderr(`statsig-whn: the list of ${descriptor(kind).label.toLowerCase()} is incomplete; none of them is pruned.\n`);
          // What the incomplete listing lacks is read one by one.
          await mapBounded(locals.filter((s) => s.ref.kind === kind && !remote.has(lockKey(s.ref))), READ_CONCURRENCY, readOne);
        }
      }),
      mapBounded(locals.filter((s) => !descriptor(s.ref.kind).capabilities.listAll), READ_CONCURRENCY, readOne),
    ]);
    projectId = project.id;
    if (lockState.state === 'ok' && lockState.lock.projectId !== project.id) {
      throw new SourcesUsageError(`${dirLabel} was pulled from the project ${lockState.lock.projectId}, but this key belongs to ${project.id}.`);
    }
  } catch (error) {
    if (error instanceof SourcesUsageError) throw error;
    if (isStatsigApiError(error) && (error.kind === 'auth' || error.kind === 'forbidden')) throw error;
    io.stderr(`statsig-whn: Statsig could not be read, there is no plan: ${errorMessage(error)}\n`);
    return PLAN_EXIT.failed;
  }
  const lock: Lock = lockState.state === 'ok' ? lockState.lock : { version: 1, projectId, sources: {} };
  const localKeys = new Set(locals.map((s: LocalSource) => lockKey(s.ref)));
  const plans = locals.map((s) => planSource(s.ref, s, remote.get(lockKey(s.ref)), lock.sources[lockKey(s.ref)]?.hash));
  if (values.prune) {
    for (const { key, ref } of prunable) {
      const d = descriptor(ref.kind);
      if (localKeys.has(key) || !listedComplete.has(ref.kind) || !d.capabilities.delete) continue;
      plans.push(planSource(ref, undefined, remote.get(key), lock.sources[key]?.hash));
    }
  }
  plans.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { projectId, lock, root, dirLabel, plans, api };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summaryOf(plans: readonly SourcePlan[]): string {
  const count = (a: SourcePlan['action']) => plans.filter((p) => p.action === a).length;
  const conflicts = count('conflict');
  return `Plan: ${count('create')} to create, ${count('update') + count('patch')} to update, ${count('delete')} to delete, ${count('nothing')} unchanged${conflicts ? `, ${plural(conflicts, 'conflict')}` : ''}.`;
}

function describe(p: SourcePlan, dirLabel: string): string {
  const fields = p.changed.length > 0 ? ` (${p.changed.join(', ')})` : '';
  const head = p.action === 'conflict'
    ? `conflict ${p.source}: ${p.reason ?? 'changed on Statsig'}; pull to take Statsig's version, or push --force to ${p.step ?? 'push'} it${fields}`
    : `${p.action} ${p.source}${p.action === 'delete' ? ' (no files)' : fields}`;
  const diff = p.diff.replace(/^(---|\+\+\+) (statsig|files): /gm, `$1 $2: ${dirLabel}/`).replace(/^/gm, '    ').replace(/ +$/gm, '');
  return `${head}\n${p.action === 'create' || p.action === 'delete' || p.diff === '' ? '' : `${diff.endsWith('\n') ? diff : `${diff}\n`}`}`;
}

function jsonOf(c: Computed): string {
  const prefixed = (f: string) => `${c.dirLabel.replace(/\/+$/, '')}/${f}`;
  return `${JSON.stringify({
    projectId: c.projectId,
    summary: summaryOf(c.plans),
    conflicts: c.plans.filter((p) => p.action === 'conflict').length,
    sources: c.plans.map((p) => ({
      source: p.source, action: p.action, ...(p.step && p.action !== 'delete' ? { request: p.step } : {}), changed: p.changed,
      ...(p.reason ? { reason: p.reason } : {}), files: p.files.map(prefixed), ...(p.body ? { body: p.body } : {}), ...(p.diff ? { diff: p.diff } : {}),
    })),
  }, null, 2)}\n`;
}

export async function planCommand(args: string[], io: SourcesIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { ...OPTIONS, format: { type: 'string' } } });
  if (values.help) {
    io.stdout(PLAN_HELP.plan);
    return PLAN_EXIT.ok;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new SourcesUsageError(`Unknown format "${format}". Use text or json.`);
  const computed = await compute(values, new Set(positionals), io);
  if (typeof computed === 'number') return computed;
  if (format === 'json') io.stdout(jsonOf(computed));
  else io.stdout(`${computed.plans.filter((p) => p.action !== 'nothing').map((p) => describe(p, computed.dirLabel)).join('')}${summaryOf(computed.plans)}\n`);
  return computed.plans.some((p) => p.action === 'conflict') ? PLAN_EXIT.conflict : PLAN_EXIT.ok;
}

const retryAfterMs = (error: unknown) => (error instanceof RateLimitedError ? error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS : undefined);
const stops = (error: unknown) => error instanceof AuthError || error instanceof ForbiddenError;

/** Statsig's refusal of one source, with the file and line of each field it names (as validate prints them). */
function failureLines(p: SourcePlan, error: unknown, dirLabel: string): string[] {
  const local = p.local;
  if (!(error instanceof ValidationError) || !local) return [`${dirLabel}/${p.files[0] ?? p.source}: error: ${p.source} was not pushed: ${errorMessage(error)}`];
  const text = JSON.stringify(local.data, null, 2);
  const parsed = parseDocument(text);
  if (!parsed.ok) return [`${dirLabel}/${local.jsonPath}: error: ${errorMessage(error)}`];
  const d = descriptor(p.ref.kind);
  const jsonRoot = parseDocument(local.jsonText);
  return serverProblems(text, parsed.root, d, error).map((problem) => {
    const f = findingOf(local, problem, d.sqlField, jsonRoot);
    return `${dirLabel}/${f.file}:${f.line}:${f.column}: error: ${f.message}`;
  });
}

export async function pushCommand(args: string[], io: SourcesIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { ...OPTIONS, yes: { type: 'boolean' }, force: { type: 'boolean' } } });
  if (values.help) {
    io.stdout(PLAN_HELP.push);
    return PLAN_EXIT.ok;
  }
  const computed = await compute(values, new Set(positionals), io);
  if (typeof computed === 'number') return computed;
  const { plans, dirLabel, api } = computed;
  const conflicts = plans.filter((p) => p.action === 'conflict');
  if (conflicts.length > 0 && !values.force) {
    io.stderr(`statsig-whn: ${plural(conflicts.length, 'source')} changed on Statsig since the pull; nothing was pushed. Pull to take Statsig's version (or push --force to overwrite it):\n${conflicts.map((p) => `  ${p.source}: ${p.reason ?? ''}\n`).join('')}`);
    return PLAN_EXIT.conflict;
  }
  const steps = plans.filter((p) => p.step !== undefined && p.action !== 'nothing');
  if (steps.length === 0) {
    io.stdout(`Nothing to push: ${summaryOf(plans)}\n`);
    return PLAN_EXIT.ok;
  }
  io.stdout(`${steps.map((p) => describe(p, dirLabel)).join('')}${summaryOf(plans)}\n`);
  if (!values.yes) {
    const question = `Push ${plural(steps.length, 'change')} to the Statsig project ${computed.projectId}? [y/N] `;
    if (!io.ask) {
      io.stderr('statsig-whn: not pushed: there is no terminal to confirm on. Pass --yes to push without asking.\n');
      return PLAN_EXIT.usage;
    }
    const answer = (await io.ask(question)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.stderr('statsig-whn: not pushed.\n');
      return PLAN_EXIT.usage;
    }
  }

  let lock = computed.lock;
  // Ctrl+C: no new request starts; the ones in flight finish and are locked (a second Ctrl+C ends at once).
  const abort = new AbortController();
  const stopListening = io.onInterrupt?.(() => {
    io.stderr('statsig-whn: interrupted: finishing the requests in flight, starting no more (Ctrl+C again to quit at once).\n');
    abort.abort();
  });
  const report = await runBatch<SourcePlan, string | undefined>({
    items: steps, concurrency: PUSH_CONCURRENCY, retryAfterMs, stops, signal: abort.signal,
    onProgress: (n, total) => io.stderr(`statsig-whn: ${n} of ${total}\n`),
    onWait: (ms) => { if (ms > 0) io.stderr(`statsig-whn: Statsig asked to slow down; going on in ${Math.ceil(ms / 1000)} s\n`); },
    run: async (p) => {
      const hash = await sendPlan(api, p);
      // The lock follows each success at once: a failure later leaves it true for what was pushed.
      lock = withEntry(lock, p.ref, hash);
      writeLock(computed.root, lock);
      return hash;
    },
  }).finally(() => stopListening?.());
  const failed = report.outcomes.filter((o) => o.status === 'failed');
  const notRun = report.outcomes.filter((o) => o.status === 'notRun');
  for (const o of failed) for (const line of failureLines(o.item, o.status === 'failed' ? o.error : undefined, dirLabel)) io.stderr(`${line}\n`);
  if (report.stoppedBy) io.stderr(`statsig-whn: stopped: ${errorMessage(report.stoppedBy)}\n`);
  const done = report.outcomes.length - failed.length - notRun.length;
  io.stdout(`Pushed ${done} of ${plural(steps.length, 'change')} to project ${computed.projectId}${failed.length ? `; ${failed.length} failed` : ''}${notRun.length ? `; ${notRun.length} not pushed (${report.cancelled ? 'interrupted' : 'stopped'})` : ''}${report.rateLimited ? `; ${report.rateLimited} rate-limit answers waited out` : ''}.\n`);
  return failed.length > 0 || notRun.length > 0 ? PLAN_EXIT.failed : PLAN_EXIT.ok;
}

