// What `statsig-whn push` would do to each source of a folder, decided pure (the CLI reads the
// folder and Statsig, src/cli/plan.ts): create, update or patch (with the request planPush would
// send), nothing, delete (with --prune: on Statsig, no files), or conflict: Statsig's version is
// not the one the files started from (the lock's base) and the files differ from it, so a push
// would overwrite a change made on Statsig since the pull. docs/source-files.md "plan and push".
import type { SourcesApi } from './api.ts';
import { descriptor, type SourceRef } from './kinds.ts';
import { filesOf, type LocalSource } from './sourceFiles.ts';
import { lockKey, sourceHash } from './sourceLock.ts';
import { unifiedDiff } from './lineDiff.ts';
import { planPush, type PushMode } from './validation.ts';

export type PlanAction = 'create' | 'update' | 'patch' | 'delete' | 'nothing' | 'conflict';
/** What a push does: the action, or for a conflict what --force would do. */
export type PushStep = Exclude<PlanAction, 'nothing' | 'conflict'>;

export interface SourcePlan {
  /** The lock's key: `metricSource/orders`. */
  readonly source: string;
  readonly ref: SourceRef;
  readonly action: PlanAction;
  /** The request push sends (with --force for a conflict); absent for nothing. */
  readonly step?: PushStep;
  /** The body of a create, update or patch. */
  readonly body?: Record<string, unknown>;
  /** Top-level fields that differ between Statsig's version and the files. */
  readonly changed: readonly string[];
  /** For a conflict: what happened on Statsig, in words. */
  readonly reason?: string;
  /** The source's files (relative to the root); none for a delete. */
  readonly files: readonly string[];
  /** Unified diffs, Statsig's version → the files, one per file that differs. */
  readonly diff: string;
  readonly local?: LocalSource;
}

const modeStep = (mode: Exclude<PushMode, 'none'>): PushStep => mode;

/** Statsig's version as the folder would hold it, diffed file by file against the folder's files. */
function diffOf(ref: SourceRef, remote: Record<string, unknown> | undefined, local: LocalSource | undefined): string {
  const theirs = remote ? filesOf(ref, remote) : [];
  const ours = local ? [{ path: local.jsonPath, text: local.jsonText }, ...(local.sqlPath !== undefined ? [{ path: local.sqlPath, text: local.sqlText ?? '' }] : [])] : [];
  const paths = [...new Set([...theirs.map((f) => f.path), ...ours.map((f) => f.path)])].sort((a, b) => (a.endsWith('.sql') === b.endsWith('.sql') ? (a < b ? -1 : 1) : a.endsWith('.sql') ? -1 : 1));
  return paths.map((p) => {
    const before = theirs.find((f) => f.path === p);
    const after = ours.find((f) => f.path === p);
    return unifiedDiff(before?.text ?? '', after?.text ?? '', { from: before ? `statsig: ${p}` : '/dev/null', to: after ? `files: ${p}` : '/dev/null' });
  }).join('');
}

/**
 * One source's plan. `local`: its files (undefined: none, a prune candidate); `remote`: Statsig's
 * version (undefined: Statsig has none); `baseHash`: the lock's hash for it (undefined: not in the lock).
 */
export function planSource(ref: SourceRef, local: LocalSource | undefined, remote: Record<string, unknown> | undefined, baseHash: string | undefined): SourcePlan {
  const source = lockKey(ref);
  const files = local ? [local.jsonPath, ...(local.sqlPath !== undefined ? [local.sqlPath] : [])] : [];
  // Only what changes gets a diff (most of a large folder is unchanged).
  const diff = () => diffOf(ref, remote, local);
  const withLocal = local ? { local } : {};
  if (!local) {
    if (!remote) return { source, ref, action: 'nothing', changed: [], files, diff: '' };
    const changed = Object.keys(remote).filter((k) => !descriptor(ref.kind).serverOwnedFields.includes(k));
    if (baseHash === undefined) return { source, ref, action: 'conflict', step: 'delete', changed, files, diff: diff(), reason: 'it was created on Statsig after the pull (it is not in statsig.lock.json)' };
    if (sourceHash(ref.kind, remote) !== baseHash) return { source, ref, action: 'conflict', step: 'delete', changed, files, diff: diff(), reason: 'it was changed on Statsig since the pull' };
    return { source, ref, action: 'delete', step: 'delete', changed: [], files, diff: diff() };
  }
  if (!remote) {
    const plan = planPush({ kind: ref.kind, ref, isNew: true, base: undefined }, local.data);
    const base = { source, ref, step: 'create' as const, body: plan.body, changed: plan.changed, files, diff: diff(), ...withLocal };
    return baseHash === undefined ? { ...base, action: 'create' } : { ...base, action: 'conflict', reason: 'it was deleted on Statsig since the pull' };
  }
  const plan = planPush({ kind: ref.kind, ref, isNew: false, base: remote }, local.data);
  if (plan.mode === 'none') return { source, ref, action: 'nothing', changed: [], files, diff: '', ...withLocal };
  if (plan.mode === 'create') throw new Error('planPush planned a create for a source Statsig has.');
  const step = modeStep(plan.mode);
  const base = { source, ref, step, body: plan.body, changed: plan.changed, files, diff: diff(), ...withLocal };
  if (baseHash === undefined) return { ...base, action: 'conflict', reason: 'Statsig has it but the files were not pulled from it (it is not in statsig.lock.json)' };
  if (sourceHash(ref.kind, remote) !== baseHash) return { ...base, action: 'conflict', reason: 'it was changed on Statsig since the pull' };
  return { ...base, action: step };
}

/** Sends a plan's request (its `step`); the hash of Statsig's version after it, for the lock (undefined: deleted). */
export async function sendPlan(api: SourcesApi, p: SourcePlan): Promise<string | undefined> {
  const { ref } = p;
  const body = p.body ?? {};
  if (p.step === 'delete') {
    await api.delete(ref);
    return undefined;
  }
  const result = p.step === 'create' ? await api.create(ref.kind, body) : p.step === 'patch' ? await api.patch(ref, body) : await api.update(ref, body);
  if (result.record) return sourceHash(ref.kind, result.record.data);
  try {
    return sourceHash(ref.kind, (await api.get(ref)).data);
  } catch {
    // Not readable back just now: the files are what was sent; the next plan compares them with Statsig again.
    return sourceHash(ref.kind, p.local?.data ?? body);
  }
}
