// Open as JSON: where in a source's JSON text a mapped column is being typed or pointed at, what
// the query's output columns are, and what a hover over one says. Pure (jsonc-parser and the SQL
// analysis), so the providers in src/features/documents/columnCompletion.ts stay thin and this is
// unit-tested in plain Node. Which fields are columns is the kind descriptor's `mappedColumns`
// (no second list here), and the text is read tolerantly: a document half-typed still has its SQL.
import { findNodeAtLocation, getLocation, parseTree, type Node } from 'jsonc-parser';
import { descriptor, type KindDescriptor, type KindId } from './kinds.ts';
import { analyzeSql, matchColumn, type OutputColumn, type SqlAnalysis, type SqlDialect } from './sql/index.ts';

type Path = readonly (string | number)[];

export interface ColumnSlot {
  /** Where the column sits in the JSON (`['idTypeMapping', 0, 'column']`). */
  readonly path: Path;
  /** Offsets of the string being typed (quotes included), to replace; undefined when no value is there yet. */
  readonly replace: { readonly start: number; readonly end: number } | undefined;
  /** The column the value names now (undefined when no string is there). */
  readonly value: string | undefined;
}

/** A source with `path` set to a column name: whether the descriptor names that path a mapped column. */
function isColumnPath(d: KindDescriptor, path: Path): boolean {
  if (path.length === 0 || typeof path[0] !== 'string') return false;
  const leaf = 'c';
  const build = (rest: Path): unknown => {
    const [head, ...tail] = rest;
    if (head === undefined) return leaf;
    if (typeof head === 'number') {
      if (!Number.isSafeInteger(head) || head < 0 || head > 10_000) return undefined;
      // Dense, so forEach reaches the index.
      return Array.from({ length: head + 1 }, (_, i) => (i === head ? build(tail) : {}));
    }
    return { [head]: build(tail) };
  };
  const source = build(path);
  if (!source || typeof source !== 'object' || Array.isArray(source)) return false;
  const wanted = JSON.stringify(path);
  try {
    return d.mappedColumns(source as Record<string, unknown>).some((c) => JSON.stringify(c.path) === wanted);
  } catch {
    return false;
  }
}

/** The mapped column at `offset` of a `kind` source's JSON `text`, or undefined when the offset is not in one's value. */
export function columnSlotAt(kind: KindId, text: string, offset: number): ColumnSlot | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) return undefined;
  const location = getLocation(text, offset);
  if (location.isAtPropertyKey) return undefined;
  const path = location.path;
  if (!isColumnPath(descriptor(kind), path)) return undefined;
  const node = location.previousNode;
  if (node && node.type === 'string') {
    return { path, replace: { start: node.offset, end: node.offset + node.length }, value: typeof node.value === 'string' ? node.value : undefined };
  }
  return { path, replace: undefined, value: undefined };
}

/** The source's SQL, read tolerantly; undefined when it has none to analyse (a metric source reading a table). */
export function sourceSqlOf(kind: KindId, text: string): string | undefined {
  let root: Node | undefined;
  try {
    root = parseTree(text, undefined, { allowTrailingComma: true, disallowComments: false });
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  if (findNodeAtLocation(root, ['sourceType'])?.value === 'table') return undefined;
  const sql = findNodeAtLocation(root, [descriptor(kind).sqlField]);
  return sql?.type === 'string' && typeof sql.value === 'string' ? sql.value : undefined;
}

/** One analysis remembered: completion and hover ask again on each keystroke over the same SQL. */
let last: { readonly sql: string; readonly dialect: SqlDialect; readonly analysis: SqlAnalysis } | undefined;

function analysisOf(sql: string, dialect: SqlDialect): SqlAnalysis {
  if (last?.sql !== sql || last.dialect !== dialect) last = { sql, dialect, analysis: analyzeSql(sql, dialect) };
  return last.analysis;
}

export interface ColumnChoice {
  readonly name: string;
  /** The column's expression in the SQL (its text). */
  readonly expression: string;
}

/** The query's output columns that have a name, each once, in order (empty when the SQL does not parse). */
export function outputColumnChoices(kind: KindId, text: string, dialect: SqlDialect): ColumnChoice[] {
  const sql = sourceSqlOf(kind, text);
  if (sql === undefined) return [];
  const output = analysisOf(sql, dialect).output;
  const seen = new Set<string>();
  const out: ColumnChoice[] = [];
  for (const c of output?.columns ?? []) {
    if (c.name === undefined || c.name === '' || seen.has(c.name)) continue;
    seen.add(c.name);
    out.push({ name: c.name, expression: c.expression });
  }
  return out;
}

export interface ColumnHover {
  /** The slot's value: where the hover applies. */
  readonly range: { readonly start: number; readonly end: number };
  /** The column the value names, as the query spells it. */
  readonly column: string;
  readonly expression: string;
}

/** What hovering a mapped column's value shows: that column's expression in the SQL; undefined when the query does not (visibly) return it. */
export function columnHoverAt(kind: KindId, text: string, offset: number, dialect: SqlDialect): ColumnHover | undefined {
  const slot = columnSlotAt(kind, text, offset);
  if (!slot?.replace || slot.value === undefined || slot.value === '') return undefined;
  const sql = sourceSqlOf(kind, text);
  if (sql === undefined) return undefined;
  const output = analysisOf(sql, dialect).output;
  if (!output) return undefined;
  const m = matchColumn(output, slot.value, dialect);
  if (m.kind !== 'found' && m.kind !== 'case') return undefined;
  const column: OutputColumn = m.column;
  return { range: slot.replace, column: column.name ?? slot.value, expression: column.expression };
}

/**
 * A fenced Markdown code block holding `code` verbatim: the fence is longer than any run of
 * backticks inside, so nothing in the SQL can close it (and inside it nothing is a link or HTML).
 */
export function codeBlock(code: string, language: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code.replace(/\r\n?/g, '\n')}\n${fence}\n`;
}

/** `text` as Markdown that reads as exactly that text: every ASCII punctuation escaped, so nothing becomes a link, HTML or formatting. */
export function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** The hover's Markdown: which column, then its expression as a SQL code block. */
export function columnHoverMarkdown(hover: Pick<ColumnHover, 'column' | 'expression'>): string {
  return `Column ${markdownText(hover.column)} of this query:\n\n${codeBlock(hover.expression, 'sql')}`;
}
