// Which fields an edit coming from the custom editor's webview may change. The webview shows these
// fields read-only, but the host never trusts it: a compromised or buggy page could post any path.
// Pure, so it is unit-tested; src/features/editor/sourceEditor.ts applies it to every edit message.
import { descriptor, type KindId } from './kinds.ts';

/** Top-level fields the form shows read-only: server-owned, the identity (the source's address), immutable ones. */
export function readOnlyFields(kind: KindId, isNew: boolean): string[] {
  const d = descriptor(kind);
  return [...new Set([...d.serverOwnedFields, ...d.addressing.identityFields, ...(isNew ? [] : d.immutableFields)])];
}

/** Why an edit at `path` is refused, or undefined when it may be applied. */
export function editRefusal(kind: KindId, isNew: boolean, path: readonly (string | number)[]): string | undefined {
  const top = path[0];
  if (typeof top !== 'string') return 'an edit must name a field of the source';
  if (top === '__proto__' || top === 'constructor' || top === 'prototype') return `"${top}" is not a field of a source`;
  if (readOnlyFields(kind, isNew).includes(top)) return `"${top}" cannot be changed here (it is read-only: set by Statsig, or the source's identity)`;
  return undefined;
}
