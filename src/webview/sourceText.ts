// The document text the host sends, as the value the form shows, or the reason it cannot be shown,
// phrased for the banner ("…: a comma was expected (line 4, column 3)"). The host's own parser
// (core/document.ts) words its problems for the Problems panel instead.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineColumn, nestingDepth, tooDeep } from '../core/document.ts';
import { MAX_DEPTH } from '../shared/jsonPath.ts';
import { isPlainObject } from '../shared/jsonPath.ts';

export type SourceText =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

const PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing brace was expected',
  CloseBracketExpected: 'a closing bracket was expected',
  EndOfFileExpected: 'unexpected text after the end of the JSON',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

export function parseSourceText(text: string): SourceText {
  // The form, its model and jsonc-parser recurse once per level: a deeper document is refused first.
  const nesting = nestingDepth(text);
  if (nesting.depth > MAX_DEPTH) {
    const message = tooDeep(nesting.depth);
    return { ok: false, message: message.charAt(0).toLowerCase() + message.slice(1), ...lineColumn(text, nesting.offset) };
  }
  let value: unknown;
  try {
    // JSON.parse for the value itself: it keeps a "__proto__" key as an ordinary property.
    value = JSON.parse(text);
  } catch (error) {
    return locateSyntaxError(text, error);
  }
  if (!isPlainObject(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, message: `a source must be a JSON object, not ${what}`, line: 1, column: 1 };
  }
  return { ok: true, value };
}

/** jsonc-parser (comments and trailing commas disallowed) tells where JSON.parse gave up. */
function locateSyntaxError(text: string, error: unknown): SourceText {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { ok: false, message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
  const code = printParseErrorCode(first.error);
  return { ok: false, message: PROBLEMS[code] ?? code, ...lineColumn(text, first.offset) };
}
