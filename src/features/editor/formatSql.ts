// Format SQL (the palette, Shift+Alt+F, the SQL editor's Format button). The SQL field of the
// source's JSON document is formatted here, in the extension host (src/shared/sqlFormat.ts: the
// dialect setting, Statsig's macros kept as typed), and the result goes back as one WorkspaceEdit
// of that one string: one step in VS Code's undo history, and the webview shows it like any other
// document change. When the formatter cannot read the SQL, nothing changes and the user is told why.
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import type { Logger } from '../../core/client.ts';
import { parseDocument, planEdit } from '../../core/document.ts';
import { editRefusal } from '../../core/editPolicy.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import type { SqlDialect } from '../../core/sql/dialects.ts';
import type { Prompts } from '../../platform/prompts.ts';
import type { DraftStore } from '../documents/drafts.ts';
import { parseSourceUri, sourceUriOf } from '../documents/uris.ts';
import type { CommandFactory } from '../services.ts';
import { readEditorSettings, sqlScope } from './editorSettings.ts';

/** What Format SQL did; the command returns it (the integration tests read it). */
export type FormatOutcome = 'formatted' | 'unchanged' | 'refused';

export interface FormatDeps {
  readonly drafts: DraftStore;
  /** The project's SQL dialect (Connections.dialectOf). */
  readonly connections: { dialectOf(projectId: string): SqlDialect };
  readonly prompts: Prompts;
  readonly log: Logger;
}

/** Formats the SQL of `document` (a `statsig:` source) in place, as one edit. Never throws for bad SQL. */
export async function formatSourceSql(document: vscode.TextDocument, { drafts, prompts, log, connections }: FormatDeps): Promise<FormatOutcome> {
  const parsed = parseSourceUri(document.uri);
  if (!parsed) {
    void prompts.info('Format SQL works on a Statsig source: open one from the Statsig view.');
    return 'refused';
  }
  const d = descriptor(parsed.ref.kind);
  const path = [d.sqlField];
  const label = refLabel(parsed.ref);
  const refuse = (why: string): FormatOutcome => {
    log('info', `Format SQL left ${label} unchanged: ${why}`);
    void prompts.warning(`Format SQL left "${label}" unchanged. ${why}`, {});
    return 'refused';
  };
  const refused = editRefusal(d.id, (await drafts.get(document.uri))?.isNew ?? false, path);
  if (refused) return refuse(`Its SQL cannot be changed here: ${refused}.`);
  // Loaded on first use: sql-formatter takes ~15 ms to evaluate, which the extension's start need not pay.
  const { formatSql } = await import('../../shared/sqlFormat.ts');
  // As the form's edits do: computed from the text as it is now, again if it changed meanwhile.
  for (let attempt = 0; attempt < 5; attempt++) {
    const text = document.getText();
    const version = document.version;
    const doc = parseDocument(text);
    if (!doc.ok) return refuse('The JSON of this source is not valid; fix it in the text editor first (Open as JSON).');
    const sql = doc.value[d.sqlField];
    if (typeof sql !== 'string') return refuse(sql === undefined ? `It has no "${d.sqlField}" field.` : `Its "${d.sqlField}" field does not hold text.`);
    const result = formatSql(sql, { dialect: connections.dialectOf(parsed.projectId), tabSize: readEditorSettings(sqlScope(document.uri)).tabSize });
    if (!result.ok) return refuse(result.message);
    if (result.sql === sql) return 'unchanged';
    const plan = planEdit(text, path, result.sql);
    if (!plan.ok) return refuse(plan.message);
    const edit = new vscode.WorkspaceEdit();
    for (const e of plan.edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    }
    if (document.version === version && (await vscode.workspace.applyEdit(edit))) return 'formatted';
  }
  return refuse('The document kept changing while it was being formatted; try again.');
}

/** `statsigWhn.formatSql`: the source given (a URI, a tree node) or the active one. */
export const formatSqlCommands: CommandFactory<typeof Commands.formatSql> = (services) => ({
  [Commands.formatSql]: async (arg?: unknown): Promise<FormatOutcome | undefined> => {
    const uri = sourceUriOf(arg);
    if (!uri) {
      void services.prompts.info('Open a Statsig source to format its SQL.');
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    return formatSourceSql(document, services);
  },
});
