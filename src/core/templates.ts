// What `New Source…` starts from: the source's identity fields first (so the document reads like
// the address it lives at), then its kind's template (kinds.ts): a body that passes the create
// schema, with placeholder SQL the user replaces.
import { descriptor, identityOf, type SourceRef } from './kinds.ts';

export function templateFor(ref: SourceRef): Record<string, unknown> {
  const identity = identityOf(ref);
  return { ...identity, ...descriptor(ref.kind).template(identity) };
}
