// Syntax errors a person understands, on the exact token. sqlparser-rs says "Expected: X, found: Y
// at Line: N, Column: M" (in code points of the text it parsed); this turns that into offsets in the
// user's text, finds the token's extent, and rewrites the message in plain words. Where the parser
// stops later than the real mistake — a misspelled keyword it took for an alias (`SELECT a FORM t`
// fails at `t`), a keyword where an expression belongs (`WHERE AND x` fails at `x`, and a final
// `WHERE AND` even parses, AND taken for a column) — token rules put the error where it belongs.
import type { DialectInfo } from './dialects.ts';
import type { Token } from './lexer.ts';
import { tokenAt } from './lexer.ts';

export interface SyntaxError {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

/** sqlparser-rs' error message, taken apart. */
export interface ParserMessage {
  readonly expected?: string;
  readonly found?: string;
  /** 1-based, in the parsed text; absent when the parser stopped at the end. */
  readonly line?: number;
  readonly column?: number;
  /** From the tokenizer (an unterminated string, quoted name or comment), not the parser. */
  readonly tokenizer: boolean;
  readonly text: string;
}

export function readParserMessage(raw: string): ParserMessage {
  const parser = raw.startsWith('sql parser error: ');
  let text = parser ? raw.slice('sql parser error: '.length) : raw;
  let line: number | undefined;
  let column: number | undefined;
  const at = /\s+at Line: (\d+), Column: (\d+)\s*$/.exec(text);
  if (at) {
    line = Number(at[1]);
    column = Number(at[2]);
    text = text.slice(0, at.index);
  }
  const m = /^Expected:? (.+?), found: (.+)$/s.exec(text);
  return { text, tokenizer: !parser, ...(line !== undefined ? { line, column } : {}), ...(m ? { expected: m[1], found: m[2] } : {}) };
}

// ------------------------------------------------------------------ keywords

/** Keywords that start a clause: after one, the next word is expected to be another or an expression. */
const CLAUSES = ['SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'JOIN', 'ON', 'USING'];
/** What a misspelled word is compared with ("did you mean …?"); shorter keywords are left out (too many identifiers are one letter away from IN or ON). */
const SPELLED = ['SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'QUALIFY', 'LIMIT', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'OUTER', 'CROSS', 'UNION', 'DISTINCT', 'BETWEEN', 'PARTITION', 'OVER', 'CASE', 'WHEN', 'THEN', 'ELSE', 'WITH', 'LIKE', 'ILIKE', 'EXISTS', 'INTERVAL', 'CAST', 'LATERAL', 'FLATTEN', 'UNNEST', 'NULL', 'TRUE', 'FALSE', 'FILTER', 'WINDOW', 'EXCEPT', 'EXCLUDE', 'REPLACE', 'RECURSIVE', 'ASC', 'DESC', 'OFFSET', 'NULLS', 'FIRST', 'LAST'];
/** Keywords no warehouse of the seven accepts as a column name without quotes. */
const RESERVED = new Set(['AND', 'OR', 'SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'QUALIFY', 'BY', 'ON', 'JOIN', 'UNION', 'INTERSECT', 'WHEN', 'THEN', 'ELSE', 'END', 'CASE', 'AS', 'LIMIT', 'BETWEEN', 'IN', 'IS', 'NOT', 'LIKE', 'DISTINCT', 'WITH']);
/** Words after which an expression must come. */
const EXPRESSION_AFTER = new Set(['WHERE', 'AND', 'OR', 'ON', 'HAVING', 'QUALIFY', 'WHEN', 'THEN', 'ELSE', 'NOT', 'BETWEEN']);
/** What cannot start an expression. */
const BINARY_ONLY = new Set(['AND', 'OR', '=', '<>', '!=', '<', '>', '<=', '>=', '||']);

const KEYWORD_OF: ReadonlyMap<string, string> = new Map(SPELLED.map((k) => [k, k]));

/** Damerau–Levenshtein distance, up to `max` (returns max + 1 beyond it). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? max + 1;
}

/** The keyword a word is a misspelling of (one edit away; two for words of six letters or more), if any. */
export function misspelledKeyword(word: string): string | undefined {
  const w = word.toUpperCase();
  if (w.length < 3 || KEYWORD_OF.has(w) || RESERVED.has(w) || !/^[A-Z]+$/.test(w)) return undefined;
  let best: string | undefined;
  let bestD = 99;
  for (const k of SPELLED) {
    const max = k.length >= 6 ? 2 : 1;
    const d = distance(w, k, max);
    if (d <= max && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

// ------------------------------------------------------------------ wording

/** How a token is named in a message: a keyword in capitals, anything else quoted. */
function shown(text: string, token: Token | undefined): string {
  if (!token) return 'the end of the query';
  const t = text.slice(token.from, token.to);
  const short = t.length > 40 ? `${t.slice(0, 40)}…` : t;
  if (token.kind === 'word' && RESERVED.has(token.upper ?? '')) return token.upper ?? t;
  return `"${short.replace(/\s+/g, ' ')}"`;
}

function expectedPhrase(expected: string): string {
  const e = expected.trim();
  if (e === 'an SQL statement') return 'a query (SELECT … or WITH …)';
  if (e === 'end of statement') return 'the end of the query';
  return e;
}

/** The span shown for a token: a string, quoted name or comment that never closes is marked to the end of its line. */
export function tokenSpan(text: string, token: Token): { from: number; to: number } {
  if (token.unclosed) {
    const eol = text.indexOf('\n', token.from);
    return { from: token.from, to: eol < 0 ? token.to : Math.max(token.from + 1, eol) };
  }
  return { from: token.from, to: Math.max(token.to, token.from + 1) };
}

function lastToken(tokens: readonly Token[]): Token | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]?.kind !== 'comment') return tokens[i];
  return undefined;
}

/** The `(` a `)` was expected for: the last one still open before token index `at`. */
function openParenBefore(text: string, tokens: readonly Token[], at: number): Token | undefined {
  const open: Token[] = [];
  for (let i = 0; i < at && i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'symbol') continue;
    const s = text.slice(t.from, t.to);
    if (s === '(') open.push(t);
    else if (s === ')') open.pop();
  }
  return open.at(-1);
}

/** "count(" for the ( of a call, else "(". */
function parenLabel(text: string, tokens: readonly Token[], paren: Token): string {
  const i = tokens.indexOf(paren);
  const before = tokens[i - 1];
  return before && before.to === paren.from && (before.kind === 'word' || before.kind === 'quoted') ? `${text.slice(before.from, before.to)}(` : '(';
}

function lineColumnOf(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * The error for a parse that failed: `offset` is where sqlparser-rs stopped, already mapped into the
 * user's text (undefined when it stopped at the end).
 */
export function describeParseError(text: string, tokens: readonly Token[], parsed: ParserMessage, offset: number | undefined): SyntaxError {
  // The tokenizer's errors: a string, quoted identifier or comment that never closes.
  if (parsed.tokenizer) {
    const unclosed = tokens.find((t) => t.unclosed);
    const what = /comment/i.test(parsed.text) ? 'comment' : /dollar/i.test(parsed.text) ? 'dollar-quoted string'
      : /string/i.test(parsed.text) ? 'string' : /delimiter '(.)'/.exec(parsed.text)?.[1] === "'" ? 'string' : 'quoted name';
    const closer = what === 'comment' ? '*/' : /delimiter '(.)'/.exec(parsed.text)?.[1] ?? (what === 'dollar-quoted string' ? '$$' : "'");
    const token = unclosed ?? (offset !== undefined ? tokens[tokenAt(tokens, offset)] : undefined);
    // A string that runs over a line break right before the one left open is usually the one
    // missing its closing quote: `= 'purchase` + a new line + `AND ds = '2024-01-01'`.
    if (token?.kind === 'string' && what === 'string') {
      const i = tokens.indexOf(token);
      const before = i > 0 ? tokens.slice(0, i).findLast((t) => t.kind === 'string') : undefined;
      if (before && text.slice(before.from, before.to).includes('\n')) {
        const eol = text.indexOf('\n', before.from);
        return { from: before.from, to: eol, message: `This string is not closed on its line (missing ${closer}?): it runs on to the next ${closer}, and the last ${closer} is left open.` };
      }
    }
    const span = token ? tokenSpan(text, token) : { from: Math.max(0, text.length - 1), to: text.length };
    if (/^Unexpected character/i.test(parsed.text) || !/unterminated|close delimiter|EOF while/i.test(parsed.text)) {
      return { ...span, message: `${parsed.text.replace(/\.$/, '')}: this character cannot appear here.` };
    }
    return { ...span, message: `This ${what} is never closed (missing ${closer}).` };
  }

  const index = offset === undefined ? tokens.length : tokenAt(tokens, offset);
  const token = offset === undefined ? undefined : tokens[index];
  const atEnd = !token || parsed.found === 'EOF';
  const found = atEnd ? undefined : token;
  const previous = tokens[(atEnd ? tokens.length : index) - 1];
  const span = found ? tokenSpan(text, found) : (() => {
    const last = lastToken(tokens);
    return last ? tokenSpan(text, last) : { from: 0, to: Math.min(1, text.length) };
  })();
  const expected = parsed.expected ?? '';
  const foundText = shown(text, found);

  // "expected OUTER, SEMI, ANTI or JOIN after LEFT": the token after the last LEFT before the stop.
  const after = /^expected (.+) after (\w+)\.?$/i.exec(parsed.text);
  if (after) {
    const word = (after[2] ?? '').toUpperCase();
    const end = atEnd ? tokens.length : index + 1;
    for (let i = Math.min(end, tokens.length) - 1; i >= 0; i--) {
      if (tokens[i]?.upper !== word) continue;
      const next = tokens[i + 1];
      return { ...(next ? tokenSpan(text, next) : tokenSpan(text, tokens[i] as Token)), message: `Expected ${after[1]} after ${word}, found ${shown(text, next)}.` };
    }
  }
  // GROUP, ORDER or PARTITION without BY.
  if (found && (found.upper === 'GROUP' || found.upper === 'ORDER' || found.upper === 'PARTITION') && tokens[index + 1]?.upper !== 'BY') {
    const next = tokens[index + 1];
    const isName = !next || next.kind === 'symbol' || NOT_AN_EXPRESSION.has(next.upper ?? '');
    return { ...span, message: isName ? `${found.upper} is a keyword, not a column name here (quote it to use it as a name).` : `Expected BY after ${found.upper}.` };
  }

  // A misspelled keyword: the token itself, or one just before where the parser gave up (taken for an alias).
  const candidates = [found, previous, tokens[(atEnd ? tokens.length : index) - 2]];
  for (const t of candidates) {
    if (!t || t.kind !== 'word') continue;
    const k = misspelledKeyword(text.slice(t.from, t.to));
    if (!k) continue;
    if (t !== found && expected !== 'end of statement' && expected !== 'an SQL statement') continue;
    return { ...tokenSpan(text, t), message: `"${text.slice(t.from, t.to)}" is not a keyword here: did you mean ${k}?` };
  }

  if (expected === 'an SQL statement') {
    if (previous && text.slice(previous.from, previous.to) === ';') {
      return { ...tokenSpan(text, previous), message: `This ; ends the query, but ${foundText} follows it: remove the ;.` };
    }
    return { ...span, message: `Expected a query (SELECT … or WITH …), found ${foundText}.` };
  }
  if (expected === 'end of statement' && found) {
    const s = text.slice(found.from, found.to);
    const up = found.upper ?? '';
    if (s === ')') return { ...span, message: 'This ) has no matching (.' };
    const beforeCall = tokens[index - 2];
    if (s === '(' && previous?.kind === 'word' && previous.to === found.from && beforeCall && isValueEnd(text, beforeCall)) {
      // `SELECT a COUNT(*)`: the call's name was taken for an alias of what precedes it.
      return { ...tokenSpan(text, previous), message: `Unexpected ${text.slice(previous.from, previous.to)}(…) after ${shown(text, beforeCall)}: is a comma missing before it?` };
    }
    if (CLAUSES.includes(up)) {
      return { ...span, message: `${up} cannot come here: the clauses go SELECT … FROM … WHERE … GROUP BY … HAVING … QUALIFY … ORDER BY … LIMIT.` };
    }
    if (previous && (previous.kind === 'word' || previous.kind === 'quoted' || previous.kind === 'number' || previous.kind === 'string' || text.slice(previous.from, previous.to) === ')')
      && (found.kind === 'word' || found.kind === 'quoted' || found.kind === 'number' || found.kind === 'string')) {
      return { ...span, message: `Unexpected ${foundText} after ${shown(text, previous)}: is a comma or an operator missing before it?` };
    }
    return { ...span, message: `Unexpected ${foundText}: the query should end before it (or something is missing before it).` };
  }
  if (expected === 'an expression') {
    const after = previous ? ` after ${shown(text, previous)}` : '';
    return { ...span, message: `Expected an expression${after}, found ${foundText}.` };
  }
  if (expected === ')') {
    const open = openParenBefore(text, tokens, atEnd ? tokens.length : index);
    const where = open ? ` to close the ${parenLabel(text, tokens, open)} at ${lineColumnOf(text, open.from)}` : '';
    return { ...span, message: `Expected )${where}, found ${foundText}.` };
  }
  if (expected === 'AND' && tokens.slice(0, atEnd ? tokens.length : index).some((t) => t.upper === 'BETWEEN')) {
    return { ...span, message: `BETWEEN needs AND (BETWEEN low AND high), found ${foundText}.` };
  }
  if (expected === 'identifier') {
    return { ...span, message: `Expected a name${previous ? ` after ${shown(text, previous)}` : ''}, found ${foundText}.` };
  }
  if (expected === 'a data type name') {
    return { ...span, message: `Expected a data type${previous ? ` after ${shown(text, previous)}` : ''}, found ${foundText}.` };
  }
  if (parsed.expected !== undefined) {
    return { ...span, message: `Expected ${expectedPhrase(expected)}, found ${foundText}.` };
  }
  return { ...span, message: `${parsed.text.replace(/\.$/, '')}.` };
}

// ------------------------------------------------------------------ token rules

export interface RuleError extends SyntaxError {
  /**
   * Where the mistake's reach starts: the parser's own error is replaced by this one when it stops
   * at or after this point (for a CASE, its start: sqlparser-rs may stop early inside a broken CASE).
   */
  readonly scopeFrom: number;
}

/** Clauses that cannot follow a word after which an expression must come. */
const NOT_AN_EXPRESSION = new Set(['FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'QUALIFY', 'LIMIT', 'JOIN', 'UNION', 'INTERSECT', 'MINUS', 'WINDOW']);
/** What cannot name a table right after FROM or JOIN. */
const NOT_A_TABLE = new Set(['WHERE', 'GROUP', 'ORDER', 'HAVING', 'QUALIFY', 'LIMIT', 'JOIN', 'ON', 'UNION', 'FROM', 'SELECT']);
/** Words that never end or start a value inside a WHEN … THEN condition (for the "missing THEN" search). */
const NOT_VALUES = new Set(['AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'BETWEEN', 'AS', 'ESCAPE', 'COLLATE', 'DATE', 'TIME', 'TIMESTAMP', 'INTERVAL',
  'DAY', 'DAYS', 'HOUR', 'HOURS', 'MINUTE', 'MINUTES', 'SECOND', 'SECONDS', 'MONTH', 'MONTHS', 'YEAR', 'YEARS', 'WEEK', 'WEEKS', 'DISTINCT', 'FROM', 'ANY', 'ALL', 'SOME', 'EXISTS', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END']);

/** Operators after which an expression must come (not `*`, which is also the wildcard). */
const OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '/', '%', '||']);

/** Whether token `i` is where a query body starts: the text's start, after `(`, or after a set operation. */
function startsQuery(tokens: readonly Token[], i: number, text: string): boolean {
  let j = i - 1;
  while (j >= 0 && (tokens[j]?.upper === 'ALL' || tokens[j]?.upper === 'DISTINCT')) j--;
  const before = tokens[j];
  if (!before) return true;
  const up = before.upper ?? '';
  return up === 'UNION' || up === 'INTERSECT' || up === 'EXCEPT' || up === 'MINUS' || (before.kind === 'symbol' && text.slice(before.from, before.to) === '(' && j === i - 1);
}

interface CaseFrame {
  readonly token: Token;
  readonly depth: number;
  state: 'case' | 'when' | 'then' | 'else';
  /** Index of the last WHEN. */
  when: number;
}

const isValueEnd = (text: string, t: Token) => (t.kind === 'word' ? !NOT_VALUES.has(t.upper ?? '')
  : t.kind === 'number' || t.kind === 'string' || t.kind === 'quoted' || t.kind === 'macro' || [')', ']'].includes(text.slice(t.from, t.to)));
const isValueStart = (t: Token) => (t.kind === 'word' ? !NOT_VALUES.has(t.upper ?? '') : t.kind === 'number' || t.kind === 'string' || t.kind === 'quoted' || t.kind === 'macro');

/**
 * Mistakes the token stream shows by itself, whatever the parser makes of them (the first one):
 * a keyword where an expression must start (`WHERE AND`, `AND OR`, `ON WHERE`, `(OR`), a clause
 * where a table belongs (`FROM WHERE`, `FROM SELECT`), `OVER PARTITION BY` without parentheses,
 * an alias that is a keyword (`AS FROM`), nothing selected (`SELECT FROM`), a comma before FROM
 * where the dialect does not allow one, a WHEN without THEN, a CASE without END.
 */
export function tokenRules(text: string, tokens: readonly Token[], dialect: DialectInfo): RuleError | undefined {
  const cases: CaseFrame[] = [];
  let depth = 0;
  const at = (t: Token, message: string, scopeFrom = t.from): RuleError => ({ ...tokenSpan(text, t), message, scopeFrom });
  const symbol = (t: Token | undefined) => (t && t.kind === 'symbol' ? text.slice(t.from, t.to) : '');
  const missingThen = (frame: CaseFrame, end: number): RuleError => {
    for (let i = frame.when + 1, d = 0; i + 1 < end; i++) {
      const t = tokens[i] as Token;
      const s = symbol(t);
      if (s === '(' || s === '[') d++;
      else if (s === ')' || s === ']') d--;
      const next = tokens[i + 1] as Token;
      if (d === 0 && isValueEnd(text, t) && isValueStart(next)) return at(next, `Expected THEN before ${shown(text, next)}.`, frame.token.from);
    }
    const stop = tokens[end];
    return stop ? at(stop, `Expected THEN after the WHEN condition, found ${shown(text, stop)}.`, frame.token.from) : at(frame.token, 'This CASE has a WHEN without THEN.', frame.token.from);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1];
    const up = t.upper;
    const s = symbol(t);
    const nextWord = next?.kind === 'word' ? next.upper ?? '' : '';
    const nextText = next ? (next.kind === 'word' ? nextWord : symbol(next)) : '';
    if (s === '(' || s === '[') depth++;
    else if (s === ')' || s === ']') depth--;
    if (next && ((up && EXPRESSION_AFTER.has(up)) || s === '(' || s === ',' || OPERATORS.has(s))) {
      const after = up ?? `"${s}"`;
      if (BINARY_ONLY.has(nextText)) return at(next, `Expected an expression after ${after}, found ${next.kind === 'word' ? nextText : `"${nextText}"`}.`);
      if (up && NOT_AN_EXPRESSION.has(nextWord)) return at(next, `Expected an expression after ${up}, found ${nextWord}.`);
    }
    if (s === ',' && symbol(next) === ')' && !dialect.trailingCommasInLists) {
      return at(t, `Remove this comma: nothing follows it before ) (${dialect.label} does not allow a trailing comma there).`);
    }
    if (up === 'FROM' && !dialect.fromFirst && startsQuery(tokens, i, text)) {
      return at(t, `Expected SELECT, found FROM: a ${dialect.label} query starts with SELECT (or WITH).`);
    }
    if ((up === 'FROM' || up === 'JOIN') && next && NOT_A_TABLE.has(nextWord)) {
      return at(next, nextWord === 'SELECT' ? `A subquery after ${up} needs parentheses: (SELECT …).` : `Expected a table after ${up}, found ${nextWord}.`);
    }
    if (up === 'OVER' && (nextWord === 'PARTITION' || nextWord === 'ORDER')) {
      return at(next as Token, `Expected ( after OVER: OVER (${nextWord} BY …).`);
    }
    if (up === 'AS' && next?.kind === 'word' && NOT_A_TABLE.has(nextWord) && nextWord !== 'ON') {
      return at(next, `Expected a name after AS, found ${nextWord}.`);
    }
    if (up === 'SELECT' && nextWord === 'FROM') {
      return at(next as Token, 'Expected the columns to select after SELECT, found FROM.');
    }
    if (s === ',' && nextWord === 'FROM' && !dialect.trailingCommas) {
      return at(t, `Remove this comma: no column follows it before FROM (${dialect.label} does not allow a trailing comma).`);
    }
    const frame = cases.at(-1);
    if (up === 'CASE') cases.push({ token: t, depth, state: 'case', when: i });
    else if (frame && frame.depth === depth && t.kind === 'word') {
      if (up === 'WHEN') {
        if (frame.state === 'when') return missingThen(frame, i);
        frame.state = 'when';
        frame.when = i;
      } else if (up === 'THEN') frame.state = 'then';
      else if (up === 'ELSE') {
        if (frame.state === 'when') return missingThen(frame, i);
        frame.state = 'else';
      } else if (up === 'END') {
        if (frame.state === 'when') return missingThen(frame, i);
        cases.pop();
      }
    }
  }
  const unclosedCase = cases[0];
  if (unclosedCase) return at(unclosedCase.token, 'This CASE has no END.');
  return undefined;
}
