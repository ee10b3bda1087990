// analyzeSql: one source's SQL in its warehouse's dialect → its problems (syntax errors on the
// exact token, unknown macros, more than one statement), its output columns and the tables it
// reads. Pure and synchronous; never throws. Every offset is 0-based, end-exclusive, in UTF-16
// code units of the text the user wrote (macros included).
import { queryProjection, statementFacts, type Context, type OutputColumn, type Projection } from './columns.ts';
import { DIALECTS, type SqlDialect } from './dialects.ts';
import { tokenize, type Token } from './lexer.ts';
import { STATSIG_MACROS, substituteMacros, type MacroUse } from './macros.ts';
import { parseRaw } from './parser.ts';
import { CodePointLines } from './positions.ts';
import { describeParseError, readParserMessage, tokenRules, tokenSpan, type SyntaxError } from './syntax.ts';

export type SqlProblemCode =
  | 'empty'
  | 'syntax'
  | 'not-a-query'
  | 'several-statements'
  | 'unknown-macro'
  /** The SQL was not parsed (the parser could not load, or the SQL is too long or too deep for it). */
  | 'not-checked';

export interface SqlProblem {
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly code: SqlProblemCode;
}

export interface SqlAnalysis {
  readonly dialect: SqlDialect;
  /** Whether sqlparser-rs read the SQL (false: not checked locally, see the 'not-checked' problem). */
  readonly checked: boolean;
  /** Whether it parsed as one query without error. */
  readonly parsed: boolean;
  readonly problems: readonly SqlProblem[];
  /** The final SELECT's output; undefined when the SQL did not parse as a query. */
  readonly output: Projection | undefined;
  /** Tables the query reads (CTE names excluded), as written (`analytics.events`). */
  readonly tables: readonly string[];
  readonly macros: readonly MacroUse[];
}

/**
 * Longer SQL is not parsed locally: a source's SQL is a few KB; dense SQL costs about 1 ms per KB
 * to parse and analyse here (75 KB of 25,000 columns: 130 ms), and it runs on the extension host.
 */
export const MAX_SQL_LENGTH = 100_000;
/**
 * How deeply operators may chain (`a + b + …`, `x AND y AND …`, summed over enclosing parentheses)
 * before the SQL is not given to sqlparser-rs: about 750 overflow its stack (docs/sql.md).
 */
export const MAX_EXPRESSION_DEPTH = 500;
/** Set operations (`UNION ALL`) chained; about 7,000 overflow its stack. */
const MAX_SET_OPERATIONS = 3000;

const CHAINING = new Set(['+', '-', '*', '/', '%', '||', '=', '<>', '!=', '<', '>', '<=', '>=', '::', '->', '->>', ':']);
const CHAINING_WORDS = new Set(['AND', 'OR', 'IS', 'LIKE', 'ILIKE', 'IN', 'BETWEEN']);
const SET_WORDS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const RESETS = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'ON', 'JOIN', 'WHEN', 'THEN', 'ELSE', 'END']);

/** A conservative estimate of the AST's depth from the tokens (see MAX_EXPRESSION_DEPTH). */
function tooDeep(text: string, tokens: readonly Token[]): string | undefined {
  const frames: number[] = [0];
  let sum = 0;
  let sets = 0;
  for (const t of tokens) {
    const s = t.kind === 'symbol' ? text.slice(t.from, t.to) : '';
    if (s === '(' || s === '[') {
      frames.push(0);
      sum += 1;
      if (sum > MAX_EXPRESSION_DEPTH) return `it nests or chains expressions more than ${MAX_EXPRESSION_DEPTH} levels deep`;
    } else if ((s === ')' || s === ']') && frames.length > 1) {
      sum -= (frames.pop() ?? 0) + 1;
    } else if (s === ',' || s === ';' || (t.upper && RESETS.has(t.upper))) {
      sum -= frames[frames.length - 1] ?? 0;
      frames[frames.length - 1] = 0;
    } else if (CHAINING.has(s) || (t.upper && CHAINING_WORDS.has(t.upper))) {
      frames[frames.length - 1] = (frames[frames.length - 1] ?? 0) + 1;
      sum += 1;
      if (sum > MAX_EXPRESSION_DEPTH) return `it nests or chains expressions more than ${MAX_EXPRESSION_DEPTH} levels deep`;
    }
    if (t.upper && SET_WORDS.has(t.upper) && ++sets > MAX_SET_OPERATIONS) return `it chains more than ${MAX_SET_OPERATIONS} set operations`;
  }
  return undefined;
}

const RESERVED_AS_NAMES = new Set(['AND', 'OR', 'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'BY', 'JOIN', 'UNION', 'WHEN', 'THEN', 'ELSE', 'CASE', 'BETWEEN']);

const DOCUMENTED_MACROS = STATSIG_MACROS.filter((m) => m.documented).map((m) => `{${m.name}}`).join(', ');

function macroProblems(macros: readonly MacroUse[]): SqlProblem[] {
  return macros.filter((m) => !m.macro).map((m) => {
    const lower = STATSIG_MACROS.find((k) => k.name === m.name.toLowerCase());
    const hint = lower ? ` Did you mean {${lower.name}}?` : ` Statsig documents ${DOCUMENTED_MACROS}.`;
    return {
      from: m.from, to: m.to, severity: 'warning', code: 'unknown-macro',
      message: `{${m.name}} is not a Statsig macro this extension knows; Statsig may leave it in the SQL as it is.${hint}`,
    } satisfies SqlProblem;
  });
}

function result(dialect: SqlDialect, init: Partial<SqlAnalysis> & Pick<SqlAnalysis, 'problems'>): SqlAnalysis {
  return { dialect, checked: true, parsed: false, output: undefined, tables: [], macros: [], ...init };
}

function notChecked(dialect: SqlDialect, text: string, reason: string, macros: readonly MacroUse[] = []): SqlAnalysis {
  return result(dialect, {
    checked: false, macros,
    problems: [{ from: 0, to: Math.min(text.length, 1), severity: 'info', code: 'not-checked', message: `The SQL was not checked locally: ${reason}. Statsig's dry run checks it.` }],
  });
}

/** The token index where the statement after the first `;` starts, when something follows it. */
function secondStatement(text: string, tokens: readonly Token[]): Token | undefined {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const s = t.kind === 'symbol' ? text.slice(t.from, t.to) : '';
    if (s === '(') depth++;
    else if (s === ')') depth--;
    else if (s === ';' && depth <= 0) {
      const next = tokens.slice(i + 1).find((x) => x.kind !== 'comment' && text.slice(x.from, x.to) !== ';');
      if (next) return next;
    }
  }
  return undefined;
}

export function analyzeSql(sql: string, dialect: SqlDialect): SqlAnalysis {
  try {
    return analyze(sql, dialect);
  } catch (error) {
    // A bug here must not break a save: the SQL is then reported as not checked.
    return notChecked(dialect, sql, `the analysis failed (${error instanceof Error ? error.message : String(error)})`);
  }
}

function analyze(sql: string, dialect: SqlDialect): SqlAnalysis {
  const info = DIALECTS[dialect];
  if (sql.trim() === '') return result(dialect, { problems: [{ from: 0, to: 0, severity: 'error', code: 'empty', message: 'The SQL is empty.' }] });
  if (sql.length > MAX_SQL_LENGTH) {
    return notChecked(dialect, sql, `it is ${sql.length.toLocaleString('en-US')} characters long (at most ${MAX_SQL_LENGTH.toLocaleString('en-US')} are parsed)`);
  }
  const tokens = tokenize(sql, info);
  const { text: parsedText, map, macros } = substituteMacros(sql, tokens, dialect);
  const macroWarnings = macroProblems(macros);
  if (dialect === 'bigquery' && tokens.some((t) => t.kind === 'symbol' && sql.slice(t.from, t.to) === '|>')) {
    return notChecked(dialect, sql, 'it uses BigQuery\'s pipe syntax (|>), which the local parser does not read', macros);
  }
  const deep = tooDeep(sql, tokens);
  if (deep) return notChecked(dialect, sql, deep, macros);
  if (tokens.every((t) => t.kind === 'comment' && !t.unclosed)) {
    return result(dialect, { macros, problems: [{ from: 0, to: 0, severity: 'error', code: 'empty', message: 'The SQL has no query, only comments.' }] });
  }
  const raw = parseRaw(parsedText, info.parser);
  if (raw.kind === 'unavailable') return notChecked(dialect, sql, raw.reason, macros);
  const lines = new CodePointLines(parsedText);
  const ctx: Context = { text: sql, tokens, lines, map, dialect: info };
  const rule = tokenRules(sql, tokens, info);
  const syntax = (e: SyntaxError): SqlProblem => ({ ...e, severity: 'error', code: 'syntax' });

  if (raw.kind === 'error' && /recursion limit exceeded/i.test(raw.message)) {
    return notChecked(dialect, sql, 'it nests more deeply than the local parser goes (about 50 levels)', macros);
  }
  if (raw.kind === 'error') {
    const message = readParserMessage(raw.message);
    const offset = message.line !== undefined && message.column !== undefined ? map.toSource(lines.offset(message.line, message.column)) : undefined;
    const error = describeParseError(sql, tokens, message, offset);
    // A token rule that fires before where the parser stopped names the real mistake.
    const first = rule && rule.scopeFrom <= error.from && !message.tokenizer ? rule : error;
    return result(dialect, { macros, problems: [syntax({ from: first.from, to: first.to, message: first.message }), ...macroWarnings] });
  }

  const statements = raw.statements;
  if (statements.length === 0) {
    return result(dialect, { macros, problems: [{ from: 0, to: 0, severity: 'error', code: 'empty', message: 'The SQL has no query.' }] });
  }
  const problems: SqlProblem[] = [];
  const facts = statementFacts(ctx, statements[0], RESERVED_AS_NAMES);
  if (rule) problems.push(syntax({ from: rule.from, to: rule.to, message: rule.message }));
  else if (facts.reserved) {
    const reserved = facts.reserved;
    problems.push(syntax({ from: reserved.from, to: reserved.to, message: `${reserved.word} is a keyword, not a column name here (quote it to use it as a name).` }));
  }
  if (statements.length > 1) {
    const second = secondStatement(sql, tokens);
    const span = second ? tokenSpan(sql, second) : { from: 0, to: 1 };
    problems.push({ ...span, severity: 'error', code: 'several-statements', message: 'A source\'s SQL is one query; a second statement starts here.' });
  }
  const statement = statements[0];
  const tagged = statement && typeof statement === 'object' ? Object.keys(statement)[0] : undefined;
  if (tagged !== 'Query') {
    const first = tokens.find((t) => t.kind !== 'comment');
    const span = first ? tokenSpan(sql, first) : { from: 0, to: 1 };
    problems.push({ ...span, severity: 'error', code: 'not-a-query', message: `A source's SQL must be a query (SELECT … or WITH …), not ${tagged ? tagged.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase() : 'this statement'}.` });
    return result(dialect, { macros, problems: [...problems, ...macroWarnings] });
  }
  const query = (statement as Record<string, unknown>)['Query'];
  const output = queryProjection(ctx, query);
  const tables = facts.tables;
  const errors = problems.some((p) => p.severity === 'error');
  return result(dialect, { parsed: !errors, macros, problems: [...problems, ...macroWarnings], output: errors ? undefined : output, tables });
}

// ------------------------------------------------------------------ columns

export type ColumnMatch =
  | { readonly kind: 'found'; readonly column: OutputColumn }
  /** Equal but for case, to a quoted name the dialect compares exactly (Snowflake, Postgres). */
  | { readonly kind: 'case'; readonly column: OutputColumn }
  /** The output is fully known and lacks it: the first dozen names it returns, and how many more. */
  | { readonly kind: 'missing'; readonly returns: readonly string[]; readonly more: number }
  /** It may be among what cannot be known locally. */
  | { readonly kind: 'unknown'; readonly reason: string; readonly from: number; readonly to: number };

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** An output's columns by lower-case name, built once per output (matchColumn runs once per mapped column). */
interface ColumnIndex {
  readonly byName: ReadonlyMap<string, readonly OutputColumn[]>;
  /** Columns the warehouse names after their text: by that text (squashed), and by a cast's column. */
  readonly unnamedByText: ReadonlyMap<string, OutputColumn>;
  readonly unnamedByCast: ReadonlyMap<string, OutputColumn>;
  readonly firstUnnamed: OutputColumn | undefined;
}

const indexes = new WeakMap<Projection, ColumnIndex>();

function indexOf(output: Projection): ColumnIndex {
  let index = indexes.get(output);
  if (index) return index;
  const byName = new Map<string, OutputColumn[]>();
  const unnamedByText = new Map<string, OutputColumn>();
  const unnamedByCast = new Map<string, OutputColumn>();
  let firstUnnamed: OutputColumn | undefined;
  for (const c of output.columns) {
    if (c.name === undefined) {
      firstUnnamed ??= c;
      const text = squash(c.expression);
      if (!unnamedByText.has(text)) unnamedByText.set(text, c);
      const cast = c.castOf?.toLowerCase();
      if (cast !== undefined && !unnamedByCast.has(cast)) unnamedByCast.set(cast, c);
      continue;
    }
    const key = c.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(c);
    else byName.set(key, [c]);
  }
  index = { byName, unnamedByText, unnamedByCast, firstUnnamed };
  indexes.set(output, index);
  return index;
}

/** A column the warehouse names itself that could be called `name` (its lower case given). */
function unnamedCandidate(index: ColumnIndex, name: string, lower: string, dialect: SqlDialect): OutputColumn | undefined {
  if (!index.firstUnnamed) return undefined;
  if (DIALECTS[dialect].unnamedColumns !== 'text') return index.firstUnnamed;
  // Whether Databricks keeps a cast column's name is not settled here: assume it may.
  return index.unnamedByText.get(squash(name)) ?? (dialect === 'databricks' ? index.unnamedByCast.get(lower) : undefined);
}

/** How `name` (a mapped column of the source) relates to the query's output. */
export function matchColumn(output: Projection, name: string, dialect: SqlDialect): ColumnMatch {
  const info = DIALECTS[dialect];
  const index = indexOf(output);
  const lower = name.toLowerCase();
  let caseOnly: OutputColumn | undefined;
  for (const c of index.byName.get(lower) ?? []) {
    if (!(c.quoted && info.quotedCaseSensitive) || c.name === name) return { kind: 'found', column: c };
    caseOnly ??= c;
  }
  if (caseOnly) return { kind: 'case', column: caseOnly };
  const unnamed = unnamedCandidate(index, name, lower, dialect);
  if (unnamed) {
    return { kind: 'unknown', reason: `the column ${unnamed.expression.length > 60 ? `${unnamed.expression.slice(0, 60)}…` : unnamed.expression} has no alias, and ${info.label} names it after its text`, from: unnamed.from, to: unnamed.to };
  }
  const part = output.unknown[0];
  if (part) return { kind: 'unknown', reason: part.reason, from: part.from, to: part.to };
  return { kind: 'missing', returns: output.columns.slice(0, 12).map((c) => c.name ?? c.expression), more: Math.max(0, output.columns.length - 12) };
}

/** The output's column names, or null when they cannot all be known (the CLI's `outputColumns`). */
export function outputColumnNames(analysis: SqlAnalysis): string[] | null {
  const output = analysis.output;
  if (!output || output.unknown.length > 0) return null;
  const names: string[] = [];
  for (const c of output.columns) {
    if (c.name === undefined) return null;
    names.push(c.name);
  }
  return names;
}

