// Format SQL: sql-formatter in the warehouse's dialect, with Statsig's macros kept exactly as typed.
// Pure (no `vscode`); the host runs it and applies the result as one edit of the document.
//
// Choices, so that formatting only ever changes layout:
// - Keywords, functions, types and identifiers keep the case the user typed (`keywordCase:
//   'preserve'`): a format never rewrites a query's words, so its diff is spacing and line breaks.
// - A macro is any `{…}` on one line (`{statsig_start_date}`, `{statsig_end_date_ts}`, …). It is
//   declared to sql-formatter as a custom parameter, so it is one token, printed verbatim.
// - The result is checked before it is offered: apart from whitespace it must be the input,
//   character for character (macros, strings, comments, case). Anything else is refused and
//   nothing changes. sql-formatter's own errors (syntax it does not know) come back as a short
//   sentence with the line and column, never as an exception.
import {
  bigquery, duckdb, formatDialect, postgresql, redshift, snowflake, spark, sql, trino, type DialectOptions,
} from 'sql-formatter';

/** The `statsigWhn.sqlDialect` values, and the sql-formatter dialect each is formatted as. */
const DIALECTS = {
  snowflake: { label: 'Snowflake', formatter: snowflake, language: 'snowflake' },
  bigquery: { label: 'BigQuery', formatter: bigquery, language: 'bigquery' },
  redshift: { label: 'Redshift', formatter: redshift, language: 'redshift' },
  postgres: { label: 'PostgreSQL', formatter: postgresql, language: 'postgresql' },
  duckdb: { label: 'DuckDB', formatter: duckdb, language: 'duckdb' },
  // Databricks SQL is Spark SQL; Athena's engine is Trino.
  databricks: { label: 'Databricks (Spark SQL)', formatter: spark, language: 'spark' },
  athena: { label: 'Athena (Trino)', formatter: trino, language: 'trino' },
} as const satisfies Record<string, { label: string; formatter: DialectOptions; language: string }>;

const STANDARD = { label: 'standard SQL', formatter: sql, language: 'sql' } as const;

export type SqlDialectSetting = keyof typeof DIALECTS;
export const SQL_DIALECT_SETTINGS = Object.keys(DIALECTS) as SqlDialectSetting[];

/** The sql-formatter language a dialect setting is formatted as; anything unknown is standard SQL. */
export function formatterLanguage(dialect: string): string {
  return dialectOf(dialect).language;
}

function dialectOf(dialect: string): (typeof DIALECTS)[SqlDialectSetting] | typeof STANDARD {
  return Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect as SqlDialectSetting] : STANDARD;
}

/** A Statsig macro, or any other `{…}` template placeholder on one line. */
export const MACRO_PATTERN = String.raw`\{[^{}\r\n]*\}`;

/** The macros of a text, in order (also inside strings and comments: what must survive as typed). */
export function macrosIn(text: string): string[] {
  return text.match(new RegExp(MACRO_PATTERN, 'g')) ?? [];
}

/** Longer SQL is refused rather than risk holding up the extension host. */
export const MAX_FORMAT_LENGTH = 100_000;

export interface SqlFormatOptions {
  /** The `statsigWhn.sqlDialect` setting. */
  readonly dialect: string;
  /** Spaces per indentation level (the user's `editor.tabSize`); 2 when absent. */
  readonly tabSize?: number;
}

export type SqlFormatResult =
  | { readonly ok: true; readonly sql: string }
  | { readonly ok: false; readonly message: string };

/** Formats `text`; never throws. A refusal's message is a sentence for the user, with no jargon. */
export function formatSql(text: string, options: SqlFormatOptions): SqlFormatResult {
  const dialect = dialectOf(options.dialect);
  if (text.trim() === '') return { ok: true, sql: text };
  if (text.length > MAX_FORMAT_LENGTH) {
    return { ok: false, message: `The SQL is too long to format here (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_FORMAT_LENGTH.toLocaleString('en-US')}).` };
  }
  const tabWidth = Number.isInteger(options.tabSize) ? Math.min(16, Math.max(1, options.tabSize ?? 2)) : 2;
  let formatted: string;
  try {
    formatted = formatDialect(text, {
      dialect: dialect.formatter,
      tabWidth,
      useTabs: false,
      keywordCase: 'preserve',
      identifierCase: 'preserve',
      dataTypeCase: 'preserve',
      functionCase: 'preserve',
      paramTypes: { custom: [{ regex: MACRO_PATTERN }] },
    });
  } catch (error) {
    return { ok: false, message: `The SQL could not be read as ${dialect.label}: ${describeFormatterError(error)}.` };
  }
  if (withoutWhitespace(formatted) !== withoutWhitespace(text)) {
    return { ok: false, message: `Formatting as ${dialect.label} would have changed more than spacing and line breaks, so it was not applied.` };
  }
  return { ok: true, sql: formatted };
}

function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * sql-formatter's first line, e.g. `Parse error: Unexpected "::date as " at line 1 column 19.`
 * → `unexpected "::date as" at line 1, column 19`. Its parser errors go on for hundreds of lines
 * listing grammar rules: only the first line is kept.
 */
export function describeFormatterError(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const position = /at line (\d+) column (\d+)/.exec(first);
  const where = position ? ` at line ${position[1]}, column ${position[2]}` : '';
  const unexpected = /Unexpected "([^"]*)"/.exec(first)?.[1];
  if (unexpected !== undefined) return `unexpected "${truncate(visible(unexpected), 40)}"${where}`;
  if (/«EOF»|EOF token/.test(first)) return `it ends too early${where ? ` (${where.trim()})` : ''}`;
  const plain = visible(first.replace(/^Parse error:?\s*/i, '').replace(/\.$/, ''));
  return plain ? truncate(plain, 160) : 'the formatter did not say why';
}

/** The SQL quoted in a message, on one line: whitespace runs as one space, invisible characters as �. */
function visible(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
