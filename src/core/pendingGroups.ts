// Which group of the pending-changes view (source control) a draft belongs to, decided once:
// "conflicts" when a merge is waiting to be finished or Statsig changed a field the draft changed
// too, to something else (a merge cannot decide it alone); "changed" when Statsig changed it since the draft started but
// nothing collides (a merge takes it by itself), or deleted it; "drafts" otherwise.

/** What drift detection knows of a source (src/features/sources/drift.ts). */
export type DriftSummary =
  | { readonly kind: 'changed'; readonly fields: readonly string[]; readonly conflicting: readonly string[] }
  | { readonly kind: 'deleted' };

export type PendingGroup = 'conflicts' | 'changed' | 'drafts';

export function groupOf(draft: { readonly isNew: boolean; readonly merging?: unknown }, drift: DriftSummary | undefined): PendingGroup {
  if (draft.merging) return 'conflicts';
  if (drift?.kind === 'changed' && drift.conflicting.length > 0) return 'conflicts';
  if (drift) return 'changed';
  return 'drafts';
}
