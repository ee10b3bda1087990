// Where in the SQL a warehouse's error message points. Statsig passes the warehouse's text through
// (`errors[].errorMessage` on `sql`), and warehouses say it differently: "line 3 at position 11"
// (Snowflake), "LINE 3:" (Postgres, DuckDB), "[3:11]"/"at [3:11]" (BigQuery), "line 3:11"
// (Trino/Athena, Databricks), or only a quoted token ("syntax error at or near \"FORM\""). When
// nothing in the message can be found in the SQL, the answer is undefined: the SQL is marked as a
// whole, never on an invented line. Linear in the message and the SQL; no RegExp from user text.

export interface SqlSpan {
  readonly from: number;
  readonly to: number;
}

/** Offsets of line starts of `sql`. */
function lineStarts(sql: string): number[] {
  const starts = [0];
  for (let i = 0; i < sql.length; i++) if (sql.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineSpan(sql: string, starts: readonly number[], line: number, column: number | undefined): SqlSpan | undefined {
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  const end = line < starts.length ? (starts[line] as number) - 1 : sql.length;
  if (column !== undefined && column >= 1 && start + column - 1 < end) {
    // The token that starts at that column.
    const from = start + column - 1;
    let to = from;
    while (to < end && /[\w$."`]/.test(sql[to] as string)) to++;
    return { from, to: Math.max(to, from + 1) };
  }
  // Skip leading white space: the line's content.
  let from = start;
  while (from < end && /\s/.test(sql[from] as string)) from++;
  return from < end ? { from, to: end } : { from: start, to: Math.max(end, start + 1) };
}

const LINE_PATTERNS: readonly RegExp[] = [
  /\bline\s+(\d{1,6})\s+at\s+position\s+(\d{1,6})/i, // Snowflake
  /\[(\d{1,6}):(\d{1,6})\]/, // BigQuery
  /\bline\s+(\d{1,6}):(\d{1,6})/i, // Trino, Athena, Databricks
  /\bline\s+(\d{1,6}),?\s+(?:col(?:umn)?|pos(?:ition)?|char(?:acter)?)\s+(\d{1,6})/i,
  /\bLINE\s+(\d{1,6}):/, // Postgres, DuckDB
  /\bline\s+(\d{1,6})\b/i,
];

/** Quoted tokens of the message, in order ("…", '…', `…`), at most 200 characters each. */
function quotedTokens(message: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < message.length && out.length < 20; i++) {
    const q = message[i] as string;
    if (q !== '"' && q !== '\'' && q !== '`') continue;
    const end = message.indexOf(q, i + 1);
    if (end < 0) break;
    const token = message.slice(i + 1, end);
    if (token.trim() !== '' && token.length <= 200) out.push(token);
    i = end;
  }
  return out;
}

/** The first whole-word, case-insensitive occurrence of `token` in `sql`. */
function findToken(sql: string, token: string): SqlSpan | undefined {
  const hay = sql.toLowerCase();
  const needle = token.toLowerCase();
  const word = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (!word(sql[at - 1]) || !word(needle[0])) {
      if (!word(sql[at + needle.length]) || !word(needle[needle.length - 1])) return { from: at, to: at + needle.length };
    }
  }
  return undefined;
}

/** The span of the SQL that `message` points at, or undefined when it points at nothing found. */
export function locateSqlError(sql: string, message: string): SqlSpan | undefined {
  if (sql.length === 0) return undefined;
  const text = message.length > 4_000 ? message.slice(0, 4_000) : message;
  const starts = lineStarts(sql);
  for (const pattern of LINE_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const span = lineSpan(sql, starts, Number(m[1]), m[2] !== undefined ? Number(m[2]) : undefined);
    if (span) return span;
  }
  for (const token of quotedTokens(text)) {
    const span = findToken(sql, token);
    if (span) return span;
  }
  // "Table with name missing_table does not exist", "column foo not found": the word after the noun.
  const named = /\b(?:table|column|name|identifier|function|relation)\s+(?:with\s+name\s+)?([A-Za-z_][\w$.]{0,127})/gi;
  for (let m = named.exec(text); m; m = named.exec(text)) {
    const word = m[1] as string;
    if (/^(with|name|does|not|is|was|named|the|a|an)$/i.test(word)) continue;
    const span = findToken(sql, word);
    if (span) return span;
  }
  return undefined;
}
