// A small SQL tokenizer, per dialect: enough to find the extent of the token an error points at,
// the tokens around it, Statsig's macros, and how deeply the SQL nests before sqlparser-rs sees it.
// It never fails: text it cannot read becomes one-character tokens, and a string, quoted name or
// comment that is never closed becomes one token to the end of the text (`unclosed` set).
// One pass, linear in the text.
import type { DialectInfo } from './dialects.ts';

export type TokenKind =
  /** A keyword or an unquoted identifier. */
  | 'word'
  /** A quoted identifier: "…", `…`. */
  | 'quoted'
  | 'string'
  | 'number'
  /** A Statsig macro: {statsig_start_date}, `{statsig_end_date}` (macros.ts). */
  | 'macro'
  /** An operator or any other punctuation: ( ) , . ; + <= :: … */
  | 'symbol'
  /** A comment (kept only when it is never closed, as an error's token). */
  | 'comment';

export interface Token {
  readonly kind: TokenKind;
  readonly from: number;
  readonly to: number;
  /** A word in upper case (keywords are compared so). */
  readonly upper?: string;
  /** A string, quoted identifier or block comment that runs to the end of the text. */
  readonly unclosed?: true;
}

const MULTI_SYMBOLS = ['|>', '->>', '<=>', '<=', '>=', '<>', '!=', '||', '::', '=>', '->', '**', '<<', '>>', ':=', '==', '!~', '~*', '@>', '<@'];

const MULTI_START = new Set(MULTI_SYMBOLS.map((s) => s.charCodeAt(0)));

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAsciiWord(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f /* _ */ || c === 0x24 /* $ */;
}

const LETTER = /[\p{L}\p{N}\p{M}]/u;

function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiWord(c);
  const cp = text.codePointAt(i) ?? c;
  return LETTER.test(String.fromCodePoint(cp));
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

/** The Statsig macro (`{ statsig_… }`) that starts at `i`, as its end; -1 when none does. */
function macroEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
  const start = j;
  while (j < text.length && isAsciiWord(text.charCodeAt(j))) j++;
  if (j === start || text.slice(start, start + 7).toLowerCase() !== 'statsig') return -1;
  while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
  return text.charCodeAt(j) === 0x7d /* } */ ? j + 1 : -1;
}

export function tokenize(text: string, dialect: DialectInfo): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  const push = (kind: TokenKind, from: number, to: number, unclosed = false) => {
    tokens.push(unclosed ? { kind, from, to, unclosed: true } : { kind, from, to });
  };
  /** The end of a quoted run opened at `from` by `quote` (doubled quotes and, if allowed, backslashes escape). */
  const quoted = (from: number, quote: number, backslash: boolean): number => {
    let j = from + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (backslash && c === 0x5c) {
        j += 2;
        continue;
      }
      if (c === quote) {
        if (text.charCodeAt(j + 1) === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return -1;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Comments.
    if ((c === 0x2d && next === 0x2d) || (c === 0x23 && dialect.hashComments) || (c === 0x2f && next === 0x2f && dialect.slashComments)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 0x2f && next === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        push('comment', i, n, true);
        i = n;
      } else {
        i = end + 2;
      }
      continue;
    }
    // Statsig macros: {statsig_…} and, as Statsig's docs write them, `{statsig_…}`.
    if (c === 0x7b /* { */) {
      const end = macroEnd(text, i);
      if (end > 0) {
        push('macro', i, end);
        i = end;
        continue;
      }
    }
    if (c === 0x60 /* ` */ && next === 0x7b) {
      const end = macroEnd(text, i + 1);
      if (end > 0 && text.charCodeAt(end) === 0x60) {
        push('macro', i, end + 1);
        i = end + 1;
        continue;
      }
    }
    // Strings: '…', dialect-specific "…", triple-quoted, $$…$$, and prefixed (E'…', r'…', b"…").
    const isQuote = (q: number) => q === 0x27 || (dialect.stringQuotes.includes('"') && q === 0x22);
    let prefix = 0;
    if (isAsciiWord(c) && !isDigit(c)) {
      // One or two letters glued to a quote (E'…', N'…', X'…', B'…', r'…', rb'…').
      const two = isAsciiWord(next) && isQuote(text.charCodeAt(i + 2)) ? 2 : 0;
      const len = isQuote(next) ? 1 : two;
      if (len > 0 && /^(?:[eEnNxXbBrR]|[rR][bB]|[bB][rR])$/.test(text.slice(i, i + len))) prefix = len;
    }
    const q = text.charCodeAt(i + prefix);
    if (isQuote(q)) {
      const from = i;
      const start = i + prefix;
      const raw = prefix > 0 && /[rR]/.test(text.slice(i, i + prefix));
      const backslash = !raw && (dialect.backslashEscapes || /^[eE]$/.test(text.slice(i, i + prefix)));
      let end: number;
      if (dialect.tripleQuotedStrings && text.charCodeAt(start + 1) === q && text.charCodeAt(start + 2) === q) {
        const closing = String.fromCharCode(q).repeat(3);
        const at = text.indexOf(closing, start + 3);
        end = at < 0 ? -1 : at + 3;
      } else {
        end = quoted(start, q, backslash);
      }
      if (end < 0) {
        push('string', from, n, true);
        i = n;
      } else {
        push('string', from, end);
        i = end;
      }
      continue;
    }
    if (c === 0x24 /* $ */ && dialect.dollarStrings) {
      const tagEnd = text.indexOf('$', i + 1);
      const tag = tagEnd < 0 ? '' : text.slice(i, tagEnd + 1);
      if (tag !== '' && /^\$[A-Za-z_]*\$$/.test(tag)) {
        const close = text.indexOf(tag, tagEnd + 1);
        if (close < 0) {
          push('string', i, n, true);
          i = n;
        } else {
          push('string', i, close + tag.length);
          i = close + tag.length;
        }
        continue;
      }
    }
    // Quoted identifiers.
    if ((c === 0x22 && dialect.identifierQuotes.includes('"')) || c === 0x60 || (c === 0x5b && dialect.identifierQuotes.includes('['))) {
      const end = quoted(i, c === 0x5b ? 0x5d : c, false);
      if (end < 0) {
        push('quoted', i, n, true);
        i = n;
      } else {
        push('quoted', i, end);
        i = end;
      }
      continue;
    }
    // Numbers: 12, 1.5, .5, 1e-3, 0x1F.
    if (isDigit(c) || (c === 0x2e && isDigit(next))) {
      let j = i + 1;
      if (c === 0x30 && (next === 0x78 || next === 0x58)) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(text[j] ?? '')) j++;
      } else {
        while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 0x2e || text.charCodeAt(j) === 0x5f)) j++;
        if ((text.charCodeAt(j) === 0x65 || text.charCodeAt(j) === 0x45) && (isDigit(text.charCodeAt(j + 1)) || ((text.charCodeAt(j + 1) === 0x2d || text.charCodeAt(j + 1) === 0x2b) && isDigit(text.charCodeAt(j + 2))))) {
          j += 2;
          while (j < n && isDigit(text.charCodeAt(j))) j++;
        }
      }
      // 1d, 10L, 1.5BD (Databricks suffixes) and 2x (an error) stay one token.
      while (j < n && isWordAt(text, j)) j++;
      push('number', i, j);
      i = j;
      continue;
    }
    if (isWordAt(text, i)) {
      let j = i;
      while (j < n && isWordAt(text, j)) j += (text.codePointAt(j) ?? 0) > 0xffff ? 2 : 1;
      tokens.push({ kind: 'word', from: i, to: j, upper: text.slice(i, j).toUpperCase() });
      i = j;
      continue;
    }
    const symbol = MULTI_START.has(c) ? MULTI_SYMBOLS.find((s) => text.startsWith(s, i)) : undefined;
    const width = symbol ? symbol.length : (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    push('symbol', i, i + width);
    i += width;
  }
  return tokens;
}

/** The index of the token that contains `offset`, else of the first token after it (tokens.length when none). */
export function tokenAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid]?.to ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
