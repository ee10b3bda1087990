// The `statsigWhn.sqlDialect` setting → a CodeMirror SQL dialect. lang-sql has no warehouse
// dialects, so each maps to the closest built-in one, adjusted where the lexing differs
// (identifier quotes, comment styles, string escapes); anything unknown is standard SQL.
import { PostgreSQL, SQLDialect, StandardSQL, type SQLDialectSpec } from '@codemirror/lang-sql';

function derive(base: SQLDialect, spec: SQLDialectSpec): SQLDialect {
  return SQLDialect.define({ ...base.spec, ...spec });
}

const backtickDialect: SQLDialectSpec = { identifierQuotes: '`', doubleQuotedStrings: true, backslashEscapes: true };

const DIALECTS: Readonly<Record<string, () => SQLDialect>> = {
  // Postgres lineage: "quoted" identifiers, $$strings$$, :: casts.
  postgres: () => PostgreSQL,
  redshift: () => PostgreSQL,
  duckdb: () => PostgreSQL,
  snowflake: () => derive(PostgreSQL, { slashComments: true }),
  // `quoted` identifiers and "strings"; BigQuery also has # comments.
  bigquery: () => derive(StandardSQL, { ...backtickDialect, hashComments: true }),
  databricks: () => derive(StandardSQL, backtickDialect),
  // Trino: ANSI quoting.
  athena: () => StandardSQL,
};

export function sqlDialectFor(setting: string): SQLDialect {
  const make = Object.hasOwn(DIALECTS, setting) ? DIALECTS[setting] : undefined;
  return make ? make() : StandardSQL;
}
