// The custom editor: a webview (SQL in CodeMirror + a form for every other field) over the
// source's JSON TextDocument. The document is the source of truth — the webview sends edits, the
// host applies them as WorkspaceEdits (so undo/redo, dirty state, hot exit and Save are VS Code's
// own), and every document change is echoed back. Messages are validated with zod both ways.
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import type { SourcesApi } from '../../core/api.ts';
import { isIngestionRef, refKey, refLabel } from '../../core/kinds.ts';
import type { Logger } from '../../core/client.ts';
import { planEdit, problemCounts } from '../../core/document.ts';
import { jsonSchemaFor } from '../../core/jsonSchema.ts';
import { descriptor } from '../../core/kinds.ts';
import { IngestionReadDatasets, type IngestionReadDataset } from '../../core/schemas/ingestion.ts';
import { parseWebviewMessage, type ExtrasSection, type HostMessage } from '../../shared/editorProtocol.ts';
import { makeNonce, webviewHtml } from '../../shared/webviewHtml.ts';
import type { DraftStore } from '../documents/drafts.ts';
import { parseSourceUri } from '../documents/uris.ts';
import { jsonFileOf, type WorkspaceSources } from '../workspace/workspaceSources.ts';
import type { WorkspaceValidator } from '../workspace/workspaceValidator.ts';
import type { DraftValidator, ValidationEvent } from '../documents/validator.ts';
import type { Connections } from '../projects/connections.ts';
import type { Prompts } from '../../platform/prompts.ts';
import { formatDay, formatStatus, formatTimestamp } from '../../shared/format.ts';
import { formatPath } from '../../shared/jsonPath.ts';
import { editRefusal, readOnlyFields } from '../../core/editPolicy.ts';
import { errorMessage } from '../../core/errors.ts';
import { ingestionRuns, ingestionSchedule, ingestionStatus } from '../../core/ingestionExtras.ts';
import { affectsEditorSettings, readEditorSettings, sqlScope } from './editorSettings.ts';
import { formatSourceSql } from './formatSql.ts';
import { columnFields, sqlSuggestions, typingAnalysis } from './sqlAssist.ts';
import type { SourcesModel } from '../tree/sourcesModel.ts';

export class SourceEditorProvider implements vscode.CustomTextEditorProvider {
  private readonly extensionUri: vscode.Uri;
  private readonly connections: Connections;
  private readonly drafts: DraftStore;
  private readonly validator: DraftValidator;
  private readonly log: Logger;
  private readonly prompts: Prompts;
  private readonly model: SourcesModel;

  /** Sources as code: workspace sources' files (found by `sources`, validated by `validator`). */
  private readonly workspace: { readonly sources: WorkspaceSources; readonly validator: WorkspaceValidator } | undefined;

  constructor(extensionUri: vscode.Uri, connections: Connections, drafts: DraftStore, validator: DraftValidator, log: Logger, prompts: Prompts, model: SourcesModel, workspace?: { readonly sources: WorkspaceSources; readonly validator: WorkspaceValidator }) {
    this.workspace = workspace;
    this.prompts = prompts;
    this.model = model;
    this.extensionUri = extensionUri;
    this.connections = connections;
    this.drafts = drafts;
    this.validator = validator;
    this.log = log;
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    // A source of Statsig (statsig:), or a workspace source's files (statsig-workspace:, sources as code).
    const workspaceFile = jsonFileOf(document.uri) ? await this.workspace?.sources.find(document.uri) : undefined;
    const parsed = parseSourceUri(document.uri) ?? (workspaceFile ? { projectId: workspaceFile.root.projectId, ref: workspaceFile.ref } : undefined);
    if (!parsed) throw new Error(`Not a Statsig source: ${document.uri.toString()}`);
    const d = descriptor(parsed.ref.kind);
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = webviewHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      title: refLabel(parsed.ref),
    });
    let disposed = false;
    // A panel closed while an answer was on its way: drop the answer (posting would throw).
    const post = (message: HostMessage) => {
      if (!disposed) void panel.webview.postMessage(message);
    };
    const sendValidation = (e: ValidationEvent) => {
      post({ type: 'status', tone: e.status.tone, text: e.status.text });
      const { error, warning, info } = problemCounts(e.problems);
      post({
        type: 'diagnostics', counts: { error, warning, info },
        items: e.problems.map((p) => ({ path: [...p.path], message: p.message, severity: p.severity, ...(p.sqlRange ? { sqlRange: p.sqlRange } : {}) })),
      });
    };
    // The user's font and tab size, followed live (a [sql] override included).
    const scope = sqlScope(document.uri);
    let editorSettings = readEditorSettings(scope);
    let lastSent = '';
    const sendDocument = () => {
      const text = document.getText();
      if (text === lastSent) return;
      lastSent = text;
      post({ type: 'document', text });
    };

    const disposables: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === document.uri.toString() && e.contentChanges.length > 0) sendDocument();
      }),
      this.validator.onDidChange((e) => {
        if (e.uri.toString() === document.uri.toString()) sendValidation(e);
      }),
      ...(this.workspace ? [this.workspace.validator.onDidChange((e) => {
        if (e.uri.toString() === document.uri.toString()) sendValidation(e);
      })] : []),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsEditorSettings(e, scope)) return;
        const next = readEditorSettings(scope);
        if (JSON.stringify(next) === JSON.stringify(editorSettings)) return;
        editorSettings = next;
        post({ type: 'editorSettings', settings: next });
      }),
      // The other sources' tables and columns, again when the tree lists the project again; the
      // dialect's words again when the project's dialect changes (Set SQL Dialect…).
      this.model.onDidChange((change) => {
        if (ready && (!change || change.projectId === parsed.projectId)) sendSqlSuggestions();
      }),
      this.connections.onDidChange(() => {
        if (ready) sendSqlSuggestions();
      }),
      // One message at a time, in order: an edit is applied before the Save or Push sent after it.
      // The typing analysis answers at once (it reads only its own message, and takes well under a millisecond).
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (isAnalyzeRequest(raw)) {
          const result = parseWebviewMessage(raw);
          if (result.ok && result.message.type === 'analyzeSql') {
            post(typingAnalysis(result.message.seq, result.message.sql, this.connections.dialectOf(parsed.projectId)));
            return;
          }
        }
        queue = queue.then(() => handle(raw)).catch((error: unknown) => {
          this.log('error', `The editor of ${refLabel(parsed.ref)} failed to handle a message: ${errorMessage(error)}`);
        });
      }),
    ];
    let queue: Promise<void> = Promise.resolve();
    let ready = false;
    const sendSqlSuggestions = () => {
      try {
        post(sqlSuggestions(this.model, parsed.projectId, this.connections.dialectOf(parsed.projectId), refKey(parsed.ref)));
      } catch (error) {
        this.log('warn', `The SQL completions of ${refLabel(parsed.ref)} could not be gathered: ${errorMessage(error)}`);
      }
    };
    const handle = async (raw: unknown): Promise<void> => {
      const result = parseWebviewMessage(raw);
      if (!result.ok) {
        this.log('warn', `Ignored an invalid message from the editor of ${refLabel(parsed.ref)}: ${result.error}`);
        return;
      }
      const message = result.message;
      switch (message.type) {
        case 'ready': {
          const draft = await this.drafts.get(document.uri);
          const isNew = draft?.isNew ?? false;
          lastSent = document.getText();
          post({
            type: 'init',
            kind: d.id,
            title: refLabel(parsed.ref),
            schema: jsonSchemaFor(d.id),
            // The fields that name the source are its address (tab, tree, draft): never editable here.
            readOnlyPaths: readOnlyFields(d.id, isNew),
            sqlField: d.sqlField,
            sqlDialect: this.connections.dialectOf(parsed.projectId),
            text: lastSent,
            isNew,
            capabilities: { dryRun: d.capabilities.dryRun },
            editorSettings,
            columnFields: columnFields(d.id),
          });
          ready = true;
          sendSqlSuggestions();
          // Offered in the idTypeMapping table once known (read once per project; never delays the editor).
          if (this.connections.current.some((p) => p.id === parsed.projectId)) {
            void this.connections.unitIdTypes(parsed.projectId).then((names) => names && post({ type: 'suggestions', unitIdTypes: [...names] }));
          }
          const last = workspaceFile ? this.workspace?.validator.last(workspaceFile) : this.validator.last(document.uri);
          if (last) sendValidation(last);
          else if (workspaceFile) post({ type: 'status', tone: 'idle', text: `Files in your workspace (${vscode.workspace.asRelativePath(workspaceFile.jsonUri)} and its .sql). Save (Ctrl+S) writes and validates them; Push publishes them.` });
          else if (draft) post({ type: 'status', tone: 'idle', text: 'Saved draft, not pushed yet. Save (Ctrl+S) validates it; Push publishes it.' });
          else post({ type: 'status', tone: 'idle', text: 'As on Statsig. Save (Ctrl+S) validates your changes; nothing is published until you Push.' });
          if (isIngestionRef(parsed.ref)) {
            void this.ingestionExtras(parsed.projectId, parsed.ref.dataset, parsed.ref.sourceName).then((sections) => post({ type: 'extras', sections }));
          }
          return;
        }
        case 'edit': {
          // Never trust the page: read-only, identity and server-owned fields stay as they are.
          const refused = editRefusal(d.id, (await this.drafts.get(document.uri))?.isNew ?? false, message.path);
          if (refused) {
            this.log('warn', `Refused an edit from the editor of ${refLabel(parsed.ref)}: ${refused}.`);
            void this.prompts.warning(`That edit was not applied: ${refused}.`, {});
            post({ type: 'document', text: document.getText() });
            return;
          }
          await this.applyEdit(document, message.path, message.remove ? undefined : message.value);
          return;
        }
        case 'analyzeSql':
          post(typingAnalysis(message.seq, message.sql, this.connections.dialectOf(parsed.projectId)));
          return;
        case 'command':
          if (message.command === 'save') await document.save();
          // In this queue, so the typing sent before it is in the document it formats.
          else if (message.command === 'formatSql') await formatSourceSql(document, { drafts: this.drafts, prompts: this.prompts, log: this.log, connections: this.connections });
          // Push starts after the edits before it, but does not hold up the ones after it (it may wait on the user).
          else if (message.command === 'push') void vscode.commands.executeCommand(Commands.push, document.uri);
          // A workspace source's fields are its .source.json file (the SQL is its .sql file): that plain file, not the joined document.
          else if (workspaceFile) await vscode.commands.executeCommand('vscode.open', workspaceFile.jsonUri);
          else await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default');
          return;
      }
    };
    panel.onDidDispose(() => {
      disposed = true;
      for (const x of disposables) x.dispose();
    });
  }

  /**
   * Applies one field edit as a minimal text edit. The edit is computed from the text as it is now;
   * if the document changes in between (an undo, another editor), it is computed again, so an edit
   * is never dropped or applied to the wrong text.
   */
  private async applyEdit(document: vscode.TextDocument, path: readonly (string | number)[], value: unknown): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const text = document.getText();
      const version = document.version;
      const plan = planEdit(text, path, value);
      if (!plan.ok) {
        void this.prompts.warning(plan.message, {});
        return;
      }
      const edits = plan.edits;
      if (edits.length === 0) return;
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
      }
      if (document.version === version && (await vscode.workspace.applyEdit(edit))) return;
    }
    this.log('warn', `An edit of ${formatPath(path) || 'the source'} could not be applied: the document kept changing.`);
    void this.prompts.warning('An edit from the form could not be applied because the document kept changing; please make it again.', {});
  }

  /** Schedule, latest runs and load status of an ingestion source, read-only, from their endpoints. */
  async ingestionExtras(projectId: string, dataset: string, sourceName: string): Promise<ExtrasSection[]> {
    let api: SourcesApi;
    try {
      api = (await this.connections.connection(projectId)).api;
    } catch (error) {
      return [{ title: 'Schedule and runs', rows: [{ label: 'Could not load', value: errorMessage(error) }] }];
    }
    const sections: ExtrasSection[] = [];
    const failed = (title: string, error: unknown) => sections.push({ title, rows: [{ label: 'Could not load', value: errorMessage(error) }] });
    const readDataset = (IngestionReadDatasets as readonly string[]).includes(dataset) ? (dataset as IngestionReadDataset) : undefined;
    const today = new Date();
    const weekAgo = new Date(today.getTime() - 7 * 86_400_000);
    const day = (x: Date) => x.toISOString().slice(0, 10);
    await Promise.all([
      readDataset ? ingestionSchedule(api.client, readDataset).then(
        (s) => sections.push({ title: 'Schedule', rows: [{ label: 'Dataset', value: s.dataset }, { label: 'Daily at (PST)', value: `${String(s.scheduled_hour_pst).padStart(2, '0')}:00` }] }),
        (e: unknown) => failed('Schedule', e),
      ) : Promise.resolve(),
      ingestionRuns(api.client, 1).then(
        (runs) => {
          const mine = runs.filter((r) => r.sources.includes(sourceName)).slice(0, 5);
          sections.push({
            title: 'Latest runs',
            rows: mine.length ? mine.map((r) => ({ label: formatTimestamp(r.createdAt, today), value: `${formatStatus(r.latestStatus)} (${formatStatus(r.trigger).toLowerCase()})` })) : [{ label: 'Runs', value: 'No recent run of this source.' }],
          });
        },
        (e: unknown) => failed('Latest runs', e),
      ),
      ingestionStatus(api.client, { startDate: day(weekAgo), endDate: day(today), source: sourceName, ...(readDataset ? { dataset: readDataset } : {}) }).then(
        (rows) => sections.push({
          title: 'Load status (last 7 days)',
          rows: rows.length ? rows.slice(0, 7).map((r) => ({
            label: r.ds ? formatDay(r.ds) : r.timestamp ? formatTimestamp(r.timestamp, today) : '',
            value: [r.status ? formatStatus(r.status) : undefined, r.message, r.error_message].filter(Boolean).join(' — '),
          })) : [{ label: 'Status', value: 'Nothing loaded in the last 7 days.' }],
        }),
        (e: unknown) => failed('Load status', e),
      ),
    ]);
    const order = ['Schedule', 'Latest runs', 'Load status (last 7 days)'];
    return sections.sort((a, b) => order.indexOf(a.title) - order.indexOf(b.title));
  }
}

function isAnalyzeRequest(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'analyzeSql';
}
