// A source as the JSON text a user edits: formatting, parsing with exact error positions, the text
// range of any field path, the mapping from a position inside the SQL string to the document, and
// the text edit that sets or removes one field.
//
// Everything here is linear in the size of the text, whatever the text: line starts are computed
// once per document and looked up by binary search, a string's escapes once per string, nesting is
// measured by a flat scan before anything recursive (the parser, the value builder) sees the text,
// and no list of problems grows past MAX_PROBLEMS (plus one line that counts the rest).
import { findNodeAtLocation, modify, parseTree, printParseErrorCode, type Edit, type Node, type ParseError } from 'jsonc-parser';
import { formatPath, isJsonValue, MAX_DEPTH } from '../shared/jsonPath.ts';
import { errorMessage } from './errors.ts';

export { MAX_DEPTH } from '../shared/jsonPath.ts';

import type { JsonPath } from '../shared/jsonPath.ts';

/** Offsets into the document text, end exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly path: JsonPath;
  readonly message: string;
  readonly severity: Severity;
  readonly range: TextRange;
  /** Who found it: the JSON parser, the schema, the local SQL/column checks, or Statsig's dry run. */
  readonly source: 'json' | 'schema' | 'sql' | 'statsig';
  /** For problems inside the SQL: offsets into the SQL string itself (for the SQL editor). */
  readonly sqlRange?: { readonly from: number; readonly to: number };
  /** Only on the summary line that stands for the problems not listed, by severity. */
  readonly omitted?: Readonly<Record<Severity, number>>;
  /** A JSON syntax error (VS Code's own JSON support reports these too, in a text editor). */
  readonly syntax?: true;
}

/** At most this many problems are listed per document; one more line counts the rest. */
export const MAX_PROBLEMS = 200;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Collects problems up to MAX_PROBLEMS; past that it only counts them, and never calls `make`, so
 * the range of a problem that will not be listed is never computed.
 */
export class ProblemList {
  readonly #items: Problem[] = [];
  readonly #omitted: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  readonly #max: number;
  #omittedSource: Problem['source'] | undefined;

  constructor(max = MAX_PROBLEMS) {
    this.#max = max;
  }

  get full(): boolean {
    return this.#items.length >= this.#max;
  }

  add(severity: Severity, source: Problem['source'], make: () => Problem): void {
    if (this.full) this.omit(severity, source);
    else this.#items.push(make());
  }

  omit(severity: Severity, source: Problem['source'], n = 1): void {
    this.#omitted[severity] += n;
    this.#omittedSource ??= source;
  }

  /** Adds problems already built (a summary line among them adds the problems it counts). */
  addAll(problems: readonly Problem[]): void {
    for (const p of problems) {
      if (p.omitted) {
        for (const s of Object.keys(SEVERITY_RANK) as Severity[]) this.omit(s, p.source, p.omitted[s]);
      } else {
        this.add(p.severity, p.source, () => p);
      }
    }
  }

  /** The problems listed, then one summary line when some were left out. */
  list(): Problem[] {
    const { error, warning, info } = this.#omitted;
    const n = error + warning + info;
    if (n === 0) return [...this.#items];
    const severity: Severity = error > 0 ? 'error' : warning > 0 ? 'warning' : 'info';
    return [...this.#items, {
      path: [], severity, source: this.#omittedSource ?? 'json', range: { start: 0, end: 1 }, omitted: { ...this.#omitted },
      message: `… and ${count(n)} more problem${n === 1 ? '' : 's'} (only the first ${count(this.#max)} are listed).`,
    }];
  }
}

/** At most MAX_PROBLEMS problems plus one summary line, whatever `problems` holds. */
export function capProblems(problems: readonly Problem[], max = MAX_PROBLEMS): Problem[] {
  const list = new ProblemList(max);
  list.addAll(problems);
  return list.list();
}

/** How many problems of each severity a list stands for (a summary line counts what it left out). */
export function problemCounts(problems: readonly Problem[]): Record<Severity, number> & { total: number } {
  const out = { error: 0, warning: 0, info: 0, total: 0 };
  for (const p of problems) {
    if (p.omitted) {
      for (const s of Object.keys(SEVERITY_RANK) as Severity[]) out[s] += p.omitted[s];
    } else {
      out[p.severity]++;
    }
  }
  out.total = out.error + out.warning + out.info;
  return out;
}

export function formatSource(data: Record<string, unknown>): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected a colon after the property name',
  CommaExpected: 'Expected a comma',
  CloseBraceExpected: 'Expected a closing brace }',
  CloseBracketExpected: 'Expected a closing bracket ]',
  EndOfFileExpected: 'Unexpected text after the end of the object',
  InvalidCommentToken: 'Comments are not allowed in JSON',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in a string (use \\n for new lines)',
};

export type ParsedDocument =
  | { readonly ok: true; readonly value: Record<string, unknown>; readonly root: Node }
  | { readonly ok: false; readonly problems: Problem[] };

export function parseDocument(text: string): ParsedDocument {
  // The parser and the value builder recurse once per level: measure first, flat.
  const nesting = nestingDepth(text);
  if (nesting.depth > MAX_DEPTH) {
    return { ok: false, problems: [{ path: [], severity: 'error', source: 'json', message: `${tooDeep(nesting.depth)}.`, range: { start: nesting.offset, end: nesting.offset + 1 } }] };
  }
  // Valid JSON (the usual case) is read by JSON.parse: several times faster than the tree, flat
  // strings (the tree's are ropes, slow to read char by char), "__proto__" kept as data. The tree,
  // needed only to place problems, is built on first use. jsonc-parser accepts everything
  // JSON.parse does, so the tree of such a text has no errors.
  let json: unknown;
  let parsedByJson = false;
  try {
    json = JSON.parse(text);
    parsedByJson = true;
  } catch {
    // jsonc-parser says where and why, below
  }
  if (parsedByJson) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return notAnObject(text);
    return lazyTree(text, json as Record<string, unknown>);
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, TREE_OPTIONS);
  if (errors.length > 0) {
    const lines = new LineIndex(text);
    const problems = new ProblemList();
    for (const e of errors) {
      problems.add('error', 'json', () => {
        const code = printParseErrorCode(e.error);
        const { line, column } = lines.lineColumn(e.offset);
        return {
          path: [], severity: 'error', source: 'json', syntax: true,
          message: `Not valid JSON: ${PARSE_MESSAGES[code] ?? code} (line ${line}, column ${column}).`,
          // An error at the very end (an unclosed brace) marks the last character, inside the text.
          range: errorRange(text, e.offset, e.length),
        };
      });
    }
    return { ok: false, problems: problems.list() };
  }
  if (!root || root.type !== 'object') return notAnObject(text);
  // What jsonc-parser accepts and JSON.parse does not (other whitespace): the value from the tree.
  return { ok: true, value: nodeValue(root) as Record<string, unknown>, root };
}

const TREE_OPTIONS = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: true } as const;

function notAnObject(text: string): ParsedDocument {
  return { ok: false, problems: [{ path: [], severity: 'error', source: 'json', message: 'A source is one JSON object: { "name": …, … }.', range: { start: 0, end: Math.max(1, text.length) } }] };
}

function lazyTree(text: string, value: Record<string, unknown>): ParsedDocument {
  let tree: Node | undefined;
  return {
    ok: true,
    value,
    get root(): Node {
      tree ??= parseTree(text, [], TREE_OPTIONS) ?? { type: 'object', offset: 0, length: text.length, children: [] };
      return tree;
    },
  };
}

function errorRange(text: string, offset: number, length: number): TextRange {
  const end = Math.min(offset + Math.max(1, length), text.length);
  const start = Math.min(offset, Math.max(0, end - 1));
  return text.length === 0 ? { start: 0, end: 1 } : { start, end: Math.max(end, start + 1) };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        // defineProperty keeps a "__proto__" key as data instead of changing the prototype.
        if (key && value) Object.defineProperty(out, String(key.value), { value: nodeValue(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array': return (node.children ?? []).map(nodeValue);
    default: return node.value as unknown;
  }
}

/** "The document is nested 3,001 levels deep; at most 200 are supported" (no final stop). */
export function tooDeep(depth: number): string {
  return `The document is nested ${count(depth)} levels deep; at most ${count(MAX_DEPTH)} are supported`;
}

/**
 * The deepest nesting of `{`/`[` in a JSON text (strings and comments skipped), and the offset of
 * the bracket that first went past MAX_DEPTH (-1 when none did). One flat pass: it is what tells
 * whether the recursive parsers may see the text at all.
 */
export function nestingDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let offset = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // A string ends at its closing quote, or (unterminated) at the end of the line, as in the parser.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22 || s === 0x0a || s === 0x0d) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (depth === MAX_DEPTH + 1) offset = i;
      }
    } else if ((c === 0x7d /* } */ || c === 0x5d /* ] */) && depth > 0) {
      depth--;
    }
  }
  return { depth: max, offset };
}

/** Line starts of a text, computed once; positions by binary search. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.#starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  /** 0-based line and character (VS Code's Position). */
  position(offset: number): { line: number; character: number } {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (starts[lo] ?? 0) };
  }

  /** 1-based line and column (messages). */
  lineColumn(offset: number): { line: number; column: number } {
    const { line, character } = this.position(offset);
    return { line: line + 1, column: character + 1 };
  }
}

/** 1-based line and column of one offset (for many offsets of one text, build a LineIndex once). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  return new LineIndex(text.slice(0, Math.max(0, offset))).lineColumn(offset);
}

/**
 * Where a path sits in the text. A missing node falls back to its nearest existing ancestor: a
 * missing required field marks the property that should hold it (or the object's opening brace).
 * `key: true` marks a property's name instead of its value (for "unknown field").
 */
export function rangeOfPath(root: Node, path: JsonPath, options: { key?: boolean } = {}): TextRange {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, [...path.slice(0, n)]);
    if (!node) continue;
    if (n === path.length && options.key && node.parent?.type === 'property') {
      const keyNode = node.parent.children?.[0];
      if (keyNode) return { start: keyNode.offset, end: keyNode.offset + keyNode.length };
    }
    if (n < path.length && (node.type === 'object' || node.type === 'array')) return { start: node.offset, end: node.offset + 1 };
    return { start: node.offset, end: node.offset + node.length };
  }
  return { start: 0, end: 1 };
}

/**
 * Maps positions inside a JSON string's value to offsets in the document (escapes such as \n or
 * \" take more characters in the text than in the value). The escapes are found once, in one pass;
 * each lookup is a binary search over them.
 */
export class StringOffsets {
  /** Document offset of the first character after the opening quote. */
  readonly #start: number;
  readonly #rawLength: number;
  /** Value index of each escape, ascending. */
  readonly #escapes: number[] = [];
  /** Characters the text has in excess of the value, up to and including each escape. */
  readonly #extra: number[] = [];
  readonly length: number;

  constructor(text: string, node: Node) {
    this.#start = node.offset + 1;
    const end = node.offset + node.length - 1;
    this.#rawLength = Math.max(0, end - this.#start);
    let decoded = 0;
    let extra = 0;
    for (let i = this.#start; i < end;) {
      if (text.charCodeAt(i) === 0x5c /* \ */) {
        const width = text.charCodeAt(i + 1) === 0x75 /* u */ ? 6 : 2;
        extra += width - 1;
        this.#escapes.push(decoded);
        this.#extra.push(extra);
        i += width;
      } else {
        i++;
      }
      decoded++;
    }
    this.length = decoded;
  }

  /** The document offset of the value's character `index` (its end for index ≥ length). */
  offset(index: number): number {
    const d = Math.max(0, Math.min(index, this.length));
    const escapes = this.#escapes;
    let lo = 0;
    let hi = escapes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((escapes[mid] ?? 0) < d) lo = mid + 1;
      else hi = mid;
    }
    const extra = lo > 0 ? (this.#extra[lo - 1] ?? 0) : 0;
    return this.#start + Math.min(d + extra, this.#rawLength);
  }

  /** The document range of the value's characters `from..to` (at least one character). */
  range(from: number, to: number): TextRange {
    const start = this.offset(from);
    return { start, end: Math.max(start + 1, this.offset(to)) };
  }

  static at(text: string, root: Node, path: JsonPath): StringOffsets | undefined {
    const node = findNodeAtLocation(root, [...path]);
    return node?.type === 'string' ? new StringOffsets(text, node) : undefined;
  }
}

/**
 * The document offsets of characters `from..to` of the string value at `path`. For several ranges
 * of one string, build its StringOffsets once.
 */
export function stringValueRange(text: string, root: Node, path: JsonPath, from: number, to: number): TextRange | undefined {
  return StringOffsets.at(text, root, path)?.range(from, to);
}

/**
 * `idTypeMapping[1].column` (Statsig's `errors[].property`) → ['idTypeMapping', 1, 'column'].
 * An index that is not a safe integer (`[99999999999999999999]`) ends the path there: the problem
 * is shown on what the path names up to that point.
 */
/** The index of the quote that closes the JSON string opening at `open`, or -1. */
function quotedEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** The Console API's `errors[].property` (and formatPath's output) as a path: `a.b[0]["odd key"]`. */
export function parsePropertyPath(property: string): (string | number)[] {
  const out: (string | number)[] = [];
  const n = property.length;
  let i = 0;
  while (i < n) {
    const c = property[i];
    if (c === '.' || c === ']') {
      i++;
      continue;
    }
    if (c === '[' && property[i + 1] === '"') {
      // A quoted key (formatPath writes keys that are not identifiers so): a JSON string.
      const end = quotedEnd(property, i + 1);
      if (end > 0 && property[end + 1] === ']') {
        try {
          out.push(JSON.parse(property.slice(i + 1, end + 1)) as string);
          i = end + 2;
          continue;
        } catch {
          // not a JSON string after all: read on as plain text
        }
      }
    }
    if (c === '[') {
      const close = property.indexOf(']', i + 1);
      const inner = close < 0 ? '' : property.slice(i + 1, close);
      if (isDigits(inner)) {
        const index = Number(inner);
        if (!Number.isSafeInteger(index)) return out;
        out.push(index);
        i = close + 1;
        continue;
      }
      i++;
      continue;
    }
    let j = i;
    while (j < n && property[j] !== '.' && property[j] !== '[' && property[j] !== ']') j++;
    const segment = property.slice(i, j);
    if (isDigits(segment)) {
      const index = Number(segment);
      if (!Number.isSafeInteger(index)) return out;
      out.push(index);
    } else {
      out.push(segment);
    }
    i = j;
  }
  return out;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

// ------------------------------------------------------------------ edits

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } } as const;

export type EditPlan =
  | { readonly ok: true; readonly edits: Edit[] }
  | { readonly ok: false; readonly reason: 'invalid-document' | 'invalid-edit'; readonly message: string };

/**
 * The minimal text edits that set the value at `path` (or remove it when `value` is undefined),
 * formatted like the rest of the document: what the custom editor applies for each edit the form
 * sends. Never throws: an edit that cannot apply to this text says why instead (the document does
 * not parse; the path goes through a value that is not an object or array, or past the end of an
 * array; the value is not plain JSON or would nest the document deeper than MAX_DEPTH).
 */
export function planEdit(text: string, path: readonly (string | number)[], value: unknown): EditPlan {
  const parsed = parseDocument(text);
  if (!parsed.ok) {
    return { ok: false, reason: 'invalid-document', message: 'The JSON of this source is not valid; fix it in the text editor first (Open as JSON).' };
  }
  const refuse = (why: string): EditPlan => ({ ok: false, reason: 'invalid-edit', message: `An edit of ${formatPath(path) || 'the source'} was not applied: ${why}.` });
  if (path.length === 0) return refuse('it names no field');
  if (path.length > MAX_DEPTH) return refuse(`its path is deeper than ${MAX_DEPTH} levels`);
  if (value !== undefined && !isJsonValue(value, MAX_DEPTH - path.length)) {
    return refuse(`its value is not plain JSON nested at most ${MAX_DEPTH} levels deep`);
  }
  // Walk the existing part of the path: every step must fit the node it enters.
  let node: Node | undefined = parsed.root;
  let i = 0;
  for (; i < path.length && node; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (node.type === 'object') {
      if (typeof segment !== 'string') return refuse(`${formatPath(path.slice(0, i)) || 'the source'} is an object, not a list`);
      // The form shows the last of duplicate keys (as JSON.parse does); the text edit would change the first.
      if ((node.children ?? []).filter((p) => p.children?.[0]?.value === segment).length > 1) {
        return refuse(`"${segment}" appears more than once in the text; fix that in the text editor first (Open as JSON)`);
      }
      node = findNodeAtLocation(node, [segment]);
    } else if (node.type === 'array') {
      const items = node.children ?? [];
      if (typeof segment !== 'number' || !Number.isSafeInteger(segment) || segment < 0) return refuse(`${formatPath(path.slice(0, i))} is a list`);
      if (segment > items.length || (segment === items.length && (value === undefined || !last))) {
        if (value === undefined) return { ok: true, edits: [] }; // nothing there to remove
        return refuse(`${formatPath(path.slice(0, i))} has ${items.length} items`);
      }
      node = items[segment];
    } else {
      return refuse(`${formatPath(path.slice(0, i))} holds a ${node.type}, not fields`);
    }
  }
  if (node === undefined) {
    if (value === undefined) return { ok: true, edits: [] };
    // Missing parents are created as `{…}` or `[…]` holding one item: an index there can only be 0.
    if (path.slice(i).some((segment) => segment !== 0 && typeof segment === 'number')) return refuse(`${formatPath(path.slice(0, i - 1))} has no such item`);
  }
  try {
    return { ok: true, edits: modify(text, [...path], value, FORMAT) };
  } catch (error) {
    return refuse(errorMessage(error));
  }
}
