// JSON Schema for the editor's IntelliSense ("Reopen With → Text Editor"), generated from the same
// zod schemas that validate requests and responses — never written by hand.
import { z } from 'zod';
import { KindIds, descriptor, type KindId } from './kinds.ts';

/** The schema of the JSON document a user edits for one source of `kind`. */
export function jsonSchemaFor(kind: KindId): Record<string, unknown> {
  const d = descriptor(kind);
  const schema = z.toJSONSchema(d.schemas.response, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const field of d.serverOwnedFields) {
    const p = properties[field];
    if (p) properties[field] = { ...p, readOnly: true, description: `${typeof p['description'] === 'string' ? p['description'] : ''} (set by Statsig; ignored on push)`.trim() };
  }
  return { title: `Statsig ${d.singular}`, ...schema };
}

export function allJsonSchemas(): Record<KindId, Record<string, unknown>> {
  return Object.fromEntries(KindIds.map((k) => [k, jsonSchemaFor(k)])) as Record<KindId, Record<string, unknown>>;
}
