// Sources as code: the folder format (docs/source-files.md). A source is two files under a root:
// `<kind folder>/<name>.sql` (its SQL, byte for byte) and `<kind folder>/<name>.source.json` (every
// other field but the server-owned ones, in a stable key order, 2-space indent, trailing newline);
// ingestion sources sit under `ingestion-sources/<type>/<dataset>/<source_name>.*`. Names that are
// not safe file names are encoded reversibly (encodeName/decodeName).
//
// Pure: files are relative paths (with `/`) and their text; reading and writing them is the
// caller's (the CLI's src/cli/folder.ts, later the workspace). Bad input never throws here: it is
// a FolderProblem naming the file and, where there is one, the line and column.
import { jsonSchemaFor } from './jsonSchema.ts';
import { LineIndex, parseDocument } from './document.ts';
import { descriptor, KindIds, refOf, withoutServerOwned, type KindId, type SourceRef } from './kinds.ts';
import { IngestionReadDatasets, IngestionTypes } from './schemas/ingestion.ts';
import { isPlainObject } from '../shared/jsonPath.ts';

/** The folder of each kind under the root. */
export const KIND_FOLDERS: Readonly<Record<KindId, string>> = {
  assignmentSource: 'assignment-sources',
  entityPropertySource: 'entity-property-sources',
  qualifyingEvent: 'qualifying-events',
  metricSource: 'metric-sources',
  ingestionSource: 'ingestion-sources',
};

export const SQL_SUFFIX = '.sql';
export const JSON_SUFFIX = '.source.json';
export const LOCK_FILE = 'statsig.lock.json';

const kindOfFolder = new Map(KindIds.map((k) => [KIND_FOLDERS[k], k]));

// ------------------------------------------------------------------ names ↔ file names

/** Kept as they are (besides the rules on the first and last character and reserved names); everything else is %-escaped. */
const VERBATIM = /^[a-zA-Z0-9 _\-.+=,;'!@#$&()[\]{}]$/;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const HEX = '0123456789ABCDEF';

const hex2 = (n: number) => `%${HEX[n >> 4] ?? '0'}${HEX[n & 15] ?? '0'}`;

type Token = { readonly verbatim: string } | { readonly escaped: string };

function escapeCodePoint(cp: string): string {
  const code = cp.codePointAt(0) ?? 0;
  // A lone surrogate has no UTF-8 form: %u and its four hex digits.
  if (cp.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return [...new TextEncoder().encode(cp)].map(hex2).join('');
}

/**
 * The file name stem for a source name: reversible (decodeName), safe on Windows, macOS and Linux,
 * and distinct names never give stems that differ only in case. The rules (docs/source-files.md):
 * characters outside VERBATIM are written as `%XX` (their UTF-8 bytes, upper-case hex; a lone
 * surrogate as `%uXXXX`); a leading or trailing `.` or space is escaped too, and so is the first
 * character of a Windows device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, also before a dot); when
 * upper-case letters remain, `~` and a lower-case hexadecimal mask of which letters they are
 * (bit i = the i-th verbatim letter) follow. The empty name is `~0`.
 */
export function encodeName(name: string): string {
  if (name === '') return '~0';
  const cps = [...name];
  const tokens: Token[] = cps.map((cp, i) => {
    const edge = (i === 0 || i === cps.length - 1) && (cp === '.' || cp === ' ');
    return VERBATIM.test(cp) && !edge ? { verbatim: cp } : { escaped: escapeCodePoint(cp) };
  });
  // Windows reserves device names whatever follows a dot (CON.sql, con.x.sql) and ignores trailing spaces.
  const firstDot = name.indexOf('.');
  const base = (firstDot < 0 ? name : name.slice(0, firstDot)).replace(/ +$/, '');
  if (RESERVED.test(base)) {
    const first = tokens[0];
    if (first && 'verbatim' in first) tokens[0] = { escaped: hex2(first.verbatim.charCodeAt(0)) };
  }
  let mask = 0n;
  let bit = 0n;
  for (const t of tokens) {
    if ('verbatim' in t && /[a-zA-Z]/.test(t.verbatim)) {
      if (/[A-Z]/.test(t.verbatim)) mask |= 1n << bit;
      bit++;
    }
  }
  const body = tokens.map((t) => ('verbatim' in t ? t.verbatim : t.escaped)).join('');
  return mask === 0n ? body : `${body}~${mask.toString(16)}`;
}

/** The name a stem encodes, or undefined when the stem is not exactly what encodeName writes for any name. */
export function decodeName(stem: string): string | undefined {
  if (stem === '~0') return '';
  const tilde = stem.indexOf('~');
  let body = stem;
  if (tilde >= 0) {
    const mask = stem.slice(tilde + 1);
    if (!/^[1-9a-f][0-9a-f]*$/.test(mask)) return undefined;
    body = stem.slice(0, tilde);
  }
  const bytes: number[] = [];
  let out = '';
  const flush = (): boolean => {
    if (bytes.length === 0) return true;
    try {
      out += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    } catch {
      return false;
    }
    bytes.length = 0;
    return true;
  };
  for (let i = 0; i < body.length;) {
    const c = body[i] ?? '';
    if (c === '%') {
      const lone = /^%u([0-9A-F]{4})/.exec(body.slice(i));
      if (lone?.[1]) {
        if (!flush()) return undefined;
        out += String.fromCharCode(parseInt(lone[1], 16));
        i += 6;
        continue;
      }
      const pair = /^%([0-9A-F]{2})/.exec(body.slice(i));
      if (!pair?.[1]) return undefined;
      bytes.push(parseInt(pair[1], 16));
      i += 3;
    } else {
      if (!flush()) return undefined;
      out += c;
      i++;
    }
  }
  if (!flush()) return undefined;
  // Canonical only: anything encodeName would write differently (a case mask that disagrees, an
  // escape that was not needed, a letter case the mask does not say) names no source.
  return encodeName(out) === stem ? out : undefined;
}

// ------------------------------------------------------------------ source ↔ files

/** The path of a source's files under the root, without the suffix: `metric-sources/orders`, `ingestion-sources/snowflake-v2/Events/web`. */
export function sourceStem(ref: SourceRef): string {
  const folder = KIND_FOLDERS[ref.kind];
  if (ref.kind === 'ingestionSource') return [folder, segmentOf(ref.type), segmentOf(ref.dataset), encodeName(ref.sourceName)].join('/');
  return `${folder}/${encodeName(ref.name)}`;
}

/** Statsig's own ingestion types and datasets are safe and distinct file names: written as they are. */
const FIXED_SEGMENTS: ReadonlySet<string> = new Set([...IngestionTypes, ...IngestionReadDatasets]);
const segmentOf = (value: string) => (FIXED_SEGMENTS.has(value) ? value : encodeName(value));
const valueOfSegment = (segment: string) => (FIXED_SEGMENTS.has(segment) ? segment : decodeName(segment));

/** The longest file name most file systems take (ext4, APFS, NTFS: 255 bytes or UTF-16 units; the encoded names are ASCII). */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * Why a source cannot be kept as files: a segment of its path (with the `.source.json` suffix for
 * the last) longer than MAX_FILE_NAME_BYTES once encoded; undefined when it can.
 */
export function tooLongForFiles(ref: SourceRef): string | undefined {
  const segments = sourceStem(ref).split('/').slice(1);
  const longest = Math.max(...segments.map((seg, i) => seg.length + (i === segments.length - 1 ? JSON_SUFFIX.length : 0)));
  return longest > MAX_FILE_NAME_BYTES
    ? `its name is too long for a file name once encoded (${longest} bytes with ${JSON_SUFFIX}; file systems take ${MAX_FILE_NAME_BYTES}), so it cannot be kept as files; edit it in VS Code's Statsig view instead`
    : undefined;
}

const fieldOrder = new Map<KindId, readonly string[]>();
/** The top-level fields of a kind in the order of its schema (the order of Statsig's API reference). */
function orderOf(kind: KindId): readonly string[] {
  let order = fieldOrder.get(kind);
  if (!order) {
    order = Object.keys((jsonSchemaFor(kind)['properties'] ?? {}));
    fieldOrder.set(kind, order);
  }
  return order;
}

/** Nested objects with their keys sorted (a stable order whatever order Statsig answers in). */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (isPlainObject(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedDeep(value[k])]));
  return value;
}

/** `data` with its top-level fields in schema order (unknown fields after them, sorted) and nested keys sorted. */
export function orderedFields(kind: KindId, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const order = orderOf(kind);
  const known = order.filter((k) => Object.hasOwn(data, k));
  const rest = Object.keys(data).filter((k) => !order.includes(k)).sort();
  const out: Record<string, unknown> = {};
  for (const k of [...known, ...rest]) {
    // Defined as an own property even for "__proto__", which assignment would swallow.
    Object.defineProperty(out, k, { value: sortedDeep(data[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A source as its files hold it, as one object: without the server-owned fields, top-level fields
 * in schema order and nested keys sorted. Both sides of a diff between Statsig and the files are
 * put in this shape, so only real changes show.
 */
export function asInFiles(kind: KindId, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return orderedFields(kind, withoutServerOwned(kind, data));
}

export interface SourceFile {
  /** Relative to the root, with `/`. */
  readonly path: string;
  readonly text: string;
}

/**
 * The files of one source: its `.sql` (when the SQL field is a string) and its `.source.json`.
 * Server-owned fields (owner, id) are not written: they are Statsig's, and push ignores them.
 */
export function filesOf(ref: SourceRef, data: Readonly<Record<string, unknown>>): SourceFile[] {
  const d = descriptor(ref.kind);
  const stem = sourceStem(ref);
  const fields = withoutServerOwned(ref.kind, data);
  const sql = fields[d.sqlField];
  const files: SourceFile[] = [];
  if (typeof sql === 'string') {
    delete fields[d.sqlField];
    files.push({ path: `${stem}${SQL_SUFFIX}`, text: sql });
  }
  files.push({ path: `${stem}${JSON_SUFFIX}`, text: `${JSON.stringify(orderedFields(ref.kind, fields), null, 2)}\n` });
  return files;
}

// ------------------------------------------------------------------ files → sources

export interface FolderProblem {
  /** Relative to the root, with `/`. */
  readonly file: string;
  /** 1-based, when the problem is at a place in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface LocalSource {
  readonly ref: SourceRef;
  /** The source as push would send it: the `.source.json` fields with the SQL put back. */
  readonly data: Record<string, unknown>;
  /** `<stem>.source.json` and `<stem>.sql` (absent when the source has no SQL file). */
  readonly jsonPath: string;
  readonly jsonText: string;
  readonly sqlPath: string | undefined;
  readonly sqlText: string | undefined;
}

export interface ParsedFolder {
  readonly sources: LocalSource[];
  readonly problems: FolderProblem[];
}

function at(file: string, text: string, offset: number, message: string): FolderProblem {
  const { line, character } = new LineIndex(text).position(offset);
  return { file, line: line + 1, column: character + 1, message };
}

/** Which kind and identity a stem path names, or a problem saying why it names none. */
function placeOf(stem: string): { kind: KindId; identity: Record<string, string> } | string {
  const parts = stem.split('/');
  const folder = parts[0] ?? '';
  const kind = kindOfFolder.get(folder);
  if (!kind) return `"${folder}" is not a kind folder; they are ${KindIds.map((k) => KIND_FOLDERS[k]).join(', ')}`;
  const fields = descriptor(kind).addressing.identityFields;
  const segments = parts.slice(1);
  if (segments.length !== fields.length) {
    return kind === 'ingestionSource'
      ? `ingestion sources sit at ${folder}/<type>/<dataset>/<source_name>${JSON_SUFFIX}`
      : `${descriptor(kind).label.toLowerCase()} sit directly in ${folder}/, not in a folder below it`;
  }
  const identity: Record<string, string> = {};
  for (const [i, f] of fields.entries()) {
    const segment = segments[i] ?? '';
    const decoded = kind === 'ingestionSource' && i < 2 ? valueOfSegment(segment) : decodeName(segment);
    if (decoded === undefined) return `"${segment}" is not an encoded name (docs/source-files.md: %XX escapes, upper-case hex, and a ~ case mask that matches the letters)`;
    identity[f] = decoded;
  }
  return { kind, identity };
}

/**
 * The sources a folder's files describe. `files`: every file under the root (relative paths with
 * `/`, any order). The lock file, dot files and files outside kind folders are not sources; a file
 * in a kind folder that is neither `.sql` nor `.source.json` is reported.
 */
export function parseFolder(files: ReadonlyMap<string, string>): ParsedFolder {
  const problems: FolderProblem[] = [];
  const sources: LocalSource[] = [];
  const sqlFiles = new Map<string, string>();
  const jsonFiles = new Map<string, string>();
  for (const [path, text] of files) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (!path.includes('/') || base.startsWith('.') || path.split('/').some((s) => s.startsWith('.'))) continue;
    const folder = path.slice(0, path.indexOf('/'));
    if (path.endsWith(JSON_SUFFIX)) jsonFiles.set(path.slice(0, -JSON_SUFFIX.length), text);
    else if (path.endsWith(SQL_SUFFIX)) sqlFiles.set(path.slice(0, -SQL_SUFFIX.length), text);
    else if (kindOfFolder.has(folder)) problems.push({ file: path, message: `Not a source file: a source is <name>${SQL_SUFFIX} and <name>${JSON_SUFFIX}.` });
  }
  for (const [stem] of sqlFiles) {
    if (!jsonFiles.has(stem)) problems.push({ file: `${stem}${SQL_SUFFIX}`, message: `${stem}${SQL_SUFFIX} has no ${stem.slice(stem.lastIndexOf('/') + 1)}${JSON_SUFFIX} beside it; a source needs both (the .source.json holds its other fields).` });
  }
  for (const [stem, jsonText] of [...jsonFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const jsonPath = `${stem}${JSON_SUFFIX}`;
    const place = placeOf(stem);
    if (typeof place === 'string') {
      problems.push({ file: jsonPath, message: `Not a source: ${place}.` });
      continue;
    }
    const { kind, identity } = place;
    const d = descriptor(kind);
    const parsed = parseDocument(jsonText);
    if (!parsed.ok) {
      for (const p of parsed.problems) problems.push(at(jsonPath, jsonText, p.range.start, p.message));
      continue;
    }
    const value = parsed.value;
    let bad = false;
    for (const [field, expected] of Object.entries(identity)) {
      const actual = Object.hasOwn(value, field) ? value[field] : undefined;
      if (actual !== expected) {
        bad = true;
        const node = parsed.root.children?.find((c) => c.children?.[0]?.value === field);
        const where = node?.offset ?? 0;
        const shouldBe = typeof actual === 'string' ? ` (a source named ${JSON.stringify(actual)} belongs in ${placeFor(kind, { ...identity, [field]: actual })})` : '';
        problems.push(at(jsonPath, jsonText, where, `"${field}" is ${actual === undefined ? 'missing' : JSON.stringify(actual)} but the file name says ${JSON.stringify(expected)}${shouldBe}.`));
      }
    }
    const sqlText = sqlFiles.get(stem);
    if (sqlText !== undefined && Object.hasOwn(value, d.sqlField)) {
      bad = true;
      const node = parsed.root.children?.find((c) => c.children?.[0]?.value === d.sqlField);
      problems.push(at(jsonPath, jsonText, node?.offset ?? 0, `"${d.sqlField}" is both in this file and in ${stem}${SQL_SUFFIX}; keep the SQL in the .sql file only.`));
    }
    if (bad) continue;
    const ref = refOf(kind, identity);
    if (!ref) {
      problems.push({ file: jsonPath, message: `Not a source: ${JSON.stringify(identity)} names no ${d.singular}.` });
      continue;
    }
    const data: Record<string, unknown> = { ...value };
    if (sqlText !== undefined) data[d.sqlField] = sqlText;
    sources.push({ ref, data, jsonPath, jsonText, sqlPath: sqlText === undefined ? undefined : `${stem}${SQL_SUFFIX}`, sqlText });
  }
  return { sources, problems };
}

/** The source file at `path` (relative to the root, with `/`): which source, its stem and whether it is the SQL or the fields; undefined when it names none. */
export function sourceOfFile(path: string): { readonly ref: SourceRef; readonly stem: string; readonly role: 'sql' | 'json' } | undefined {
  const role = path.endsWith(JSON_SUFFIX) ? 'json' : path.endsWith(SQL_SUFFIX) ? 'sql' : undefined;
  if (!role || path.split('/').some((s) => s.startsWith('.') || s === '')) return undefined;
  const stem = path.slice(0, -(role === 'json' ? JSON_SUFFIX : SQL_SUFFIX).length);
  const place = placeOf(stem);
  if (typeof place === 'string') return undefined;
  const ref = refOf(place.kind, place.identity);
  return ref ? { ref, stem, role } : undefined;
}

function placeFor(kind: KindId, identity: Record<string, string>): string {
  const ref = refOf(kind, identity);
  return ref ? `${sourceStem(ref)}${JSON_SUFFIX}` : 'another file';
}
