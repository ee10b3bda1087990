// Whether pushing a draft would overwrite a change someone made on Statsig, decided field by field:
// a field changed on Statsig since the draft's base conflicts only if the draft holds something
// else there. A draft that already took Statsig's changes (through Compare) pushes without
// "Overwrite". Pure, so it is unit-tested; push.ts asks and acts around it.
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
