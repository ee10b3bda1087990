// Cheap local SQL checks that run on every save before anything reaches Statsig: an empty query,
// unterminated strings, quoted identifiers and comments, and unbalanced parentheses, each with its
// exact position. Whether the SQL really runs is Statsig's dry run's job (the emulator uses DuckDB).
//
// One left-to-right pass each, whatever the SQL holds: no regular expression is built from a
// column name, and none with a cost that can grow faster than the text runs over it.

export interface SqlProblem {
  readonly from: number;
  readonly to: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Every problem, in order of position. */
export function checkSql(sql: string): SqlProblem[] {
  const problems: SqlProblem[] = [];
  scanSql(sql, (p) => problems.push(p));
  return problems;
}

/** Like checkSql, but hands each problem over as it is found (the caller may keep only the first ones). */
export function scanSql(sql: string, report: (problem: SqlProblem) => void): void {
  if (sql.trim() === '') {
    report({ from: 0, to: 0, message: 'The SQL is empty.', severity: 'error' });
    return;
  }
  const open: number[] = [];
  lex(sql, {
    unclosed(kind, from) {
      const message = kind === '/*' ? 'This comment is never closed (missing */).'
        : `This ${kind === "'" ? 'string' : 'quoted identifier'} is never closed (missing ${kind}).`;
      report({ from, to: sql.length, message, severity: 'error' });
    },
    code(from, to) {
      for (let i = from; i < to; i++) {
        const c = sql.charCodeAt(i);
        if (c === 0x28 /* ( */) open.push(i);
        else if (c === 0x29 /* ) */) {
          if (open.length === 0) report({ from: i, to: i + 1, message: 'This ) has no matching (.', severity: 'error' });
          else open.pop();
        }
      }
    },
  });
  for (const at of open) report({ from: at, to: at + 1, message: 'This ( is never closed.', severity: 'error' });
}

interface LexHandlers {
  /** A stretch of SQL outside comments, strings and quoted identifiers. */
  code?(from: number, to: number): void;
  /** The inside of a quoted identifier ("…" or `…`), quotes excluded, doubled quotes still doubled. */
  identifier?(from: number, to: number): void;
  /** A string, comment or quoted identifier that runs to the end of the SQL. */
  unclosed?(kind: "'" | '"' | '`' | '/*', from: number): void;
}

/**
 * Splits SQL into code, comments, strings and quoted identifiers in one pass: every character is
 * looked at once (`indexOf` for the end of a comment starts where the comment does, and the pass
 * resumes after it).
 */
function lex(sql: string, on: LexHandlers): void {
  const n = sql.length;
  let codeFrom = 0;
  const flush = (to: number) => {
    if (to > codeFrom) on.code?.(codeFrom, to);
  };
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (c === DASH && next === DASH) {
      flush(i);
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      codeFrom = i;
    } else if (c === SLASH && next === STAR) {
      flush(i);
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) {
        on.unclosed?.('/*', i);
        i = n;
      } else {
        i = end + 2;
      }
      codeFrom = i;
    } else if (c === SINGLE || c === DOUBLE || c === BACKTICK) {
      flush(i);
      const start = i;
      i++;
      let closed = false;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (d === c) {
          if (sql.charCodeAt(i + 1) === c) { i += 2; continue; } // doubled quote is an escaped quote
          closed = true;
          i++;
          break;
        }
        if (d === BACKSLASH && c === SINGLE) i++; // backslash escapes (BigQuery, Databricks, Snowflake)
        i++;
      }
      const quote = c === SINGLE ? "'" : c === DOUBLE ? '"' : '`';
      if (!closed) on.unclosed?.(quote, start);
      if (c !== SINGLE) on.identifier?.(start + 1, closed ? i - 1 : n);
      codeFrom = i;
    } else {
      i++;
    }
  }
  flush(n);
}

const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const SINGLE = 0x27;
const DOUBLE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;

/**
 * Whether a column name appears as a word in the SQL (case-insensitive) outside comments and
 * string literals — bare or quoted —, or the SQL selects `*`. A heuristic for a warning: the dry
 * run decides. For several names in one SQL, use SqlMentions.
 */
export function sqlMentions(sql: string, column: string): boolean {
  return new SqlMentions(sql).has(column);
}

/**
 * The column check for one SQL text, linear in the SQL plus the names asked about: the SQL is read
 * once into the set of its words (a name made of letters, digits and `_` — nearly every column —
 * is one lookup); any other name is searched for with Knuth–Morris–Pratt over case-folded text, for
 * the first OTHER_NAMES_CHECKED distinct such names (a heuristic need not be exhaustive: later ones
 * count as mentioned and get no warning).
 */
export class SqlMentions {
  static readonly OTHER_NAMES_CHECKED = 16;
  readonly #sql: string;
  #words: Set<string> | undefined;
  #star = false;
  /** Offsets of the code and quoted-identifier stretches. */
  readonly #fragments: [number, number][] = [];
  readonly #others = new Map<string, boolean>();

  constructor(sql: string) {
    this.#sql = sql;
  }

  has(column: string): boolean {
    if (column === '') return false;
    const words = this.#read();
    if (this.#star) return true;
    if (isPlainWord(column)) return words.has(column.toLowerCase());
    const known = this.#others.get(column);
    if (known !== undefined) return known;
    if (this.#others.size >= SqlMentions.OTHER_NAMES_CHECKED) return true;
    const pattern = fold(column, 0, column.length);
    const table = kmpTable(pattern);
    const found = this.#fragments.some(([from, to]) => containsWord(fold(this.#sql, from, to), pattern, table));
    this.#others.set(column, found);
    return found;
  }

  #read(): Set<string> {
    if (this.#words) return this.#words;
    const sql = this.#sql;
    const words = new Set<string>();
    const collect = (from: number, to: number) => {
      this.#fragments.push([from, to]);
      let i = from;
      while (i < to) {
        while (i < to && !isWordCode(sql.charCodeAt(i))) i++;
        const start = i;
        while (i < to && isWordCode(sql.charCodeAt(i))) i++;
        if (i > start) words.add(sql.slice(start, i).toLowerCase());
      }
    };
    lex(sql, {
      code: (from, to) => {
        this.#star ||= selectsStar(sql, from, to);
        collect(from, to);
      },
      identifier: collect,
    });
    this.#words = words;
    return words;
  }
}

function isPlainWord(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWordCode(s.charCodeAt(i))) return false;
  return true;
}

/** ASCII letter, digit or underscore (any case). */
function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** `*` standing alone (`select *`, `, *`, `(*`) or after a dot (`t.*`). */
function selectsStar(sql: string, from: number, to: number): boolean {
  // Within the stretch only: an indexOf would run on to the next `*` of the whole SQL each time.
  for (let i = from; i < to; i++) {
    if (sql.charCodeAt(i) !== 0x2a /* * */) continue;
    const before = i === from ? '' : sql[i - 1] ?? '';
    const after = i + 1 >= to ? '' : sql[i + 1] ?? '';
    if (before === '.') return true;
    const alone = (ch: string) => ch === '' || ch === ',' || isSpace(ch);
    if ((alone(before) || before === '(') && alone(after)) return true;
  }
  return false;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/** Code units, upper-case ASCII letters folded to lower case (and non-ASCII ones to non-ASCII lower case). */
function fold(s: string, from: number, to: number): Uint16Array {
  const out = new Uint16Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x80) c = foldWide(c);
    out[i - from] = c;
  }
  return out;
}

const wideFolds = new Map<number, number>();
function foldWide(c: number): number {
  let f = wideFolds.get(c);
  if (f === undefined) {
    // Only to another non-ASCII unit (the Kelvin sign is not a k), as the old `/…/i` did.
    const lower = String.fromCharCode(c).toLowerCase();
    f = lower.length === 1 && lower.charCodeAt(0) >= 0x80 ? lower.charCodeAt(0) : c;
    wideFolds.set(c, f);
  }
  return f;
}

function kmpTable(p: Uint16Array): Int32Array {
  const t = new Int32Array(p.length);
  let k = 0;
  for (let i = 1; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = t[k - 1] ?? 0;
    if (p[i] === p[k]) k++;
    t[i] = k;
  }
  return t;
}

const isWordUnit = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x5f);

/** Whether `p` occurs in `s` with no letter, digit or underscore right before or after it. */
function containsWord(s: Uint16Array, p: Uint16Array, table: Int32Array): boolean {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    while (k > 0 && s[i] !== p[k]) k = table[k - 1] ?? 0;
    if (s[i] === p[k]) k++;
    if (k === p.length) {
      const start = i - p.length + 1;
      if (!isWordUnit(s[start - 1]) && !isWordUnit(s[i + 1])) return true;
      k = table[k - 1] ?? 0;
    }
  }
  return false;
}
