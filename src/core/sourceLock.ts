// statsig.lock.json: which Statsig version each source's files started from (their base), so that
// pull can tell a local change from a stale copy, validate can dry-run only what changed, and
// push (next) can refuse a source changed on Statsig meanwhile. docs/source-files.md.
//
// { "version": 1, "projectId": "…", "sources": { "<kind>/<identity path>": { "hash": "<sha256>" } } }
//
// The hash is sha256 (hex) of the canonical form of the source (canonicalSource): the object
// without its server-owned fields, keys sorted at every level, no whitespace. The files hold the
// same fields, so hashing what the files say gives the lock's hash exactly when nothing changed.
// No key, no secret, nothing else. Pure (the caller writes the file, atomically).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { withoutServerOwned, type KindId, type SourceRef } from './kinds.ts';
import { isPlainObject } from '../shared/jsonPath.ts';

export const LockEntry = z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex') });
export type LockEntry = z.infer<typeof LockEntry>;

export const Lock = z.strictObject({
  version: z.literal(1),
  projectId: z.string().min(1),
  sources: z.record(z.string(), LockEntry),
});
export type Lock = z.infer<typeof Lock>;

/** The lock's key for a source: `metricSource/orders`, `ingestionSource/snowflake-v2/Events/web` (names as they are; the kind says how many segments come before the name). */
export function lockKey(ref: SourceRef): string {
  return ref.kind === 'ingestionSource' ? `${ref.kind}/${ref.type}/${ref.dataset}/${ref.sourceName}` : `${ref.kind}/${ref.name}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The canonical JSON of a source: server-owned fields dropped, keys sorted at every level, no whitespace. */
export function canonicalSource(kind: KindId, data: Readonly<Record<string, unknown>>): string {
  return canonical(withoutServerOwned(kind, data));
}

export function sourceHash(kind: KindId, data: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalSource(kind, data)).digest('hex');
}

export type LockRead = { readonly ok: true; readonly lock: Lock } | { readonly ok: false; readonly message: string };

/** The lock file's text as a lock, or why it is not one. */
export function parseLock(text: string): LockRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = Lock.safeParse(json);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, lock: parsed.data };
}

/** The lock as its file holds it: entries sorted by key, 2-space indent, trailing newline. */
export function formatLock(lock: Lock): string {
  const sources = Object.fromEntries(Object.keys(lock.sources).sort().map((k) => [k, { hash: lock.sources[k]?.hash ?? '' }]));
  return `${JSON.stringify({ version: lock.version, projectId: lock.projectId, sources }, null, 2)}\n`;
}

/** The lock with one entry set (a pull or a push of one source) or removed (`hash` undefined: the source was deleted). */
export function withEntry(lock: Lock, ref: SourceRef, hash: string | undefined): Lock {
  const sources = { ...lock.sources };
  const key = lockKey(ref);
  if (hash === undefined) delete sources[key];
  else sources[key] = { hash };
  return { ...lock, sources };
}
