// What the SQL editor offers while typing (pure, no `vscode`): a small, hand-checked list of each
// dialect's keywords and common functions, the Statsig macros with what each stands for, the
// tables and output columns of other sources, and which fields of a source name a column of the
// query's output (for the form's column dropdowns).
import { analyzeSql } from './analyze.ts';
import type { SqlDialect } from './dialects.ts';
import { STATSIG_MACROS, type MacroInfo } from './macros.ts';

const KEYWORDS = [
  'SELECT', 'DISTINCT', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'AS', 'WITH',
  'JOIN', 'INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL OUTER JOIN', 'CROSS JOIN', 'ON', 'USING',
  'UNION ALL', 'UNION', 'INTERSECT', 'EXCEPT', 'AND', 'OR', 'NOT', 'IN', 'EXISTS', 'BETWEEN', 'LIKE',
  'IS NULL', 'IS NOT NULL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'OVER', 'PARTITION BY',
  'ROWS BETWEEN', 'ASC', 'DESC', 'NULLS FIRST', 'NULLS LAST', 'NULL', 'TRUE', 'FALSE', 'INTERVAL',
  'DATE', 'TIMESTAMP',
];

/** Keywords only some warehouses read. */
const DIALECT_KEYWORDS: Readonly<Record<SqlDialect, readonly string[]>> = {
  snowflake: ['QUALIFY', 'ILIKE', 'LATERAL FLATTEN', 'SAMPLE', 'EXCLUDE'],
  bigquery: ['QUALIFY', 'UNNEST', 'WITH OFFSET', 'EXCEPT DISTINCT', 'STRUCT', 'ARRAY'],
  databricks: ['QUALIFY', 'ILIKE', 'LATERAL VIEW', 'TABLESAMPLE'],
  redshift: ['ILIKE', 'TOP', 'SIMILAR TO'],
  athena: ['UNNEST', 'WITH ORDINALITY', 'TABLESAMPLE', 'FETCH FIRST', 'AT TIME ZONE'],
  postgres: ['ILIKE', 'DISTINCT ON', 'LATERAL', 'FILTER', 'FETCH FIRST'],
  duckdb: ['QUALIFY', 'ILIKE', 'EXCLUDE', 'UNNEST', 'FILTER', 'USING SAMPLE'],
};

const FUNCTIONS = [
  'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COALESCE', 'NULLIF', 'CAST', 'LOWER', 'UPPER', 'TRIM',
  'LENGTH', 'CONCAT', 'ROUND', 'ABS', 'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'LAG', 'LEAD',
  'FIRST_VALUE', 'LAST_VALUE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP',
];

/** Common functions each warehouse documents under these names. */
const DIALECT_FUNCTIONS: Readonly<Record<SqlDialect, readonly string[]>> = {
  snowflake: ['IFF', 'NVL', 'TRY_CAST', 'TO_DATE', 'TO_TIMESTAMP', 'DATE_TRUNC', 'DATEADD', 'DATEDIFF', 'PARSE_JSON', 'ARRAY_AGG', 'LISTAGG', 'APPROX_COUNT_DISTINCT', 'FLATTEN', 'SPLIT_PART'],
  bigquery: ['IF', 'IFNULL', 'SAFE_CAST', 'SAFE_DIVIDE', 'DATE', 'TIMESTAMP', 'DATE_TRUNC', 'TIMESTAMP_TRUNC', 'DATE_ADD', 'DATE_SUB', 'DATE_DIFF', 'FORMAT_DATE', 'PARSE_DATE', 'UNIX_SECONDS', 'TIMESTAMP_SECONDS', 'COUNTIF', 'ARRAY_AGG', 'APPROX_COUNT_DISTINCT', 'JSON_VALUE'],
  databricks: ['IF', 'NVL', 'TRY_CAST', 'TO_DATE', 'TO_TIMESTAMP', 'DATE_TRUNC', 'DATE_ADD', 'DATEDIFF', 'FROM_UNIXTIME', 'UNIX_TIMESTAMP', 'EXPLODE', 'COLLECT_LIST', 'APPROX_COUNT_DISTINCT', 'GET_JSON_OBJECT'],
  redshift: ['NVL', 'DECODE', 'GETDATE', 'DATE_TRUNC', 'DATEADD', 'DATEDIFF', 'TO_DATE', 'TO_TIMESTAMP', 'CONVERT_TIMEZONE', 'LISTAGG', 'APPROXIMATE COUNT', 'JSON_EXTRACT_PATH_TEXT', 'SPLIT_PART'],
  athena: ['IF', 'TRY_CAST', 'DATE_TRUNC', 'DATE_ADD', 'DATE_DIFF', 'DATE_PARSE', 'DATE_FORMAT', 'FROM_UNIXTIME', 'TO_UNIXTIME', 'FROM_ISO8601_TIMESTAMP', 'APPROX_DISTINCT', 'ARRAY_AGG', 'JSON_EXTRACT_SCALAR', 'SPLIT_PART'],
  postgres: ['NOW', 'DATE_TRUNC', 'DATE_PART', 'EXTRACT', 'TO_CHAR', 'TO_DATE', 'TO_TIMESTAMP', 'STRING_AGG', 'ARRAY_AGG', 'GENERATE_SERIES', 'JSONB_EXTRACT_PATH_TEXT', 'SPLIT_PART'],
  duckdb: ['IF', 'TRY_CAST', 'DATE_TRUNC', 'DATE_ADD', 'DATE_DIFF', 'STRFTIME', 'STRPTIME', 'EPOCH', 'EPOCH_MS', 'TO_TIMESTAMP', 'COUNT_IF', 'STRING_AGG', 'LIST', 'APPROX_COUNT_DISTINCT', 'UNNEST'],
};

export function sqlKeywords(dialect: SqlDialect): string[] {
  return [...KEYWORDS, ...DIALECT_KEYWORDS[dialect]];
}

export function sqlFunctions(dialect: SqlDialect): string[] {
  return [...new Set([...FUNCTIONS, ...DIALECT_FUNCTIONS[dialect]])];
}

const MACRO_TYPE: Readonly<Record<MacroInfo['type'], string>> = {
  date: 'a DATE', dateInt: 'an integer date (20250301)', timestamp: 'a TIMESTAMP',
};

/** What a macro stands for, in words. */
export function macroDetail(macro: MacroInfo): string {
  const what = macro.name === 'statsig_experiment_start_timestamp'
    ? 'the start of the experiment'
    : `the ${macro.end ? 'end' : 'start'} of the analysis window`;
  const note = macro.documented ? '' : ' (not in Statsig\'s docs; accepted here)';
  return `Statsig macro: ${what}, as ${MACRO_TYPE[macro.type]}${note}`;
}

export function macroWords(): { label: string; detail: string }[] {
  return STATSIG_MACROS.map((m) => ({ label: m.name, detail: macroDetail(m) }));
}

/** The tables a query reads and the names of its output columns (those known). */
export interface SqlNames {
  readonly tables: readonly string[];
  readonly columns: readonly string[];
}

/** Other sources' SQL, analysed once per dialect and text (they are listed again on every refresh). */
export class SqlNamesCache {
  readonly #cache = new Map<string, SqlNames>();
  readonly #limit: number;

  constructor(limit = 5_000) {
    this.#limit = limit;
  }

  namesOf(sql: string, dialect: SqlDialect): SqlNames {
    const key = `${dialect}\u0000${sql}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const analysis = analyzeSql(sql, dialect);
    const names: SqlNames = {
      tables: analysis.tables,
      columns: (analysis.output?.columns ?? []).flatMap((c) => (c.name !== undefined ? [c.name] : [])),
    };
    if (this.#cache.size >= this.#limit) this.#cache.clear();
    this.#cache.set(key, names);
    return names;
  }

  /** The tables and columns of several queries, each once, sorted. */
  collect(sqls: Iterable<string>, dialect: SqlDialect): { tables: string[]; columns: string[] } {
    const tables = new Set<string>();
    const columns = new Set<string>();
    for (const sql of sqls) {
      const names = this.namesOf(sql, dialect);
      for (const t of names.tables) tables.add(t);
      for (const c of names.columns) columns.add(c);
    }
    const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
    return { tables: sorted(tables), columns: sorted(columns) };
  }
}

type Shape = 'string' | 'map' | 'list';
const NEXT_SHAPE: Readonly<Record<Shape, Shape | undefined>> = { string: 'map', map: 'list', list: undefined };

/**
 * The fields a kind maps to output columns, as path patterns (`'*'`: any key or index), found by
 * asking its `mappedColumns` itself about a probe document: every key it reads is first a string,
 * then (when that names no column) an open map, then a list of open maps. So the patterns follow the
 * descriptor: `timestampColumn`, `idTypeMapping.*.column`, `column_mapping.unit_id`, `column_mapping.ids.*`.
 */
export function columnFieldPatterns(mappedColumns: (source: Record<string, unknown>) => readonly { readonly path: readonly (string | number)[] }[]): string[][] {
  const shapes = new Map<string, Shape>();
  const id = (path: readonly string[]) => JSON.stringify(path);
  let patterns: string[][] = [];
  for (let pass = 0; pass < 12; pass++) {
    const reads: string[][] = [];
    const value = (path: string[]): unknown => {
      const shape = shapes.get(id(path)) ?? 'string';
      if (shape === 'string') return `\u0000${id(path)}`;
      return shape === 'map' ? map(path) : [map([...path, '*'])];
    };
    const map = (path: string[]): Record<string, unknown> => new Proxy({}, {
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined;
        reads.push([...path, key]);
        return value([...path, key]);
      },
      has: () => true,
      ownKeys: () => ['*'],
      getOwnPropertyDescriptor: (_target, key) => (key === '*' ? { value: value([...path, '*']), enumerable: true, configurable: true, writable: true } : undefined),
    });
    let found: string[][];
    try {
      found = mappedColumns(map([])).map((c) => c.path.map((s) => (typeof s === 'number' ? '*' : s)));
    } catch {
      break;
    }
    patterns = found;
    let changed = false;
    for (const read of reads) {
      if (found.some((p) => read.every((s, i) => p[i] === s))) continue;
      const next = NEXT_SHAPE[shapes.get(id(read)) ?? 'string'];
      if (next && shapes.get(id(read)) !== next) {
        shapes.set(id(read), next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const unique = new Map(patterns.map((p) => [id(p), p]));
  return [...unique.values()];
}
