// Cheap local SQL checks that run on every save before anything reaches Statsig: an empty query,
// unterminated strings, quoted identifiers and comments, and unbalanced parentheses, each with its
// exact position. Whether the SQL really runs is Statsig's dry run's job (the emulator uses DuckDB).

export interface SqlProblem {
  readonly from: number;
  readonly to: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function checkSql(sql: string): SqlProblem[] {
  if (sql.trim() === '') return [{ from: 0, to: 0, message: 'The SQL is empty.', severity: 'error' }];
  const problems: SqlProblem[] = [];
  const open: number[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) {
        problems.push({ from: i, to: n, message: 'This comment is never closed (missing */).', severity: 'error' });
        i = n;
      } else {
        i = end + 2;
      }
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i++;
      let closed = false;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) { i += 2; continue; } // doubled quote is an escaped quote
          closed = true;
          i++;
          break;
        }
        if (sql[i] === '\\' && c === "'") i++; // backslash escapes (BigQuery, Databricks, Snowflake)
        i++;
      }
      if (!closed) {
        const what = c === "'" ? 'string' : 'quoted identifier';
        problems.push({ from: start, to: n, message: `This ${what} is never closed (missing ${c}).`, severity: 'error' });
      }
    } else if (c === '(') {
      open.push(i);
      i++;
    } else if (c === ')') {
      if (open.length === 0) problems.push({ from: i, to: i + 1, message: 'This ) has no matching (.', severity: 'error' });
      else open.pop();
      i++;
    } else {
      i++;
    }
  }
  for (const at of open) problems.push({ from: at, to: at + 1, message: 'This ( is never closed.', severity: 'error' });
  return problems;
}

/** Whether a column name appears as a word in the SQL outside comments (case-insensitive), or the SQL selects `*`. */
export function sqlMentions(sql: string, column: string): boolean {
  const code = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  if (/(^|[\s,(])\*(\s|,|$)|\.\*/.test(code)) return true;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])["\`]?${escaped}["\`]?($|[^A-Za-z0-9_])`, 'i').test(code);
}
