// The output columns of a query and the tables it reads, from sqlparser-rs' AST (a JSON value:
// externally tagged enums, `{ "Select": {…} }`). Columns are resolved through CTEs, derived
// tables and aliases; a `*` over a CTE or subquery whose columns are known expands; a `*` over a
// table (whose columns only the warehouse knows) leaves the projection incomplete, and says so.
// How a column without an alias is named is each warehouse's rule (dialects.ts, docs/sql.md).
import type { DialectInfo } from './dialects.ts';
import type { Token } from './lexer.ts';
import { tokenAt } from './lexer.ts';
import type { OffsetMap } from './macros.ts';
import type { CodePointLines } from './positions.ts';

export interface OutputColumn {
  /**
   * The column's name as the query spells it (an alias, a column reference's last part, or the
   * name the warehouse gives an unnamed expression where that rule is known: `f0_`, `_col1`,
   * `count`). Undefined when the warehouse names it after the expression's text (Snowflake,
   * Databricks, DuckDB): `expression` holds that text.
   */
  readonly name: string | undefined;
  /** The name was a quoted identifier (case-sensitive in Snowflake and Postgres). */
  readonly quoted: boolean;
  /** The name is the warehouse's, not the query's (`f0_`, `_col1`, `count`). */
  readonly generated?: true;
  /** The expression's text in the user's SQL. */
  readonly expression: string;
  /** Where it is in the user's SQL: the alias, the column, or the `*` it came from. */
  readonly from: number;
  readonly to: number;
  /** For an unnamed cast of a column (`CAST(ts AS DATE)`), that column's name. */
  readonly castOf?: string;
}

/** Why some of the output cannot be known locally, and where. */
export interface UnknownPart {
  readonly reason: string;
  readonly from: number;
  readonly to: number;
}

export interface Projection {
  /** What is known, in order (a `*` over a table adds nothing here). */
  readonly columns: readonly OutputColumn[];
  /** Empty when every column of the output is known. */
  readonly unknown: readonly UnknownPart[];
}

export interface Context {
  /** The user's SQL. */
  readonly text: string;
  readonly tokens: readonly Token[];
  /** The parsed text's lines (AST positions are in it) and the map back to the user's text. */
  readonly lines: CodePointLines;
  readonly map: OffsetMap;
  readonly dialect: DialectInfo;
}

type Node = Readonly<Record<string, unknown>>;

function obj(v: unknown): Node | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** An externally tagged enum value: `{ "Tag": payload }` → ['Tag', payload]; `"Tag"` → ['Tag', undefined]. */
function variant(v: unknown): [string, unknown] | undefined {
  if (typeof v === 'string') return [v, undefined];
  const o = obj(v);
  if (!o) return undefined;
  const keys = Object.keys(o);
  return keys.length === 1 ? [keys[0] as string, o[keys[0] as string]] : undefined;
}

interface Ident {
  readonly value: string;
  readonly quoted: boolean;
  readonly span: { from: number; to: number } | undefined;
}

function ident(ctx: Context, v: unknown): Ident | undefined {
  const o = obj(v);
  if (!o || typeof o['value'] !== 'string') return undefined;
  return { value: o['value'], quoted: typeof o['quote_style'] === 'string', span: spanOf(ctx, o['span']) };
}

/** A sqlparser-rs span (1-based line and column of the parsed text) → offsets in the user's text. */
export function spanOf(ctx: Context, v: unknown): { from: number; to: number } | undefined {
  const s = obj(v);
  const start = obj(s?.['start']);
  const end = obj(s?.['end']);
  const sl = start?.['line'];
  const sc = start?.['column'];
  const el = end?.['line'];
  const ec = end?.['column'];
  if (typeof sl !== 'number' || typeof sc !== 'number' || typeof el !== 'number' || typeof ec !== 'number' || sl === 0) return undefined;
  const from = ctx.map.toSource(ctx.lines.offset(sl, sc), 'start');
  const to = ctx.map.toSource(ctx.lines.offset(el, ec), 'end');
  return { from, to: Math.max(to, from) };
}

/** `name` parts of an ObjectName: [{Identifier: ident}, …]. */
function objectName(ctx: Context, v: unknown): Ident[] {
  const out: Ident[] = [];
  for (const part of arr(v)) {
    const tagged = variant(part);
    const id = tagged?.[0] === 'Identifier' ? ident(ctx, tagged[1]) : ident(ctx, part);
    if (id) out.push(id);
  }
  return out;
}

function sameName(ctx: Context, a: Ident | { value: string; quoted: boolean }, b: string): boolean {
  return a.quoted && ctx.dialect.quotedCaseSensitive ? a.value === b : a.value.toLowerCase() === b.toLowerCase();
}

// ------------------------------------------------------------------ scopes

interface Relation {
  /** The names a qualified reference can use: its alias, else the table's (last part of its) name. */
  readonly names: readonly string[];
  readonly projection: Projection;
}

interface Scope {
  /** CTEs visible here, by lower-case name (innermost wins). */
  readonly ctes: ReadonlyMap<string, Projection>;
}

const EMPTY_SCOPE: Scope = { ctes: new Map() };

const unknownOnly = (reason: string, from = 0, to = 0): Projection => ({ columns: [], unknown: [{ reason, from, to }] });

export function queryProjection(ctx: Context, query: unknown): Projection {
  return projectionOfQuery(ctx, query, EMPTY_SCOPE, 0);
}

/** Deeper than this (nested subqueries and CTEs), the output is left unknown. */
const MAX_NESTING = 64;

function projectionOfQuery(ctx: Context, query: unknown, scope: Scope, depth: number): Projection {
  const q = obj(query);
  if (!q || depth > MAX_NESTING) return unknownOnly('the query is nested too deeply to resolve its columns');
  const inner = withCtes(ctx, q, scope, depth);
  if (arr(q['pipe_operators']).length > 0) return unknownOnly('the query uses pipe syntax (|>), whose output is not resolved locally');
  return projectionOfSetExpr(ctx, q['body'], inner, depth + 1);
}

function withCtes(ctx: Context, q: Node, scope: Scope, depth: number): Scope {
  const w = obj(q['with']);
  if (!w) return scope;
  const ctes = new Map(scope.ctes);
  for (const cte of arr(w['cte_tables'])) {
    const c = obj(cte);
    const alias = obj(c?.['alias']);
    const name = ident(ctx, alias?.['name']);
    if (!c || !name) continue;
    // A recursive CTE may read itself: while its own columns are worked out, it is a source of unknown columns.
    const self = new Map(ctes);
    self.set(name.value.toLowerCase(), unknownOnly(`the recursive CTE ${name.value} reads itself`));
    let projection = projectionOfQuery(ctx, c['query'], { ctes: self }, depth + 1);
    projection = renamed(ctx, projection, arr(alias?.['columns']));
    ctes.set(name.value.toLowerCase(), projection);
  }
  return { ctes };
}

/** Column aliases (`AS t(a, b)`, `WITH c(a, b) AS …`) rename the columns in order. */
function renamed(ctx: Context, projection: Projection, columns: readonly unknown[]): Projection {
  if (columns.length === 0) return projection;
  const names = columns.map((c) => ident(ctx, obj(c)?.['name'] ?? c)).filter((i): i is Ident => i !== undefined);
  const out: OutputColumn[] = names.map((n, i) => {
    const was = projection.columns[i];
    return { name: n.value, quoted: n.quoted, expression: was?.expression ?? n.value, from: n.span?.from ?? was?.from ?? 0, to: n.span?.to ?? was?.to ?? 0 };
  });
  // The names are known whatever the columns were; only columns beyond the list stay unknown.
  return { columns: [...out, ...projection.columns.slice(out.length)], unknown: names.length >= projection.columns.length ? [] : projection.unknown };
}

function projectionOfSetExpr(ctx: Context, body: unknown, scope: Scope, depth: number): Projection {
  const v = variant(body);
  if (!v || depth > MAX_NESTING) return unknownOnly('the query is nested too deeply to resolve its columns');
  const [tag, payload] = v;
  switch (tag) {
    case 'Select': return projectionOfSelect(ctx, obj(payload) ?? {}, scope, depth);
    case 'Query': return projectionOfQuery(ctx, payload, scope, depth);
    case 'SetOperation': {
      const p = obj(payload) ?? {};
      const left = projectionOfSetExpr(ctx, p['left'], scope, depth + 1);
      const quantifier = typeof p['set_quantifier'] === 'string' ? p['set_quantifier'] : '';
      if (!quantifier.endsWith('ByName')) return left; // names come from the first branch
      const right = projectionOfSetExpr(ctx, p['right'], scope, depth + 1);
      const seen = new Set(left.columns.map((c) => c.name?.toLowerCase()));
      return { columns: [...left.columns, ...right.columns.filter((c) => !seen.has(c.name?.toLowerCase()))], unknown: [...left.unknown, ...right.unknown] };
    }
    case 'Values': return unknownOnly('the query ends in VALUES, whose column names are the warehouse\'s');
    default: return unknownOnly(`the query ends in ${tag}, whose output is not resolved locally`);
  }
}

// ------------------------------------------------------------------ SELECT

/** Keywords that end a select list at its own nesting level. */
const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'INTO', 'LATERAL', 'OFFSET', 'FETCH']);

/** The user-text extent of each select item, from the tokens after SELECT; undefined when they cannot be told apart. */
function itemExtents(ctx: Context, select: Node, count: number): { from: number; to: number }[] | undefined {
  const token = obj(select['select_token']);
  const at = spanOf(ctx, token?.['span']);
  if (!at) return undefined;
  const { tokens, text } = ctx;
  let i = tokenAt(tokens, at.from);
  if (tokens[i]?.upper !== 'SELECT') return undefined;
  i++;
  // DISTINCT, DISTINCT ON (…), ALL, TOP n, AS STRUCT / AS VALUE (BigQuery).
  const skipParens = () => {
    if (text.slice(tokens[i]?.from ?? 0, tokens[i]?.to ?? 0) !== '(') return;
    let depth = 0;
    for (; i < tokens.length; i++) {
      const s = text.slice(tokens[i]?.from ?? 0, tokens[i]?.to ?? 0);
      if (s === '(') depth++;
      else if (s === ')' && --depth === 0) {
        i++;
        return;
      }
    }
  };
  for (;;) {
    const up = tokens[i]?.upper;
    if (up === 'DISTINCT' || up === 'ALL') i++;
    else if (up === 'ON' && tokens[i - 1]?.upper === 'DISTINCT') {
      i++;
      skipParens();
    } else if (up === 'TOP') {
      i += 2;
    } else if (up === 'AS' && (tokens[i + 1]?.upper === 'STRUCT' || tokens[i + 1]?.upper === 'VALUE')) i += 2;
    else break;
  }
  const extents: { from: number; to: number }[] = [];
  let start = i;
  let depth = 0;
  for (; i <= tokens.length; i++) {
    const t = tokens[i];
    const s = t ? text.slice(t.from, t.to) : '';
    if (t && (s === '(' || s === '[' || (t.upper === 'CASE'))) {
      depth++;
      continue;
    }
    if (t && (s === ']' || t.upper === 'END') && depth > 0) {
      depth--;
      continue;
    }
    if (t && s === ')' && depth > 0) {
      depth--;
      continue;
    }
    const ends = !t || (depth === 0 && (s === ',' || s === ')' || s === ';' || (t.kind === 'word' && LIST_END.has(t.upper ?? '') && i > start)));
    if (!ends) continue;
    if (i > start) extents.push({ from: tokens[start]?.from ?? 0, to: tokens[i - 1]?.to ?? 0 });
    if (!t || s !== ',') break;
    start = i + 1;
  }
  return extents.length === count ? extents : undefined;
}

function projectionOfSelect(ctx: Context, select: Node, scope: Scope, depth: number): Projection {
  const relations = relationsOf(ctx, select, scope, depth);
  const items = arr(select['projection']);
  const extents = itemExtents(ctx, select, items.length);
  const columns: OutputColumn[] = [];
  const unknown: UnknownPart[] = [];
  let anonymous = 0;
  if (items.length === 0 && select['flavor'] === 'FromFirstNoSelect') {
    return expandStar(ctx, relations, undefined, undefined, { from: 0, to: 0 });
  }
  items.forEach((item, position) => {
    const v = variant(item);
    if (!v) return;
    const [tag, payload] = v;
    const extent = extents?.[position] ?? extentOfNode(ctx, payload);
    const expression = ctx.text.slice(extent.from, extent.to);
    if (tag === 'ExprWithAlias') {
      const p = obj(payload) ?? {};
      const alias = ident(ctx, p['alias']);
      if (!alias) return;
      const exprEnd = alias.span ? expressionBefore(ctx, extent.from, alias.span.from) : expression;
      columns.push({ name: alias.value, quoted: alias.quoted, expression: exprEnd, from: alias.span?.from ?? extent.from, to: alias.span?.to ?? extent.to });
      return;
    }
    if (tag === 'UnnamedExpr') {
      const named = nameOf(ctx, payload);
      if (named.name !== undefined) {
        columns.push({ name: named.name, quoted: named.quoted, expression, ...extent, ...(named.generated ? { generated: true } : {}) });
        return;
      }
      const rule = ctx.dialect.unnamedColumns;
      if (rule === 'bigquery') columns.push({ name: `f${anonymous++}_`, quoted: false, generated: true, expression, ...extent });
      else if (rule === 'trino') columns.push({ name: `_col${position}`, quoted: false, generated: true, expression, ...extent });
      else columns.push({ name: undefined, quoted: false, expression, ...extent, ...(named.castOf ? { castOf: named.castOf } : {}) });
      return;
    }
    if (tag === 'Wildcard') {
      const p = expandStar(ctx, relations, undefined, obj(payload), extent);
      columns.push(...p.columns);
      unknown.push(...p.unknown);
      return;
    }
    if (tag === 'QualifiedWildcard') {
      const [kind, options] = arr(payload);
      const k = variant(kind);
      const parts = k?.[0] === 'ObjectName' ? objectName(ctx, k[1]) : [];
      const p = parts.length > 0
        ? expandStar(ctx, relations, parts, obj(options), extent)
        : { columns: [], unknown: [{ reason: `${expression} expands an expression, whose fields are not resolved locally`, ...extent }] };
      columns.push(...p.columns);
      unknown.push(...p.unknown);
      return;
    }
    unknown.push({ reason: `a select item (${tag}) is not resolved locally`, ...extent });
  });
  return { columns, unknown };
}

/** The text of an aliased item before its alias (`a + 1 AS b` → `a + 1`). */
function expressionBefore(ctx: Context, from: number, aliasFrom: number): string {
  const i = tokenAt(ctx.tokens, aliasFrom);
  let end = i - 1;
  if (ctx.tokens[end]?.upper === 'AS') end--;
  const last = ctx.tokens[end];
  return last && last.to > from ? ctx.text.slice(from, last.to) : ctx.text.slice(from, aliasFrom).trim();
}

/** The smallest and largest position of any span inside a node (an item whose tokens could not be split). */
function extentOfNode(ctx: Context, node: unknown): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  const visit = (v: unknown, depth: number) => {
    if (depth > 200) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = obj(v);
    if (!o) return;
    const s = spanOf(ctx, o['span']);
    if (s) {
      from = Math.min(from, s.from);
      to = Math.max(to, s.to);
    }
    for (const k in o) if (k !== 'span') visit(o[k], depth + 1);
  };
  visit(node, 0);
  return Number.isFinite(from) ? { from, to } : { from: 0, to: 0 };
}

interface Named {
  readonly name: string | undefined;
  readonly quoted: boolean;
  readonly generated?: true;
  readonly castOf?: string;
}

const UNNAMED: Named = { name: undefined, quoted: false };

/** The name of an unaliased expression, where the dialect's rule gives one. */
function nameOf(ctx: Context, expr: unknown): Named {
  const v = variant(expr);
  if (!v) return UNNAMED;
  const [tag, p] = v;
  const postgres = ctx.dialect.unnamedColumns === 'postgres';
  switch (tag) {
    case 'Identifier': {
      const id = ident(ctx, p);
      return id ? { name: id.value, quoted: id.quoted } : UNNAMED;
    }
    case 'CompoundIdentifier': {
      const id = ident(ctx, arr(p).at(-1));
      return id ? { name: id.value, quoted: id.quoted } : UNNAMED;
    }
    case 'CompoundFieldAccess': {
      const chain = arr(obj(p)?.['access_chain']);
      const last = variant(chain.at(-1));
      if (last?.[0] === 'Dot') return nameOf(ctx, last[1]);
      return postgres ? nameOf(ctx, obj(p)?.['root']) : UNNAMED;
    }
    case 'Nested': return postgres ? nameOf(ctx, p) : UNNAMED;
    case 'Cast': {
      const inner = nameOf(ctx, obj(p)?.['expr']);
      if (postgres) return inner.name !== undefined ? inner : UNNAMED;
      return inner.name !== undefined && !inner.generated ? { ...UNNAMED, castOf: inner.name } : UNNAMED;
    }
    case 'Function': {
      if (!postgres) return UNNAMED;
      const id = objectName(ctx, obj(p)?.['name']).at(-1);
      return id ? { name: id.quoted ? id.value : id.value.toLowerCase(), quoted: id.quoted, generated: true } : UNNAMED;
    }
    case 'Case': return postgres ? { name: 'case', quoted: false, generated: true } : UNNAMED;
    default: return postgres && tag !== 'TypedString' ? { name: '?column?', quoted: false, generated: true } : UNNAMED;
  }
}

// ------------------------------------------------------------------ FROM

function relationsOf(ctx: Context, select: Node, scope: Scope, depth: number): Relation[] {
  const out: Relation[] = [];
  for (const twj of arr(select['from'])) {
    const t = obj(twj);
    if (!t) continue;
    out.push(...relationOf(ctx, t['relation'], scope, depth));
    for (const join of arr(t['joins'])) out.push(...relationOf(ctx, obj(join)?.['relation'], scope, depth));
  }
  for (const lv of arr(select['lateral_views'])) {
    const l = obj(lv);
    if (!l) continue;
    const name = objectName(ctx, l['lateral_view_name']).at(-1);
    const cols = arr(l['lateral_col_alias']).map((c) => ident(ctx, c)).filter((i): i is Ident => i !== undefined);
    const projection: Projection = cols.length > 0
      ? { columns: cols.map((c) => ({ name: c.value, quoted: c.quoted, expression: c.value, from: c.span?.from ?? 0, to: c.span?.to ?? 0 })), unknown: [] }
      : unknownOnly('a LATERAL VIEW without column aliases (the warehouse names its columns)');
    out.push({ names: name ? [name.value] : [], projection });
  }
  return out;
}

function aliasOf(ctx: Context, v: unknown): { name: Ident | undefined; columns: readonly unknown[] } {
  const a = obj(v);
  return { name: ident(ctx, a?.['name']), columns: arr(a?.['columns']) };
}

/** Snowflake's FLATTEN returns these columns. */
const FLATTEN_COLUMNS = ['SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS'];

function knownColumns(names: readonly string[], at: Ident | undefined): Projection {
  return { columns: names.map((n) => ({ name: n, quoted: false, expression: n, from: at?.span?.from ?? 0, to: at?.span?.to ?? 0 })), unknown: [] };
}

function functionName(ctx: Context, fn: unknown): string {
  const f = variant(fn);
  const name = f?.[0] === 'Function' ? objectName(ctx, obj(f[1])?.['name']).at(-1) : undefined;
  return name?.value ?? '';
}

function relationOf(ctx: Context, factor: unknown, scope: Scope, depth: number): Relation[] {
  const v = variant(factor);
  if (!v) return [];
  const [tag, payload] = v;
  const p = obj(payload) ?? {};
  const alias = aliasOf(ctx, p['alias']);
  const names = alias.name ? [alias.name.value] : [];
  switch (tag) {
    case 'Table': {
      const parts = objectName(ctx, p['name']);
      if (p['args']) {
        // A table function written as a table (read_parquet('…'), TABLE(…)).
        const fn = parts.map((x) => x.value).join('.');
        if (alias.columns.length > 0) return [{ names, projection: renamed(ctx, { columns: [], unknown: [] }, alias.columns) }];
        return [{ names, projection: unknownOnly(`the table function ${fn}, whose columns are not resolved locally`) }];
      }
      const last = parts.at(-1);
      const own = alias.name ? names : last ? [last.value] : [];
      const cte = parts.length === 1 && last ? scope.ctes.get(last.value.toLowerCase()) : undefined;
      if (cte) return [{ names: own, projection: renamed(ctx, cte, alias.columns) }];
      const label = parts.map((x) => x.value).join('.');
      const projection = alias.columns.length > 0 ? renamed(ctx, { columns: [], unknown: [] }, alias.columns)
        : unknownOnly(`the table ${label}, whose columns only the warehouse knows`);
      return [{ names: own, projection }];
    }
    case 'Derived': {
      const projection = renamed(ctx, projectionOfQuery(ctx, p['subquery'], scope, depth + 1), alias.columns);
      return [{ names, projection }];
    }
    case 'Function':
    case 'TableFunction': {
      const fn = tag === 'Function' ? functionName(ctx, { Function: p }) : functionName(ctx, p['expr']);
      if (alias.columns.length > 0) return [{ names, projection: renamed(ctx, { columns: [], unknown: [] }, alias.columns) }];
      if (fn.toUpperCase() === 'FLATTEN') return [{ names, projection: knownColumns(FLATTEN_COLUMNS, alias.name) }];
      return [{ names, projection: unknownOnly(`the table function ${fn || '(…)'}, whose columns are not resolved locally`) }];
    }
    case 'UNNEST': {
      if (alias.columns.length > 0) return [{ names, projection: renamed(ctx, { columns: [], unknown: [] }, alias.columns) }];
      const offset = ident(ctx, p['with_offset_alias']);
      if (alias.name && ctx.dialect.id !== 'athena') {
        // BigQuery, Postgres, Redshift, DuckDB: the alias names the one column.
        const cols = [alias.name.value, ...(offset ? [offset.value] : [])];
        return [{ names, projection: knownColumns(cols, alias.name) }];
      }
      return [{ names, projection: unknownOnly('an UNNEST without column names') }];
    }
    case 'NestedJoin': {
      const twj = obj(p['table_with_joins']);
      if (!twj) return [];
      const inner = [...relationOf(ctx, twj['relation'], scope, depth + 1), ...arr(twj['joins']).flatMap((j) => relationOf(ctx, obj(j)?.['relation'], scope, depth + 1))];
      if (!alias.name) return inner;
      return [{ names, projection: { columns: inner.flatMap((r) => r.projection.columns), unknown: inner.flatMap((r) => r.projection.unknown) } }];
    }
    default:
      return [{ names, projection: unknownOnly(`a ${tag.toUpperCase()} in FROM, whose columns are not resolved locally`) }];
  }
}

// ------------------------------------------------------------------ *

function likeMatcher(pattern: string): (s: string) => boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const r = new RegExp(`${re}$`, 'is');
  return (s) => r.test(s);
}

/** A `*` (or `t.*` when `qualifier` is given) with its options: EXCLUDE/EXCEPT, RENAME, REPLACE, ILIKE. */
function expandStar(ctx: Context, relations: readonly Relation[], qualifier: readonly Ident[] | undefined, options: Node | undefined, at: { from: number; to: number }): Projection {
  const star = ctx.text.slice(at.from, at.to) || '*';
  let chosen = relations;
  if (qualifier) {
    const last = qualifier.at(-1);
    chosen = last ? relations.filter((r) => r.names.some((n) => sameName(ctx, last, n) || n.toLowerCase() === last.value.toLowerCase())) : [];
    if (chosen.length === 0) return { columns: [], unknown: [{ reason: `${star} names no table or alias of the FROM clause`, ...at }] };
  }
  if (chosen.length === 0) return { columns: [], unknown: [{ reason: `${star} has no FROM clause to expand`, ...at }] };
  let columns: OutputColumn[] = [];
  const unknown: UnknownPart[] = [];
  for (const r of chosen) {
    columns.push(...r.projection.columns.map((c) => ({ ...c, from: at.from, to: at.to })));
    for (const u of r.projection.unknown) {
      unknown.push({ reason: u.reason.startsWith('the table') ? `it selects ${star} from ${u.reason}` : `it selects ${star} over ${u.reason}`, ...at });
    }
  }
  if (!options) return { columns, unknown };
  const excluded = new Set<string>();
  const exclude = variant(options['opt_exclude']);
  if (exclude) {
    const list = exclude[0] === 'Single' ? [exclude[1]] : arr(exclude[1]);
    for (const x of list) {
      const id = ident(ctx, x) ?? objectName(ctx, x).at(-1);
      if (id) excluded.add(id.value.toLowerCase());
    }
  }
  const except = obj(options['opt_except']);
  if (except) {
    for (const x of [except['first_element'], ...arr(except['additional_elements'])]) {
      const id = ident(ctx, x);
      if (id) excluded.add(id.value.toLowerCase());
    }
  }
  if (excluded.size > 0) columns = columns.filter((c) => c.name === undefined || !excluded.has(c.name.toLowerCase()));
  const ilike = obj(options['opt_ilike']);
  if (ilike && typeof ilike['pattern'] === 'string') {
    const match = likeMatcher(ilike['pattern']);
    columns = columns.filter((c) => c.name !== undefined && match(c.name));
  }
  const rename = variant(options['opt_rename']);
  if (rename) {
    const list = rename[0] === 'Single' ? [rename[1]] : arr(rename[1]);
    for (const r of list) {
      const from = ident(ctx, obj(r)?.['ident']);
      const to = ident(ctx, obj(r)?.['alias']);
      if (!from || !to) continue;
      const i = columns.findIndex((c) => c.name !== undefined && c.name.toLowerCase() === from.value.toLowerCase());
      const column: OutputColumn = { name: to.value, quoted: to.quoted, expression: from.value, from: to.span?.from ?? at.from, to: to.span?.to ?? at.to };
      if (i >= 0) columns[i] = column;
      else if (unknown.length > 0) columns.push(column); // the renamed column exists, whatever else the * holds
    }
  }
  return { columns, unknown };
}

// ------------------------------------------------------------------ tables, and reserved words in the AST

const IDENT_KEYS = new Set(['value', 'quote_style', 'span']);

export interface StatementFacts {
  /** Every table the statement reads (CTE names excluded), in order of appearance, each once. */
  readonly tables: string[];
  /**
   * The first unquoted identifier that is a reserved word (`WHERE AND` parsed as a column named
   * AND), in the user's text. The token rules (syntax.ts) catch the usual cases first.
   */
  readonly reserved: { from: number; to: number; word: string } | undefined;
}

/** One walk over the statement's AST. */
export function statementFacts(ctx: Context, statement: unknown, reservedWords: ReadonlySet<string>): StatementFacts {
  const tables: string[] = [];
  const seen = new Set<string>();
  let reserved: StatementFacts['reserved'];
  const visit = (v: unknown, ctes: ReadonlySet<string>, depth: number): void => {
    if (depth > 2000) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, ctes, depth + 1);
      return;
    }
    const o = obj(v);
    if (!o) return;
    // An Ident: {value, quote_style?, span} (quote_style is left out when there is none).
    const value = o['value'];
    if (typeof value === 'string' && 'span' in o && (o['quote_style'] ?? null) === null && reservedWords.has(value.toUpperCase()) && Object.keys(o).every((k) => IDENT_KEYS.has(k))) {
      const s = spanOf(ctx, o['span']);
      if (s && (!reserved || s.from < reserved.from)) reserved = { ...s, word: value.toUpperCase() };
    }
    let scope = ctes;
    if ('body' in o && 'with' in o) {
      const w = obj(o['with']);
      if (w) {
        const names = new Set(ctes);
        for (const cte of arr(w['cte_tables'])) {
          const name = ident(ctx, obj(obj(cte)?.['alias'])?.['name']);
          if (w['recursive'] === true && name) names.add(name.value.toLowerCase());
          visit(obj(cte)?.['query'], names, depth + 1);
          if (name) names.add(name.value.toLowerCase());
        }
        scope = names;
      }
    }
    const relation = variant(o['relation']);
    if (relation?.[0] === 'Table' && !obj(relation[1])?.['args']) {
      const parts = objectName(ctx, obj(relation[1])?.['name']);
      const only = parts.length === 1 ? parts[0] : undefined;
      if (parts.length > 0 && !(only && scope.has(only.value.toLowerCase()))) {
        const name = parts.map((x) => x.value).join('.');
        if (!seen.has(name.toLowerCase())) {
          seen.add(name.toLowerCase());
          tables.push(name);
        }
      }
    }
    for (const k in o) {
      if (k === 'with' || k === 'span') continue;
      visit(o[k], scope, depth + 1);
    }
  };
  visit(statement, new Set(), 0);
  return { tables, reserved };
}
