// A source as the JSON text a user edits: formatting, parsing with exact error positions, the text
// range of any field path, and the mapping from a position inside the SQL string to the document.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type JsonPath = readonly (string | number)[];

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
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: true });
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((e) => {
        const code = printParseErrorCode(e.error);
        const { line, column } = lineColumn(text, e.offset);
        return {
          path: [], severity: 'error', source: 'json',
          message: `Not valid JSON: ${PARSE_MESSAGES[code] ?? code} (line ${line}, column ${column}).`,
          range: { start: e.offset, end: e.offset + Math.max(1, e.length) },
        };
      }),
    };
  }
  if (!root || root.type !== 'object') {
    return { ok: false, problems: [{ path: [], severity: 'error', source: 'json', message: 'A source is one JSON object: { "name": …, … }.', range: { start: 0, end: Math.max(1, text.length) } }] };
  }
  return { ok: true, value: nodeValue(root) as Record<string, unknown>, root };
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

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
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
 * The document offsets of characters `from..to` of the string value at `path` (escapes such as \n
 * or \" take more characters in the text than in the value).
 */
export function stringValueRange(text: string, root: Node, path: JsonPath, from: number, to: number): TextRange | undefined {
  const node = findNodeAtLocation(root, [...path]);
  if (!node || node.type !== 'string') return undefined;
  const raw = text.slice(node.offset + 1, node.offset + node.length - 1);
  const map = (decoded: number): number => {
    let d = 0;
    let i = 0;
    while (i < raw.length && d < decoded) {
      if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 6 : 2;
      else i++;
      d++;
    }
    return node.offset + 1 + Math.min(i, raw.length);
  };
  const start = map(from);
  return { start, end: Math.max(start + 1, map(to)) };
}

/** `idTypeMapping[1].column` (Statsig's `errors[].property`) → ['idTypeMapping', 1, 'column']. */
export function parsePropertyPath(property: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of property.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
  }
  return out;
}
