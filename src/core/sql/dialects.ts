// The seven warehouse dialects a Statsig Warehouse Native project can sit on, and what the SQL
// analysis needs to know about each: which sqlparser-rs dialect parses it, how its tokens are
// quoted (for locating an error's token), how it compares column names, and how it names a
// column that has no alias. Every choice here is written up in docs/sql.md.

export const SQL_DIALECTS = ['snowflake', 'bigquery', 'databricks', 'redshift', 'athena', 'postgres', 'duckdb'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export function isSqlDialect(value: unknown): value is SqlDialect {
  return typeof value === 'string' && (SQL_DIALECTS as readonly string[]).includes(value);
}

/** How a dialect names an output column that has no alias (decided in docs/sql.md, "Unnamed columns"). */
export type UnnamedColumns =
  /** The expression's own text (Snowflake upper-cases it, Databricks and DuckDB keep it): `COUNT(*)`, `(a + 1)`. */
  | 'text'
  /** Postgres' FigureColname: a function's name (`count`), a cast's operand (`ts::date` → `ts`), else `?column?`. */
  | 'postgres'
  /** BigQuery: `f0_`, `f1_`, … */
  | 'bigquery'
  /** Trino/Athena: `_col0`, `_col1`, … (the position in the select list). */
  | 'trino';

export interface DialectInfo {
  readonly id: SqlDialect;
  /** The warehouse's name, for messages. */
  readonly label: string;
  /** The sqlparser-rs dialect that parses it. */
  readonly parser: 'snowflake' | 'bigquery' | 'databricks' | 'redshift' | 'postgresql' | 'duckdb' | 'generic';
  /** Characters that quote an identifier. */
  readonly identifierQuotes: string;
  /** Characters that quote a string (besides these, `'` always does). */
  readonly stringQuotes: string;
  /** A backslash escapes the next character inside a '…' string. */
  readonly backslashEscapes: boolean;
  /** $$…$$ (and $tag$…$tag$) strings. */
  readonly dollarStrings: boolean;
  /** `#` starts a line comment (BigQuery); `//` too (Snowflake). */
  readonly hashComments: boolean;
  readonly slashComments: boolean;
  /** '''…''' and """…""" strings (BigQuery). */
  readonly tripleQuotedStrings: boolean;
  /**
   * Whether a quoted identifier keeps its case when columns are compared. Unquoted identifiers are
   * compared without regard to case in every dialect (Snowflake folds them to upper case, Postgres
   * and Redshift to lower case, the others compare case-insensitively).
   */
  readonly quotedCaseSensitive: boolean;
  readonly unnamedColumns: UnnamedColumns;
  /** A comma may end the select list (`SELECT a, b, FROM t`). */
  readonly trailingCommas: boolean;
  /** A comma may end any list, a call's arguments included (`coalesce(a, b,)`). */
  readonly trailingCommasInLists: boolean;
  /** A query may start with FROM (`FROM t SELECT a`, `FROM t`). */
  readonly fromFirst: boolean;
}

const ANSI_QUOTES = {
  identifierQuotes: '"', stringQuotes: '', backslashEscapes: false, dollarStrings: false,
  hashComments: false, slashComments: false, tripleQuotedStrings: false, trailingCommas: false, trailingCommasInLists: false, fromFirst: false,
} as const;

export const DIALECTS: Readonly<Record<SqlDialect, DialectInfo>> = {
  snowflake: {
    id: 'snowflake', label: 'Snowflake', parser: 'snowflake', ...ANSI_QUOTES,
    backslashEscapes: true, dollarStrings: true, slashComments: true, trailingCommas: true,
    quotedCaseSensitive: true, unnamedColumns: 'text',
  },
  bigquery: {
    id: 'bigquery', label: 'BigQuery', parser: 'bigquery', ...ANSI_QUOTES,
    // fromFirst: BigQuery's pipe syntax starts with FROM (`FROM t |> WHERE …`).
    identifierQuotes: '`', stringQuotes: '"', backslashEscapes: true, hashComments: true, tripleQuotedStrings: true, trailingCommas: true, fromFirst: true,
    quotedCaseSensitive: false, unnamedColumns: 'bigquery',
  },
  databricks: {
    id: 'databricks', label: 'Databricks', parser: 'databricks', ...ANSI_QUOTES,
    identifierQuotes: '`', stringQuotes: '"', backslashEscapes: true,
    quotedCaseSensitive: false, unnamedColumns: 'text',
  },
  redshift: {
    // Redshift folds even quoted identifiers to lower case unless enable_case_sensitive_identifier is on.
    id: 'redshift', label: 'Redshift', parser: 'redshift', ...ANSI_QUOTES,
    quotedCaseSensitive: false, unnamedColumns: 'postgres',
  },
  athena: {
    // Athena's queries are Trino's. sqlparser-rs has no Trino dialect. Its generic and PostgreSQL
    // dialects both read the whole Athena corpus and Trino probes (npm run bench:sql; ANSI and Hive
    // miss some); generic reads Trino's lambdas (x -> x + 1) as lambdas, PostgreSQL as its JSON
    // operator, so generic it is (docs/sql.md). Generic is lenient where Trino is not (a comma
    // before FROM, a query starting with FROM): token rules in syntax.ts catch those.
    id: 'athena', label: 'Athena', parser: 'generic', ...ANSI_QUOTES,
    quotedCaseSensitive: false, unnamedColumns: 'trino',
  },
  postgres: {
    id: 'postgres', label: 'Postgres', parser: 'postgresql', ...ANSI_QUOTES,
    dollarStrings: true, quotedCaseSensitive: true, unnamedColumns: 'postgres',
  },
  duckdb: {
    id: 'duckdb', label: 'DuckDB', parser: 'duckdb', ...ANSI_QUOTES,
    dollarStrings: true, quotedCaseSensitive: false, unnamedColumns: 'text', trailingCommas: true, trailingCommasInLists: true, fromFirst: true,
  },
};
