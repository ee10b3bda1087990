// The three-way merge of a draft with Statsig's version, decided pure: base (what the draft started
// from) × draft (the user's) × remote (Statsig's now), field by field.
// - A field changed on one side only takes that side; changed on both sides to the same value merges.
// - The SQL changed on both sides goes through a line-based diff3 (node-diff3): a clean merge gives
//   the merged SQL; overlapping (or touching) changes give conflict blocks with the standard markers
//   (`<<<<<<< your draft`, `||||||| base`, `=======`, `>>>>>>> Statsig`) in the SQL.
// - Any other field changed on both sides differently is a field conflict. Plain objects (an
//   ingestion source's column_mapping) are merged key by key, so a conflict names the deepest key
//   both changed; arrays and scalars are one value each (which item of a list "is the same" is not
//   knowable in general).
// - Server-owned fields are never compared: the merged object has Statsig's.
// src/features/sources/merge.ts asks the user about the conflicts and writes the result.
import { diff3Merge } from 'node-diff3';
import { applyEdits } from 'jsonc-parser';
import { formatSource, parseDocument, planEdit } from './document.ts';
import { descriptor, type KindId } from './kinds.ts';
import { formatPath, isPlainObject, jsonEqual, type JsonPath } from '../shared/jsonPath.ts';

type Json = Record<string, unknown>;

export const MARKERS = {
  draft: '<<<<<<< your draft',
  base: '||||||| base',
  separator: '=======',
  remote: '>>>>>>> Statsig',
} as const;

/** A field both sides changed, each differently (undefined: the field is absent on that side). */
export interface FieldConflict {
  readonly path: JsonPath;
  readonly base: unknown;
  readonly draft: unknown;
  readonly remote: unknown;
}

/** One conflict block in the merged SQL: its lines, 0-based, from the `<<<<<<<` line to the `>>>>>>>` line inclusive. */
export interface SqlConflictRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface MergeResult {
  /** The merged object. Where a field conflicts it holds the draft's value (until resolveField says otherwise). */
  readonly merged: Json;
  /** Conflict blocks in the merged SQL (0 for a clean SQL merge). */
  readonly sqlConflicts: number;
  readonly sqlConflictRanges: readonly SqlConflictRange[];
  /** Both sides changed the SQL: it went through the line merge (clean or with conflicts). */
  readonly sqlFromBoth: boolean;
  readonly fieldConflicts: readonly FieldConflict[];
  /** Fields (formatted paths) Statsig changed and the draft did not: the merged object has Statsig's value. */
  readonly takenFromStatsig: readonly string[];
  /** Fields the draft changed and Statsig did not: the merged object keeps the draft's value. */
  readonly keptFromDraft: readonly string[];
}

interface Acc {
  readonly conflicts: FieldConflict[];
  readonly taken: string[];
  readonly kept: string[];
}

const own = (o: unknown, k: string): unknown => (isPlainObject(o) && Object.hasOwn(o, k) ? o[k] : undefined);

/** Keys of the objects, the draft's order first, then new ones in remote's and base's order. */
function keysOf(...objects: unknown[]): string[] {
  const keys = new Set<string>();
  for (const o of objects) if (isPlainObject(o)) for (const k of Object.keys(o)) keys.add(k);
  return [...keys];
}

/** One value merged three ways; undefined means "absent". */
function mergeValue(path: JsonPath, base: unknown, draft: unknown, remote: unknown, acc: Acc): unknown {
  if (jsonEqual(draft, remote)) return draft;
  if (jsonEqual(base, draft)) {
    acc.taken.push(formatPath(path));
    return remote;
  }
  if (jsonEqual(base, remote)) {
    acc.kept.push(formatPath(path));
    return draft;
  }
  // Both changed, differently. Objects on all three sides (an absent base counts as {} when both
  // sides added an object) merge key by key; anything else is one conflict.
  const baseObject = base === undefined ? {} : base;
  if (isPlainObject(draft) && isPlainObject(remote) && isPlainObject(baseObject)) {
    const out: Json = {};
    for (const k of keysOf(draft, remote, baseObject)) {
      const v = mergeValue([...path, k], own(baseObject, k), own(draft, k), own(remote, k), acc);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  acc.conflicts.push({ path, base, draft, remote });
  return draft;
}

/** The line break a text uses (CRLF when it has one, else LF). */
function eolOf(...texts: string[]): string {
  return texts.some((t) => t.includes('\r\n')) ? '\r\n' : '\n';
}

const linesOf = (text: string): string[] => text.split(/\r?\n/);

export interface SqlMerge {
  readonly sql: string;
  readonly conflicts: readonly SqlConflictRange[];
}

/** A line-based three-way merge of SQL; conflicting hunks get the markers (with the base's lines). */
export function mergeSql(base: string, draft: string, remote: string): SqlMerge {
  const eol = eolOf(draft, remote);
  const regions = diff3Merge(linesOf(draft), linesOf(base), linesOf(remote), { excludeFalseConflicts: true });
  const out: string[] = [];
  const conflicts: SqlConflictRange[] = [];
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      const startLine = out.length;
      const { a, o, b } = region.conflict;
      out.push(MARKERS.draft, ...a, MARKERS.base, ...o, MARKERS.separator, ...b, MARKERS.remote);
      conflicts.push({ startLine, endLine: out.length - 1 });
    }
  }
  return { sql: out.join(eol), conflicts };
}

/**
 * Merges `draft` and `remote`, both made from `base`. The SQL field goes through mergeSql when
 * both sides changed it and all three are text (an absent SQL counts as empty text).
 */
export function mergeSource(kind: KindId, base: Json, draft: Json, remote: Json): MergeResult {
  const d = descriptor(kind);
  const owned = new Set(d.serverOwnedFields);
  const acc: Acc = { conflicts: [], taken: [], kept: [] };
  const merged: Json = {};
  let sqlConflicts: readonly SqlConflictRange[] = [];
  let sqlFromBoth = false;
  // Keys in the draft's order, then the ones only Statsig has (the merged text keeps the draft's layout).
  for (const k of keysOf(draft, remote, base)) {
    if (owned.has(k)) {
      const theirs = own(remote, k);
      if (theirs !== undefined) merged[k] = theirs;
      continue;
    }
    const [b, m, r] = [own(base, k), own(draft, k), own(remote, k)];
    const asText = (v: unknown) => (v === undefined || v === null ? '' : v);
    const [bt, mt, rt] = [asText(b), asText(m), asText(r)];
    const bothChanged = !jsonEqual(m, r) && !jsonEqual(b, m) && !jsonEqual(b, r);
    if (k === d.sqlField && bothChanged && typeof bt === 'string' && typeof mt === 'string' && typeof rt === 'string') {
      const sql = mergeSql(bt, mt, rt);
      sqlConflicts = sql.conflicts;
      sqlFromBoth = true;
      merged[k] = sql.sql;
      continue;
    }
    const v = mergeValue([k], b, m, r, acc);
    if (v !== undefined) merged[k] = v;
  }
  return {
    merged,
    sqlFromBoth,
    sqlConflicts: sqlConflicts.length,
    sqlConflictRanges: sqlConflicts,
    fieldConflicts: acc.conflicts,
    takenFromStatsig: acc.taken,
    keptFromDraft: acc.kept,
  };
}

/** `merged` with the conflict at `path` resolved to `value` (undefined: the field goes). */
export function resolveField(merged: Json, path: JsonPath, value: unknown): Json {
  const copy = structuredClone(merged);
  let node: unknown = copy;
  for (const segment of path.slice(0, -1)) {
    if (!isPlainObject(node)) return copy;
    const next = (node as Json)[String(segment)];
    if (!isPlainObject(next)) (node as Json)[String(segment)] = {};
    node = (node as Json)[String(segment)];
  }
  const last = path[path.length - 1];
  if (last === undefined || !isPlainObject(node)) return copy;
  if (value === undefined) delete node[String(last)];
  else node[String(last)] = structuredClone(value);
  return copy;
}

/**
 * The text of the merged draft: the draft's own text with only the top-level fields that differ
 * replaced (its formatting and key order kept), or the merged object formatted when the draft's
 * text cannot take the edits.
 */
export function mergedText(draftText: string, merged: Json): string {
  const parsed = parseDocument(draftText);
  if (!parsed.ok) return formatSource(merged);
  let text = draftText;
  for (const k of keysOf(parsed.value, merged)) {
    if (jsonEqual(own(parsed.value, k), own(merged, k))) continue;
    const plan = planEdit(text, [k], own(merged, k));
    if (!plan.ok) return formatSource(merged);
    text = applyEdits(text, plan.edits);
  }
  const check = parseDocument(text);
  return check.ok && jsonEqual(check.value, merged) ? text : formatSource(merged);
}

/** A conflict marker line left in SQL: its 0-based line, its offsets in the SQL, and which marker. */
export interface MarkerLine {
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly marker: '<<<<<<<' | '|||||||' | '=======' | '>>>>>>>';
}

const MARKER_LINE = /^(<{7}|\|{7}|>{7})(?:[ \t].*)?$|^(={7})[ \t]*$/;

/** Every line of `sql` that is a conflict marker (seven `<`, `|`, `=` or `>` at the start of a line, as git writes them). */
export function conflictMarkers(sql: string): MarkerLine[] {
  const found: MarkerLine[] = [];
  let offset = 0;
  let line = 0;
  for (const raw of sql.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = MARKER_LINE.exec(text);
    if (m) found.push({ line, from: offset, to: offset + text.length, marker: (m[1] ?? m[2]) as MarkerLine['marker'] });
    offset += raw.length + 1;
    line++;
  }
  return found;
}

/** How many conflict markers the SQL of a source's JSON text holds; undefined when the text is not a JSON object. */
export function conflictMarkersIn(kind: KindId, json: string): number | undefined {
  const parsed = parseDocument(json);
  if (!parsed.ok) return undefined;
  const sql = parsed.value[descriptor(kind).sqlField];
  return typeof sql === 'string' ? conflictMarkers(sql).length : 0;
}

/** A value in a few characters, for a quick pick: `(absent)`, or its JSON on one line. */
export function preview(value: unknown, max = 80): string {
  if (value === undefined) return '(absent)';
  const flat = JSON.stringify(value).replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
