// Messages between the custom editor's host (extension) and its webview, in both directions.
// Each side parses what it receives with these schemas, at exactly one place.
//
// zod/mini (the same zod 4, with functions instead of methods): it tree-shakes, so the webview
// bundle carries ~13 KB of zod instead of ~450 KB for `import { z } from 'zod'`.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini loads no locale ("Invalid input" for everything); the classic import does this same call.
z.config(en());

export const JsonPathSchema = z.array(z.union([z.string(), z.int().check(z.nonnegative())]));

export const SqlFields = ['sql', 'query'] as const;
export const Severities = ['error', 'warning', 'info'] as const;
export const StatusTones = ['idle', 'busy', 'ok', 'warning', 'error'] as const;
export const EditorCommands = ['push', 'openAsText', 'save', 'formatSql'] as const;

// ------------------------------------------------------------------ host → webview

/**
 * The user's editor settings for SQL (`editor.fontFamily`, `editor.fontSize`, `editor.tabSize`, with
 * any `[sql]` override), as the host read them. A font the host could not read is left out: the
 * SQL editor then uses the theme's editor font variables.
 */
export const EditorSettings = z.object({
  fontFamily: z.optional(z.string().check(z.minLength(1), z.maxLength(1_000))),
  /** In CSS pixels. */
  fontSize: z.optional(z.number().check(z.gte(1), z.lte(200))),
  tabSize: z.int().check(z.gte(1), z.lte(100)),
});
export type EditorSettings = z.infer<typeof EditorSettings>;

/** A path pattern: `'*'` stands for any key or index (`['idTypeMapping', '*', 'column']`). */
export const PathPattern = z.array(z.string());

export const InitMessage = z.object({
  type: z.literal('init'),
  /** Kind id (e.g. `metricSource`). */
  kind: z.string(),
  title: z.string(),
  /** JSON Schema (draft-7) of the document, as produced by `jsonSchemaFor`. */
  schema: z.record(z.string(), z.unknown()),
  /** Top-level fields shown read-only, in addition to those the schema marks `readOnly`. */
  readOnlyPaths: z.array(z.string()),
  sqlField: z.enum(SqlFields),
  /** Value of the `sqlDialect` setting; unknown dialects fall back to standard SQL. */
  sqlDialect: z.string(),
  /** The whole document text. */
  text: z.string(),
  isNew: z.boolean(),
  editorSettings: EditorSettings,
  capabilities: z.object({ dryRun: z.boolean() }),
  /** The fields that name a column of the query's output (`descriptor.mappedColumns`): they offer the output columns. */
  columnFields: z.optional(z.array(PathPattern)),
});
export type InitMessage = z.infer<typeof InitMessage>;

/** The document changed (undo/redo, text edits, revert, or the echo of the webview's own edit). */
export const DocumentMessage = z.object({ type: z.literal('document'), text: z.string() });
export type DocumentMessage = z.infer<typeof DocumentMessage>;

export const SourceDiagnostic = z.object({
  path: JsonPathSchema,
  message: z.string(),
  severity: z.enum(Severities),
  /** Character offsets inside the SQL text, for diagnostics on the SQL field. */
  sqlRange: z.optional(z.object({ from: z.int().check(z.nonnegative()), to: z.int().check(z.nonnegative()) })),
});
export type SourceDiagnostic = z.infer<typeof SourceDiagnostic>;

/**
 * The items are read one by one: an item that does not parse (an index past 2^53 in a server's
 * error path, say) is dropped, and the others are still shown.
 */
export const DiagnosticsMessage = z.object({
  type: z.literal('diagnostics'),
  items: z.pipe(z.array(z.unknown()), z.transform((items) => items.flatMap((item) => {
    const parsed = SourceDiagnostic.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  }))),
  /** How many problems there are in all (a capped list leaves some out); the count the status line says. */
  counts: z.optional(z.object({ error: z.int().check(z.nonnegative()), warning: z.int().check(z.nonnegative()), info: z.int().check(z.nonnegative()) })),
});
export type DiagnosticsMessage = z.infer<typeof DiagnosticsMessage>;

export const StatusMessage = z.object({ type: z.literal('status'), tone: z.enum(StatusTones), text: z.string() });
export type StatusMessage = z.infer<typeof StatusMessage>;

export const ExtrasSection = z.object({
  title: z.string(),
  rows: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type ExtrasSection = z.infer<typeof ExtrasSection>;

/** Read-only panels under the form (ingestion schedule, latest runs, …). */
export const ExtrasMessage = z.object({ type: z.literal('extras'), sections: z.array(ExtrasSection) });
export type ExtrasMessage = z.infer<typeof ExtrasMessage>;

/** A word the SQL editor completes, with what it is (shown next to it). */
export const SqlWord = z.object({ label: z.string().check(z.minLength(1), z.maxLength(1_000)), detail: z.optional(z.string().check(z.maxLength(1_000))) });
export type SqlWord = z.infer<typeof SqlWord>;

/** What the SQL editor completes besides the names in the query itself. */
export const SqlVocabulary = z.object({
  /** The dialect's keywords and common functions (a small static list per dialect). */
  keywords: z.array(z.string()),
  functions: z.array(z.string()),
  /** The Statsig macros, without braces (`statsig_start_date`), with what each stands for. */
  macros: z.array(SqlWord),
  /** Tables and output columns seen in the project's other sources (as listed in the Sources tree). */
  tables: z.array(z.string()),
  columns: z.array(z.string()),
});
export type SqlVocabulary = z.infer<typeof SqlVocabulary>;

/**
 * Values to offer while typing, each part sent when known (a message without a part leaves it as
 * it was): the project's unit ID types (for `idTypeMapping[].statsigUnitID`) and the SQL editor's
 * vocabulary.
 */
export const SuggestionsMessage = z.object({
  type: z.literal('suggestions'),
  unitIdTypes: z.optional(z.array(z.string())),
  sql: z.optional(SqlVocabulary),
});
export type SuggestionsMessage = z.infer<typeof SuggestionsMessage>;

const Offset = z.int().check(z.nonnegative());

/** One SQL problem found while typing: offsets into the SQL text that was sent. */
export const SqlProblemItem = z.object({ from: Offset, to: Offset, severity: z.enum(Severities), message: z.string() });
export type SqlProblemItem = z.infer<typeof SqlProblemItem>;

/** An output column of the query: its name and the expression it comes from. */
export const SqlOutputColumn = z.object({ name: z.string(), expression: z.string() });
export type SqlOutputColumn = z.infer<typeof SqlOutputColumn>;

/**
 * The answer to `analyzeSql`: the SQL's problems in the project's dialect, and its output columns
 * (absent when the SQL does not parse as a query: the last ones known stand; `complete`: false when
 * some cannot be known locally, e.g. a `*` over a table).
 */
export const SqlAnalysisMessage = z.object({
  type: z.literal('sqlAnalysis'),
  seq: Offset,
  problems: z.array(SqlProblemItem),
  columns: z.optional(z.array(SqlOutputColumn)),
  complete: z.boolean(),
});
export type SqlAnalysisMessage = z.infer<typeof SqlAnalysisMessage>;

/** The user changed one of the editor settings above; the SQL editor follows at once. */
export const EditorSettingsMessage = z.object({ type: z.literal('editorSettings'), settings: EditorSettings });
export type EditorSettingsMessage = z.infer<typeof EditorSettingsMessage>;

export const HostMessage = z.discriminatedUnion('type', [
  InitMessage, DocumentMessage, DiagnosticsMessage, StatusMessage, ExtrasMessage, SuggestionsMessage, EditorSettingsMessage, SqlAnalysisMessage,
]);
export type HostMessage = z.infer<typeof HostMessage>;

// ------------------------------------------------------------------ webview → host

export const ReadyMessage = z.object({ type: z.literal('ready') });

/**
 * Set the value at `path` (the host applies it with jsonc-parser `modify`) or remove the key.
 * Tables and tags are sent whole, at the array's path.
 */
export const EditMessage = z
  .object({
    type: z.literal('edit'),
    path: JsonPathSchema.check(z.minLength(1, 'an edit needs a path inside the document')),
    value: z.optional(z.unknown()),
    remove: z.optional(z.literal(true)),
  })
  .check(z.refine((m) => (m.remove === true) !== (m.value !== undefined), 'an edit carries either a value or remove: true'));
export type EditMessage = z.infer<typeof EditMessage>;

/** A toolbar button or a key in the page: Save, Push, Open as JSON, Format SQL (Shift+Alt+F). */
export const CommandMessage = z.object({ type: z.literal('command'), command: z.enum(EditorCommands) });
export type CommandMessage = z.infer<typeof CommandMessage>;
export type EditorCommand = CommandMessage['command'];

/** Longest SQL sent for analysis while typing (the analysis itself stops checking at 100,000 characters). */
export const MAX_ANALYZED_SQL = 1_000_000;

/**
 * The SQL as typed, a moment after the typing paused, to be analysed in the project's dialect.
 * `seq` grows with every request; the webview keeps only the answer to its latest one.
 */
export const AnalyzeSqlMessage = z.object({ type: z.literal('analyzeSql'), seq: Offset, sql: z.string().check(z.maxLength(MAX_ANALYZED_SQL)) });
export type AnalyzeSqlMessage = z.infer<typeof AnalyzeSqlMessage>;

export const WebviewMessage = z.discriminatedUnion('type', [ReadyMessage, EditMessage, CommandMessage, AnalyzeSqlMessage]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

// ------------------------------------------------------------------ parsing

export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: z.prettifyError(result.error) };
}

export function parseHostMessage(input: unknown): Parsed<HostMessage> {
  return parseWith(HostMessage, input);
}

export function parseWebviewMessage(input: unknown): Parsed<WebviewMessage> {
  return parseWith(WebviewMessage, input);
}
