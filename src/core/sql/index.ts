// The SQL analysis (no `vscode`): sqlparser-rs (WebAssembly) per warehouse dialect, Statsig macros,
// syntax errors on the exact token, output columns and tables read. docs/sql.md describes it.
export { analyzeSql, matchColumn, outputColumnNames, MAX_SQL_LENGTH, type ColumnMatch, type SqlAnalysis, type SqlProblem, type SqlProblemCode } from './analyze.ts';
export type { OutputColumn, Projection, UnknownPart } from './columns.ts';
export { DIALECTS, isSqlDialect, SQL_DIALECTS, type DialectInfo, type SqlDialect } from './dialects.ts';
export { STATSIG_MACROS, type MacroInfo, type MacroUse } from './macros.ts';
export { configureSqlParser, loadSqlParser, sqlParserStatus, WASM_FILE, type ParserSetup, type ParserStatus } from './parser.ts';
