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

/**
 * The schema of a `.source.json` file of the sources folder (src/core/sourceFiles.ts): the source
 * without its SQL, which sits in the `.sql` file beside it, so the SQL field is not required.
 */
export function sourceFileJsonSchemaFor(kind: KindId): Record<string, unknown> {
  const d = descriptor(kind);
  const schema = jsonSchemaFor(kind);
  const properties = { ...(schema['properties'] ?? {}) as Record<string, Record<string, unknown>> };
  const sql = properties[d.sqlField];
  if (sql) properties[d.sqlField] = { ...sql, description: `Leave this out: the SQL is the ${KIND_SQL_FILE} file beside this one.` };
  for (const field of d.serverOwnedFields) {
    const p = properties[field];
    if (p) properties[field] = { ...p, description: `${typeof p['description'] === 'string' ? p['description'] : ''} (set by Statsig; pull does not write it, push ignores it)`.trim() };
  }
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]).filter((f) => f !== d.sqlField) : undefined;
  return { ...schema, title: `Statsig ${d.singular} (.source.json; its SQL is the .sql file beside it)`, properties, ...(required ? { required } : {}) };
}

const KIND_SQL_FILE = '<name>.sql';

/** Every schema file the build writes to dist/schemas (esbuild.mjs), by file name. */
export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const kind of KindIds) {
    files[`${kind}.schema.json`] = `${JSON.stringify(jsonSchemaFor(kind), null, 2)}\n`;
    files[`${kind}.source.schema.json`] = `${JSON.stringify(sourceFileJsonSchemaFor(kind), null, 2)}\n`;
  }
  return files;
}

export function allJsonSchemas(): Record<KindId, Record<string, unknown>> {
  return Object.fromEntries(KindIds.map((k) => [k, jsonSchemaFor(k)])) as Record<KindId, Record<string, unknown>>;
}
