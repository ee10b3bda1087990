// VS Code's context-key expression language (`when` and `enablement` clauses), scanned and parsed
// the way VS Code itself does it: a port of src/vs/platform/contextkey/common/scanner.ts and the
// `Parser` in contextkey.ts, with the configuration package.json clauses get
// (`ContextKeyExpr.deserialize` and the manifest linter `validateWhenClauses` both use
// `regexParsingWithErrorRecovery: false`). VS Code drops a clause it cannot parse — the menu item or
// keybinding then applies everywhere — so a unit test parses every clause of our package.json here.
//
// Grammar (VS Code's own comment):
//   expression    ::= or
//   or            ::= and { '||' and }*
//   and           ::= term { '&&' term }*
//   term          ::= '!' (KEY | true | false | parenthesized) | primary
//   primary       ::= 'true' | 'false' | parenthesized
//                   | KEY '=~' REGEX
//                   | KEY [ ('==' | '!=' | '<' | '<=' | '>' | '>=' | 'not' 'in' | 'in') value ]
//   parenthesized ::= '(' expression ')'
//   value         ::= 'true' | 'false' | 'in' | VALUE | SINGLE_QUOTED_STR | EMPTY_STR
// `===` and `!==` scan as `==` and `!=`. Quirks kept on purpose because VS Code has them: an empty
// value is accepted (`foo == ` compares with ''), a character no token can start with (`~`, `{`, …)
// is skipped without a lexing error, and `<`/`>` inside a key are part of the key (`vim.use<C-r>`).

type TokenType =
  | '(' | ')' | '!' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~'
  | 'RegexStr' | 'true' | 'false' | 'in' | 'not' | '&&' | '||' | 'Str' | 'QuotedStr' | 'Error' | 'EOF';

interface Token {
  readonly type: TokenType;
  readonly offset: number;
  readonly lexeme?: string;
  readonly isTripleEq?: boolean;
}

export interface WhenProblem {
  readonly message: string;
  readonly offset: number;
  readonly lexeme: string;
}

/** The parsed expression, kept close to the source (VS Code normalises; tests only need keys and shape). */
export type WhenExpr =
  | { readonly type: 'true' | 'false' }
  | { readonly type: 'has' | 'notHas'; readonly key: string }
  | { readonly type: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in'; readonly key: string; readonly value: string }
  | { readonly type: '=~'; readonly key: string; readonly regex: RegExp }
  | { readonly type: 'not'; readonly expr: WhenExpr }
  | { readonly type: '&&' | '||'; readonly exprs: readonly WhenExpr[] };

export interface WhenParse {
  /** What VS Code's parser returns; undefined when VS Code would drop the clause. */
  readonly expr: WhenExpr | undefined;
  readonly lexingErrors: readonly WhenProblem[];
  readonly parsingErrors: readonly WhenProblem[];
}

const KEYWORDS = new Map<string, TokenType>([['not', 'not'], ['in', 'in'], ['false', 'false'], ['true', 'true']]);
const REGEX_FLAGS = new Set(['i', 'g', 's', 'm', 'y', 'u']);
const STRING_RE = /[a-zA-Z0-9_<>\-./\\:*?+[\]^,#@;"%$\p{L}-]+/uy;

function lexemeOf(token: Token): string {
  switch (token.type) {
    case '==': return token.isTripleEq ? '===' : '==';
    case '!=': return token.isTripleEq ? '!==' : '!=';
    case 'RegexStr': case 'Str': case 'QuotedStr': case 'Error': return token.lexeme ?? '';
    default: return token.type;
  }
}

export function scan(input: string): { tokens: Token[]; errors: WhenProblem[] } {
  const tokens: Token[] = [];
  const errors: WhenProblem[] = [];
  let start = 0;
  let current = 0;
  const atEnd = () => current >= input.length;
  const match = (ch: string) => {
    if (atEnd() || input[current] !== ch) return false;
    current++;
    return true;
  };
  const add = (type: TokenType) => tokens.push({ type, offset: start });
  const error = (hint: string) => {
    const lexeme = input.substring(start, current);
    errors.push({ message: `Unexpected token. ${hint}`, offset: start, lexeme });
    tokens.push({ type: 'Error', offset: start, lexeme });
  };

  while (!atEnd()) {
    start = current;
    const ch = input[current++];
    switch (ch) {
      case '(': add('('); break;
      case ')': add(')'); break;
      case '!':
        if (match('=')) tokens.push({ type: '!=', offset: start, isTripleEq: match('=') });
        else add('!');
        break;
      case '\'': {
        while (!atEnd() && input[current] !== '\'') current++;
        if (atEnd()) { error('Did you forget to open or close the quote?'); break; }
        current++;
        tokens.push({ type: 'QuotedStr', lexeme: input.substring(start + 1, current - 1), offset: start + 1 });
        break;
      }
      case '/': {
        let p = current;
        let inEscape = false;
        let inClass = false;
        let closed = false;
        while (p < input.length) {
          const c = input[p];
          if (inEscape) inEscape = false;
          else if (c === '/' && !inClass) { p++; closed = true; break; }
          else if (c === '[') inClass = true;
          else if (c === '\\') inEscape = true;
          else if (c === ']') inClass = false;
          p++;
        }
        current = p;
        if (!closed) { error('Did you forget to escape the \'/\' (slash) character?'); break; }
        while (current < input.length && REGEX_FLAGS.has(input[current] ?? '')) current++;
        tokens.push({ type: 'RegexStr', lexeme: input.substring(start, current), offset: start });
        break;
      }
      case '=':
        if (match('=')) tokens.push({ type: '==', offset: start, isTripleEq: match('=') });
        else if (match('~')) add('=~');
        else error('Did you mean == or =~?');
        break;
      case '<': add(match('=') ? '<=' : '<'); break;
      case '>': add(match('=') ? '>=' : '>'); break;
      case '&':
        if (match('&')) add('&&'); else error('Did you mean &&?');
        break;
      case '|':
        if (match('|')) add('||'); else error('Did you mean ||?');
        break;
      case ' ': case '\r': case '\t': case '\n': case '\u00A0':
        break;
      default: {
        STRING_RE.lastIndex = start;
        const m = STRING_RE.exec(input);
        if (m) {
          current = start + m[0].length;
          const lexeme = input.substring(start, current);
          const keyword = KEYWORDS.get(lexeme);
          if (keyword) add(keyword);
          else tokens.push({ type: 'Str', lexeme, offset: start });
        }
        // No match: VS Code skips the character without a token or an error.
      }
    }
  }
  start = current;
  add('EOF');
  return { tokens, errors };
}

class ParseError extends Error {}

export function parseWhen(input: string): WhenParse {
  const parsingErrors: WhenProblem[] = [];
  if (input === '') {
    return { expr: undefined, lexingErrors: [], parsingErrors: [{ message: 'Empty context key expression', offset: 0, lexeme: '' }] };
  }
  const { tokens, errors: lexingErrors } = scan(input);
  let current = 0;

  const peek = (): Token => tokens[current] as Token;
  const isAtEnd = () => peek().type === 'EOF';
  const previous = (): Token => tokens[current - 1] as Token;
  const advance = (): Token => {
    if (!isAtEnd()) current++;
    return previous();
  };
  const check = (type: TokenType) => peek().type === type;
  const matchOne = (type: TokenType) => {
    if (!check(type)) return false;
    advance();
    return true;
  };
  const expectedButGot = (expected: string, got: Token): ParseError => {
    parsingErrors.push({ message: `Expected: ${expected}. Received: '${lexemeOf(got)}'.`, offset: got.offset, lexeme: lexemeOf(got) });
    return new ParseError();
  };
  const consume = (type: TokenType, message: string) => {
    if (check(type)) return advance();
    throw expectedButGot(message, peek());
  };

  const expr = (): WhenExpr => or();
  const or = (): WhenExpr => {
    const exprs = [and()];
    while (matchOne('||')) exprs.push(and());
    return exprs.length === 1 ? exprs[0] as WhenExpr : { type: '||', exprs };
  };
  const and = (): WhenExpr => {
    const exprs = [term()];
    while (matchOne('&&')) exprs.push(term());
    return exprs.length === 1 ? exprs[0] as WhenExpr : { type: '&&', exprs };
  };
  const term = (): WhenExpr => {
    if (matchOne('!')) {
      const next = peek();
      switch (next.type) {
        case 'true': advance(); return { type: 'false' };
        case 'false': advance(); return { type: 'true' };
        case '(': {
          advance();
          const inner = expr();
          consume(')', 'closing parenthesis \')\'');
          return { type: 'not', expr: inner };
        }
        case 'Str': advance(); return { type: 'notHas', key: next.lexeme ?? '' };
        default: throw expectedButGot('KEY | true | false | \'(\' expression \')\'', next);
      }
    }
    return primary();
  };
  const value = (): string => {
    const token = peek();
    switch (token.type) {
      case 'Str': case 'QuotedStr': advance(); return token.lexeme ?? '';
      case 'true': advance(); return 'true';
      case 'false': advance(); return 'false';
      case 'in': advance(); return 'in';
      default: return ''; // VS Code accepts `foo == ` (extensions in the wild use it) and does not advance
    }
  };
  const primary = (): WhenExpr => {
    const token = peek();
    switch (token.type) {
      case 'true': advance(); return { type: 'true' };
      case 'false': advance(); return { type: 'false' };
      case '(': {
        advance();
        const inner = expr();
        consume(')', 'closing parenthesis \')\'');
        return inner;
      }
      case 'Str': {
        const key = token.lexeme ?? '';
        advance();
        if (matchOne('=~')) {
          const regexToken = peek();
          advance();
          if (regexToken.type !== 'RegexStr') throw expectedButGot('REGEX', regexToken);
          const lexeme = regexToken.lexeme ?? '';
          const closing = lexeme.lastIndexOf('/');
          const flags = closing === lexeme.length - 1 ? undefined : lexeme.substring(closing + 1).replace(/g|y/g, '');
          try {
            return { type: '=~', key, regex: new RegExp(lexeme.substring(1, closing), flags) };
          } catch {
            throw expectedButGot('REGEX', regexToken);
          }
        }
        if (matchOne('not')) {
          consume('in', '\'in\' after \'not\'');
          return { type: 'not in', key, value: value() };
        }
        const op = peek().type;
        switch (op) {
          case '==': case '!=': case '<': case '<=': case '>': case '>=': case 'in':
            advance();
            return { type: op, key, value: value() };
          default:
            return { type: 'has', key };
        }
      }
      case 'EOF':
        parsingErrors.push({ message: 'Unexpected end of expression', offset: token.offset, lexeme: '' });
        throw new ParseError();
      default:
        throw expectedButGot('true | false | KEY | KEY \'=~\' REGEX | KEY (\'==\' | \'!=\' | \'<\' | \'<=\' | \'>\' | \'>=\' | \'in\' | \'not\' \'in\') value', token);
    }
  };

  try {
    const result = expr();
    if (!isAtEnd()) {
      const next = peek();
      parsingErrors.push({ message: 'Unexpected token', offset: next.offset, lexeme: lexemeOf(next) });
      throw new ParseError();
    }
    return { expr: result, lexingErrors, parsingErrors };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { expr: undefined, lexingErrors, parsingErrors };
  }
}

/**
 * Everything wrong with a clause, as VS Code's manifest linter would report it (lexing errors first,
 * then parsing errors), plus one rule of ours that VS Code does not have: a comparison with an empty
 * value (`foo == `, `foo === `) is almost always a typo, so it is reported too.
 */
export function whenClauseProblems(input: string): string[] {
  const parsed = parseWhen(input);
  const problems = [...parsed.lexingErrors, ...parsed.parsingErrors].map((p) => `${p.message} (at ${p.offset}${p.lexeme ? `, '${p.lexeme}'` : ''})`);
  if (problems.length === 0 && parsed.expr && emptyComparisons(parsed.expr).length > 0) {
    problems.push(`compares ${emptyComparisons(parsed.expr).join(', ')} with an empty value (VS Code accepts it; it is a typo here)`);
  }
  return problems;
}

function emptyComparisons(e: WhenExpr): string[] {
  switch (e.type) {
    case '&&': case '||': return e.exprs.flatMap(emptyComparisons);
    case 'not': return emptyComparisons(e.expr);
    case '==': case '!=': case '<': case '<=': case '>': case '>=': case 'in': case 'not in':
      return e.value === '' ? [e.key] : [];
    default: return [];
  }
}

/** The context keys an expression reads (for `in`/`not in` also the key that holds the collection). */
export function contextKeysOf(e: WhenExpr): string[] {
  switch (e.type) {
    case 'true': case 'false': return [];
    case '&&': case '||': return e.exprs.flatMap(contextKeysOf);
    case 'not': return contextKeysOf(e.expr);
    case 'in': case 'not in': return [e.key, e.value];
    default: return [e.key];
  }
}
