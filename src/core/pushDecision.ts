// What a push should do, decided pure (src/features/sources/push.ts asks the user and acts around
// it): create, update, patch or nothing; whether it would overwrite a change someone made on
// Statsig, decided field by field (a field changed on Statsig since the draft's base conflicts only
// if the draft holds something else there, so a draft that already took Statsig's changes pushes
// without "Overwrite"); and the cases where there is nothing sensible to push.
import type { SourceRef } from './kinds.ts';
import { descriptor, type KindId } from './kinds.ts';
import { planPush, type PushPlan } from './validation.ts';
import { jsonEqual } from '../shared/jsonPath.ts';

export interface RemoteChanges {
  /** Fields Statsig changed since the base (server-owned fields ignored). */
  readonly changedOnStatsig: readonly string[];
  /** Of those, the ones where the draft differs from Statsig's value: pushing would overwrite them. */
  readonly overwritten: readonly string[];
}

function fieldsOf(o: Record<string, unknown>, ignore: readonly string[]): Set<string> {
  return new Set(Object.keys(o).filter((k) => !ignore.includes(k)));
}

export function remoteChanges(
  base: Record<string, unknown>, remote: Record<string, unknown>, draft: Record<string, unknown>, serverOwned: readonly string[],
): RemoteChanges {
  const keys = new Set([...fieldsOf(base, serverOwned), ...fieldsOf(remote, serverOwned)]);
  const changedOnStatsig = [...keys].filter((k) => !jsonEqual(base[k], remote[k])).sort();
  const overwritten = changedOnStatsig.filter((k) => !jsonEqual(draft[k], remote[k]));
  return { changedOnStatsig, overwritten };
}

/** True when `draft` is Statsig's version itself (server-owned fields ignored): there is nothing to keep. */
export function sameAsRemote(draft: Record<string, unknown>, remote: Record<string, unknown>, serverOwned: readonly string[]): boolean {
  const keys = new Set([...fieldsOf(draft, serverOwned), ...fieldsOf(remote, serverOwned)]);
  return [...keys].every((k) => jsonEqual(draft[k], remote[k]));
}

export interface PushInput {
  readonly kind: KindId;
  readonly ref: SourceRef;
  /** The draft's content (parsed) and what it knows of its start. */
  readonly draft: { readonly value: Record<string, unknown>; readonly isNew: boolean; readonly base: Record<string, unknown> | null };
  /** Statsig's version now; undefined when it does not exist. */
  readonly remote: Record<string, unknown> | undefined;
}

export type PushConflict =
  /** The draft was saved before its remote was read (an editor restored after a restart). */
  | { readonly reason: 'unknownBase' }
  /** Fields changed on Statsig since the base that the push would overwrite. */
  | { readonly reason: 'changedOnStatsig'; readonly fields: readonly string[] };

export type PushDecision =
  /** A new source whose name was taken on Statsig meanwhile. */
  | { readonly action: 'existsAlready' }
  /** The source was deleted on Statsig; the draft cannot update it. */
  | { readonly action: 'deletedOnStatsig' }
  /** The plan (its mode may be 'none': the draft equals Statsig's version), and the conflict to confirm first, if any. */
  | { readonly action: 'push'; readonly plan: PushPlan; readonly conflict: PushConflict | undefined };

export function decidePush(input: PushInput): PushDecision {
  const { kind, ref, draft, remote } = input;
  if (draft.isNew && remote) return { action: 'existsAlready' };
  if (!draft.isNew && !remote) return { action: 'deletedOnStatsig' };
  let conflict: PushConflict | undefined;
  if (remote && !draft.isNew) {
    if (draft.base === null) conflict = { reason: 'unknownBase' };
    else {
      const { overwritten } = remoteChanges(draft.base, remote, draft.value, descriptor(kind).serverOwnedFields);
      if (overwritten.length > 0) conflict = { reason: 'changedOnStatsig', fields: overwritten };
    }
  }
  return { action: 'push', plan: planPush({ kind, ref, isNew: draft.isNew, base: remote }, draft.value), conflict };
}
