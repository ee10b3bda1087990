// The SQL editor's help from the host: the typing analysis (the SQL as typed, analysed in the
// project's dialect, answered with its problems and output columns) and the vocabulary it completes
// (the dialect's keywords and functions, the Statsig macros, and the tables and output columns of
// the project's other sources as the Sources tree listed them). The analysis runs here because the
// webview's CSP forbids WebAssembly; the parser is the one the DraftValidator set up, loaded by the
// first analysis that needs it (never at activation).
import { analyzeSql, type SqlDialect } from '../../core/sql/index.ts';
import { SqlNamesCache, columnFieldPatterns, macroWords, sqlFunctions, sqlKeywords } from '../../core/sql/completions.ts';
import { KindIds, descriptor, type KindId } from '../../core/kinds.ts';
import type { SqlAnalysisMessage, SuggestionsMessage } from '../../shared/editorProtocol.ts';
import type { SourcesModel } from '../tree/sourcesModel.ts';

/** At most this many problems go back per answer (one syntax error, a few macro warnings in practice). */
const MAX_PROBLEMS = 50;

export function typingAnalysis(seq: number, sql: string, dialect: SqlDialect): SqlAnalysisMessage {
  const analysis = analyzeSql(sql, dialect);
  return {
    type: 'sqlAnalysis',
    seq,
    problems: analysis.problems.slice(0, MAX_PROBLEMS).map((p) => ({ from: p.from, to: Math.max(p.to, p.from), severity: p.severity, message: p.message })),
    ...(analysis.output ? { columns: analysis.output.columns.flatMap((c) => (c.name !== undefined ? [{ name: c.name, expression: c.expression }] : [])) } : {}),
    complete: analysis.output !== undefined && analysis.output.unknown.length === 0,
  };
}

const names = new SqlNamesCache();

/** The fields of a kind that name one of the query's output columns, as path patterns. */
export function columnFields(kind: KindId): string[][] {
  return columnFieldPatterns((s) => descriptor(kind).mappedColumns(s));
}

/** The SQL vocabulary for a project's editor (`except`: the key of the source being edited). */
export function sqlSuggestions(model: SourcesModel, projectId: string, dialect: SqlDialect, except: string): SuggestionsMessage {
  const sqls: string[] = [];
  for (const k of KindIds) {
    const field = descriptor(k).sqlField;
    for (const record of model.records(projectId, k)) {
      const sql = record.data[field];
      if (record.key !== except && typeof sql === 'string') sqls.push(sql);
    }
  }
  const { tables, columns } = names.collect(sqls, dialect);
  return {
    type: 'suggestions',
    sql: { keywords: sqlKeywords(dialect), functions: sqlFunctions(dialect), macros: macroWords(), tables, columns },
  };
}
