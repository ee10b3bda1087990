// Completion in the SQL editor and the Statsig macros' highlight. The vocabulary comes from the
// host (the dialect's keywords and functions, the macros, other sources' tables and columns); the
// names of the query itself (CTEs, aliases) and its output columns are read here, from the text and
// the host's typing analysis. lang-sql's own completion is replaced (its keyword lists are large
// and not the warehouses'): `autocompletion({ override })`.
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import { StateEffect, StateField, type Extension } from '@codemirror/state';
import type { EditorView} from '@codemirror/view';
import { Decoration, MatchDecorator, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import type { SqlVocabulary } from '../shared/editorProtocol.ts';

export interface SqlNames {
  readonly vocabulary: SqlVocabulary;
  /** The current query's output columns (the host's typing analysis). */
  readonly outputColumns: readonly string[];
}

export const EMPTY_NAMES: SqlNames = {
  vocabulary: { keywords: [], functions: [], macros: [], tables: [], columns: [] },
  outputColumns: [],
};

export const setSqlNames = StateEffect.define<SqlNames>();

export const sqlNamesField = StateField.define<SqlNames>({
  create: () => EMPTY_NAMES,
  update: (value, tr) => tr.effects.reduce((v, e) => (e.is(setSqlNames) ? e.value : v), value),
});

const IDENT = '[A-Za-z_][A-Za-z0-9_$]*';
/** Words that follow a table or `)` without being its alias. */
const NOT_ALIASES = new Set([
  'where', 'on', 'using', 'join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'lateral', 'group', 'order',
  'having', 'qualify', 'limit', 'union', 'intersect', 'except', 'window', 'as', 'select', 'from', 'and', 'or', 'with', 'when',
  'then', 'else', 'end', 'over', 'partition', 'by', 'not', 'in', 'is', 'null', 'like', 'ilike', 'between', 'asc', 'desc',
  'sample', 'tablesample', 'pivot', 'unpivot', 'offset', 'fetch', 'for', 'values', 'set', 'into', 'recursive', 'filter',
]);

/** The text with its comments and strings blanked (same length), so names are read from code only. */
export function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^'\\]|\\.|'')*(?:'|$)/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** CTE names and aliases (tables, subqueries, columns) the query defines, each once, in order. */
export function queryNames(sql: string): { ctes: string[]; aliases: string[] } {
  const code = codeOnly(sql);
  const ctes: string[] = [];
  const aliases: string[] = [];
  const add = (list: string[], name: string | undefined) => {
    if (name && !NOT_ALIASES.has(name.toLowerCase()) && !list.includes(name)) list.push(name);
  };
  for (const m of code.matchAll(new RegExp(`(?:\\bwith(?:\\s+recursive)?|,)\\s*(${IDENT})\\s*(?:\\([^()]*\\)\\s*)?as\\s*\\(`, 'gi'))) add(ctes, m[1]);
  for (const m of code.matchAll(new RegExp(`\\bas\\s+(${IDENT})\\b(?!\\s*\\()`, 'gi'))) add(aliases, m[1]);
  for (const m of code.matchAll(new RegExp(`\\b(?:from|join)\\s+[A-Za-z0-9_$.\`"]+\\s+(${IDENT})\\b`, 'gi'))) add(aliases, m[1]);
  for (const m of code.matchAll(new RegExp(`\\)\\s+(${IDENT})\\b`, 'gi'))) add(aliases, m[1]);
  return { ctes, aliases: aliases.filter((a) => !ctes.includes(a)) };
}

const MACRO_PREFIX = /`?\{\s*[A-Za-z0-9_]*$/;

/** The completion list at the cursor (exported for tests through the editor). */
export function sqlCompletions(context: CompletionContext): CompletionResult | null {
  const names = context.state.field(sqlNamesField, false) ?? EMPTY_NAMES;
  const node = syntaxTree(context.state).resolveInner(context.pos, -1);
  if (/String|Comment/.test(node.name) && !context.explicit) return null;
  const macro = context.matchBefore(MACRO_PREFIX);
  if (macro) {
    return {
      from: macro.from,
      options: names.vocabulary.macros.map((m): Completion => ({
        label: `{${m.label}}`, type: 'constant', boost: 10, ...(m.detail !== undefined ? { info: m.detail, detail: 'macro' } : { detail: 'macro' }),
      })),
      validFor: /^`?\{\s*[A-Za-z0-9_]*\}?$/,
    };
  }
  const dotted = context.matchBefore(/[A-Za-z_][A-Za-z0-9_$.]*\.[A-Za-z0-9_$]*$/);
  if (dotted) {
    // `schema.` → the tables under it; `alias.` (anything else) → columns.
    const cut = dotted.text.lastIndexOf('.');
    const qualifier = dotted.text.slice(0, cut + 1).toLowerCase();
    const from = dotted.from + cut + 1;
    const tables = names.vocabulary.tables.filter((t) => t.toLowerCase().startsWith(qualifier)).map((t) => t.slice(qualifier.length));
    const options = tables.length > 0
      ? unique(tables).map((label) => ({ label, type: 'type', detail: 'table' }))
      : unique([...names.outputColumns, ...names.vocabulary.columns]).map((label) => ({ label, type: 'property' }));
    return { from, options, validFor: /^[A-Za-z0-9_$]*$/ };
  }
  const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_$]*$/);
  if (!word && !context.explicit) return null;
  const local = queryNames(context.state.doc.toString());
  const options: Completion[] = [
    ...local.ctes.map((name) => ({ label: name, type: 'class', detail: 'CTE', boost: 5 })),
    ...local.aliases.map((name) => ({ label: name, type: 'variable', detail: 'alias', boost: 4 })),
    ...names.outputColumns.map((name) => ({ label: name, type: 'property', detail: 'output column', boost: 3 })),
    ...names.vocabulary.tables.map((name) => ({ label: name, type: 'type', detail: 'table', boost: 2 })),
    ...names.vocabulary.columns.filter((c) => !names.outputColumns.includes(c)).map((name) => ({ label: name, type: 'property', detail: 'column', boost: 1 })),
    ...names.vocabulary.keywords.map((name) => ({ label: name, type: 'keyword' })),
    ...names.vocabulary.functions.map((name) => ({ label: name, type: 'function', detail: 'function' })),
    ...names.vocabulary.macros.map((m): Completion => ({ label: `{${m.label}}`, type: 'constant', detail: 'macro', ...(m.detail !== undefined ? { info: m.detail } : {}) })),
  ];
  return { from: word ? word.from : context.pos, options: dedupe(options), validFor: /^[A-Za-z0-9_$]*$/ };
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The first option of each label wins (a CTE over a table of the same name). */
function dedupe(options: readonly Completion[]): Completion[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.label) && (seen.add(o.label), true));
}

/** `{statsig_…}`, with the backticks Statsig's docs put around it and spaces inside the braces. */
const MACRO = /`?\{\s*statsig_[A-Za-z0-9_]*\s*\}`?/g;
const macroMark = Decoration.mark({ class: 'cm-statsig-macro' });
const macroDecorator = new MatchDecorator({ regexp: MACRO, decoration: () => macroMark });

/** Macros drawn in their own colour (a class; the theme gives it VS Code's colour, no inline style). */
export const macroHighlight = ViewPlugin.fromClass(class {
  decorations: DecorationSet;
  constructor(view: EditorView) {
    this.decorations = macroDecorator.createDeco(view);
  }
  update(update: ViewUpdate) {
    this.decorations = macroDecorator.updateDeco(update, this.decorations);
  }
}, { decorations: (plugin) => plugin.decorations });

export function sqlAssist(): Extension {
  return [
    sqlNamesField,
    macroHighlight,
    autocompletion({ override: [sqlCompletions], activateOnTyping: true, icons: false, defaultKeymap: false }),
  ];
}
