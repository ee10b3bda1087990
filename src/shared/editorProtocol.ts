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

/** Values to offer while typing: the project's unit ID types (for `idTypeMapping[].statsigUnitID`). */
export const SuggestionsMessage = z.object({ type: z.literal('suggestions'), unitIdTypes: z.array(z.string()) });
export type SuggestionsMessage = z.infer<typeof SuggestionsMessage>;

/** The user changed one of the editor settings above; the SQL editor follows at once. */
export const EditorSettingsMessage = z.object({ type: z.literal('editorSettings'), settings: EditorSettings });
export type EditorSettingsMessage = z.infer<typeof EditorSettingsMessage>;

export const HostMessage = z.discriminatedUnion('type', [
  InitMessage, DocumentMessage, DiagnosticsMessage, StatusMessage, ExtrasMessage, SuggestionsMessage, EditorSettingsMessage,
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

export const WebviewMessage = z.discriminatedUnion('type', [ReadyMessage, EditMessage, CommandMessage]);
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
