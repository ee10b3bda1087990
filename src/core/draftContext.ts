// What a draft started from, decided once. Saving a source produces its DraftContext (the save
// event carries it); validation and push read it and never work it out again. The rules:
// - a draft keeps the base it was started from, however often it is saved again;
// - a first save takes as its base the version the document was *read* from, not Statsig's version
//   at save time (that may have moved since the user started editing); unknown (an editor
//   restored after a restart) stays unknown (null), and push then asks before it could overwrite;
// - a new source (New Source…) has no base;
// - local checks compare with the base or, when it is unknown, with Statsig's version as last read;
// - a draft in the middle of a merge says so (its SQL may hold conflict markers, reported as errors).
import type { KindId, SourceRef } from './kinds.ts';
import { descriptor } from './kinds.ts';
import { sameAsRemote } from './pushDecision.ts';

type Json = Record<string, unknown>;

export interface DraftContext {
  readonly projectId: string;
  readonly kind: KindId;
  readonly ref: SourceRef;
  /** A source that does not exist on Statsig yet: push creates it. */
  readonly isNew: boolean;
  /** Statsig's version the draft started from; null when unknown or for a new source. */
  readonly base: Json | null;
  /** What local checks compare with: the base, else Statsig's version as last read; undefined for a new source. */
  readonly compareWith: Json | undefined;
  /** The draft is in the middle of a merge (conflict markers in its SQL; src/core/merge.ts). */
  readonly merging?: true;
}

export interface DraftOrigin {
  readonly base: Json | null;
  readonly isNew: boolean;
  /** Set while a merge's conflicts are being resolved (Draft.merging). */
  readonly merging?: unknown;
}

export interface KnownState {
  /** The saved draft, if there is one: its origin is final. */
  readonly draft: DraftOrigin | undefined;
  /** Statsig's version the open document was read from, if it was read from Statsig. */
  readonly readFrom: Json | undefined;
  /** Statsig's version as last fetched. */
  readonly lastRemote: Json | undefined;
}

export function draftContext(projectId: string, ref: SourceRef, known: KnownState): DraftContext {
  const isNew = known.draft?.isNew ?? false;
  const base = known.draft ? known.draft.base : (known.readFrom ?? null);
  const compareWith = isNew ? undefined : (base ?? known.lastRemote);
  return { projectId, kind: ref.kind, ref, isNew, base, compareWith, ...(known.draft?.merging ? { merging: true as const } : {}) };
}

/** True when saving `value` brings the source back to exactly the version it started from: no draft is kept. */
export function revertsToBase(ctx: DraftContext, value: Json): boolean {
  return !ctx.isNew && ctx.base !== null && sameAsRemote(value, ctx.base, descriptor(ctx.kind).serverOwnedFields);
}
