// Go to Source's order, decided pure: the sources opened last come first (most recent first), then
// every other source by name. src/features/goto/goToSource.ts keeps the list and shows the pick.
import { KindIds, type KindId } from './kinds.ts';

/** How many recently opened sources are remembered. */
export const RECENT_LIMIT = 20;

/** The list after `key` was opened: it comes first, once; at most `limit` entries. */
export function touched(recent: readonly string[], key: string, limit = RECENT_LIMIT): string[] {
  return [key, ...recent.filter((k) => k !== key)].slice(0, limit);
}

/** What was stored under the recent key, as a list of strings (anything else: nothing). */
export function recentList(stored: unknown, limit = RECENT_LIMIT): string[] {
  if (!Array.isArray(stored)) return [];
  return [...new Set(stored.filter((k): k is string => typeof k === 'string' && k.length > 0))].slice(0, limit);
}

export interface PickableSource {
  /** The source's URI (what the recent list holds). */
  readonly key: string;
  readonly name: string;
  readonly kind: KindId;
  readonly projectLabel: string;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** By name (case-insensitive, numbers in order), then kind, then project: the same order every time. */
export function compareSources(a: PickableSource, b: PickableSource): number {
  return collator.compare(a.name, b.name)
    || KindIds.indexOf(a.kind) - KindIds.indexOf(b.kind)
    || collator.compare(a.projectLabel, b.projectLabel)
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The sources split for the pick: `recent`, those of `sources` opened recently, most recent first;
 * `rest`, every other one, in `compareSources` order. Each source appears once.
 */
export function arrange<T extends PickableSource>(sources: readonly T[], recent: readonly string[]): { recent: T[]; rest: T[] } {
  const byKey = new Map<string, T>();
  for (const s of sources) if (!byKey.has(s.key)) byKey.set(s.key, s);
  const first = recent.map((k) => byKey.get(k)).filter((s): s is T => s !== undefined);
  const taken = new Set(first.map((s) => s.key));
  const rest = [...byKey.values()].filter((s) => !taken.has(s.key)).sort(compareSources);
  return { recent: first, rest };
}
