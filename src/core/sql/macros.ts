// Statsig's SQL macros, replaced by literals of the warehouse's dialect before the SQL is parsed,
// with a map from the parsed text back to the user's, so every position found in the parsed text
// points into what the user wrote.
//
// The macros (https://docs.statsig.com/statsig-warehouse-native/configuration/query-tools):
// `{statsig_start_date}` and `{statsig_end_date}` (a DATE), `{statsig_start_date_int}` and
// `{statsig_end_date_int}` (20250301), `{statsig_experiment_start_timestamp}` (a TIMESTAMP;
// metric and entity property sources). `{statsig_start_ts}`, `{statsig_end_ts}`,
// `{statsig_start_timestamp}` and `{statsig_end_timestamp}` are accepted as timestamps too: they
// are not in Statsig's docs, but this project's emulator and issue use them (docs/sql.md).
// Statsig's docs write macros inside backticks (`{statsig_start_date}`): the backticks go with the macro.
import type { SqlDialect } from './dialects.ts';
import type { Token } from './lexer.ts';

export type MacroType = 'date' | 'dateInt' | 'timestamp';

export interface MacroInfo {
  readonly name: string;
  readonly type: MacroType;
  /** In Statsig's documentation (the others are accepted, see the header). */
  readonly documented: boolean;
  readonly end?: true;
}

export const STATSIG_MACROS: readonly MacroInfo[] = [
  { name: 'statsig_start_date', type: 'date', documented: true },
  { name: 'statsig_end_date', type: 'date', documented: true, end: true },
  { name: 'statsig_start_date_int', type: 'dateInt', documented: true },
  { name: 'statsig_end_date_int', type: 'dateInt', documented: true, end: true },
  { name: 'statsig_experiment_start_timestamp', type: 'timestamp', documented: true },
  { name: 'statsig_start_ts', type: 'timestamp', documented: false },
  { name: 'statsig_end_ts', type: 'timestamp', documented: false, end: true },
  { name: 'statsig_start_timestamp', type: 'timestamp', documented: false },
  { name: 'statsig_end_timestamp', type: 'timestamp', documented: false, end: true },
];

const BY_NAME = new Map(STATSIG_MACROS.map((m) => [m.name, m]));

/** A sample window for the literals (any date parses the same). */
const START = '2024-01-01';
const END = '2024-01-31';

/**
 * The literal a macro stands for while parsing. `DATE '…'` and `TIMESTAMP '…'` are typed literals
 * every one of the seven warehouses reads (Statsig itself writes DATE('…')); the int forms are numbers.
 */
export function macroLiteral(macro: MacroInfo, dialect: SqlDialect): string {
  void dialect; // the same literal is correct in all seven; kept as a parameter for a dialect that differs
  const day = macro.end ? END : START;
  switch (macro.type) {
    case 'date': return `DATE '${day}'`;
    case 'dateInt': return day.replaceAll('-', '');
    case 'timestamp': return `TIMESTAMP '${day} ${macro.end ? '23:59:59' : '00:00:00'}'`;
  }
}

export interface MacroUse {
  readonly from: number;
  readonly to: number;
  /** The name inside the braces, as written. */
  readonly name: string;
  /** Undefined for a `{statsig_…}` this extension does not know. */
  readonly macro: MacroInfo | undefined;
}

/** The name of a macro token: `{ statsig_x }` or `` `{statsig_x}` `` → statsig_x. */
export function macroName(text: string, token: Token): string {
  return text.slice(token.from, token.to).replace(/^`?\{\s*/, '').replace(/\s*\}`?$/, '');
}

export function lookupMacro(name: string): MacroInfo | undefined {
  return BY_NAME.get(name);
}

interface Replacement {
  /** In the user's text. */
  readonly from: number;
  readonly to: number;
  /** In the parsed text. */
  readonly parsedFrom: number;
  readonly parsedTo: number;
}

/** Offsets in the parsed text (macros replaced) → offsets in the user's text. */
export class OffsetMap {
  readonly #replacements: readonly Replacement[];

  constructor(replacements: readonly Replacement[]) {
    this.#replacements = replacements;
  }

  /**
   * The user's offset for a parsed offset. Inside a replaced macro, a start goes to the macro's
   * start and an end to its end, so a span that touches a macro covers all of it.
   */
  toSource(offset: number, side: 'start' | 'end' = 'start'): number {
    const list = this.#replacements;
    if (list.length === 0) return offset;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid]?.parsedFrom ?? 0) <= offset) lo = mid + 1;
      else hi = mid;
    }
    const r = list[lo - 1];
    if (!r) return offset;
    if (offset < r.parsedTo && (side === 'start' || offset > r.parsedFrom)) return side === 'start' ? r.from : r.to;
    if (offset === r.parsedFrom) return r.from;
    return r.to + (offset - r.parsedTo);
  }
}

export interface Substituted {
  /** What sqlparser-rs parses. */
  readonly text: string;
  readonly map: OffsetMap;
  readonly macros: readonly MacroUse[];
}

/** Replaces every macro token by its literal (an unknown `{statsig_…}` by NULL, so the rest still parses). */
export function substituteMacros(text: string, tokens: readonly Token[], dialect: SqlDialect): Substituted {
  const macros: MacroUse[] = [];
  const replacements: Replacement[] = [];
  const parts: string[] = [];
  let last = 0;
  let length = 0;
  for (const t of tokens) {
    if (t.kind !== 'macro') continue;
    const name = macroName(text, t);
    const macro = lookupMacro(name);
    macros.push({ from: t.from, to: t.to, name, macro });
    const literal = macro ? macroLiteral(macro, dialect) : 'NULL';
    parts.push(text.slice(last, t.from));
    length += t.from - last;
    replacements.push({ from: t.from, to: t.to, parsedFrom: length, parsedTo: length + literal.length });
    parts.push(literal);
    length += literal.length;
    last = t.to;
  }
  if (replacements.length === 0) return { text, map: new OffsetMap([]), macros };
  parts.push(text.slice(last));
  return { text: parts.join(''), map: new OffsetMap(replacements), macros };
}
