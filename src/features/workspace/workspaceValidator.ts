// Saving a workspace source validates it exactly like a draft (src/core/validation.ts: the JSON,
// the schema, the SQL in the project's dialect, mapped columns, unit ID types, then Statsig's dry
// run when the project is connected): on save of its `.sql` file, its `.source.json` file or its
// one-document view (statsig-workspace:). The problems land on the files themselves, each at its
// place (core/sourceFindings.ts: the SQL's in the `.sql`, the others at their key in the
// `.source.json`); the folder format's own problems (a name that disagrees with its file) too.
// A `.sql` file is also checked as it is typed, like a `.sql` view.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SourcesApi } from '../../core/api.ts';
import type { Logger } from '../../core/client.ts';
import { parseDocument, type Problem } from '../../core/document.ts';
import { errorMessage, isStatsigApiError, type ValidationError } from '../../core/errors.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { placeProblem, type FileProblem } from '../../core/sourceFindings.ts';
import type { FolderProblem, LocalSource } from '../../core/sourceFiles.ts';
import { analyzeSql } from '../../core/sql/index.ts';
import { serverProblems, validateDraft, type ValidationResult } from '../../core/validation.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { statusBarMessage } from '../../platform/notify.ts';
import type { ValidationEvent } from '../documents/validator.ts';
import { toDiagnostics } from '../documents/validator.ts';
import type { Connections } from '../projects/connections.ts';
import { readRemote } from '../sources/pushSteps.ts';
import { workspaceDocumentUri, type WorkspaceFile, type WorkspaceSources } from './workspaceSources.ts';

const PAUSE_MS = 400;

/** What a validation of a workspace source found, for push. */
export interface WorkspaceValidation {
  readonly source: LocalSource | undefined;
  readonly result: ValidationResult | undefined;
  readonly errors: number;
}

export class WorkspaceValidator extends Disposable {
  private readonly sources: WorkspaceSources;
  private readonly connections: Connections;
  private readonly log: Logger;
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('statsig-workspace'));
  private readonly inflight = new Map<string, AbortController>();
  private readonly latest = new Map<string, ValidationEvent>();
  private readonly emitter = this._register(new vscode.EventEmitter<ValidationEvent>());
  /** A validation began or ended; `uri` is the source's statsig-workspace: document. */
  readonly onDidChange = this.emitter.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(sources: WorkspaceSources, connections: Connections, log: Logger) {
    super();
    this.sources = sources;
    this.connections = connections;
    this.log = log;
    this._register(vscode.workspace.onDidSaveTextDocument((doc) => void this.onSaved(doc.uri)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && e.document.uri.path.endsWith('.sql')) this.typed(e.document);
    }));
    this._register({ dispose: () => { this.inflight.forEach((c) => c.abort()); this.timers.forEach((t) => clearTimeout(t)); } });
  }

  private async onSaved(uri: vscode.Uri): Promise<void> {
    const file = await this.sources.find(uri);
    if (file) await this.validate(file);
  }

  last(file: WorkspaceFile): ValidationEvent | undefined {
    return this.latest.get(workspaceDocumentUri(file).toString());
  }

  private publish(event: ValidationEvent): void {
    this.latest.set(event.uri.toString(), event);
    this.emitter.fire(event);
  }

  /** Validates a workspace source as its files are on disk; a newer validation of it cancels this one. */
  async validate(file: WorkspaceFile): Promise<WorkspaceValidation> {
    const docUri = workspaceDocumentUri(file);
    const key = docUri.toString();
    this.inflight.get(key)?.abort();
    const abort = new AbortController();
    this.inflight.set(key, abort);
    const startedAt = performance.now();
    const label = refLabel(file.ref);
    try {
      const { source, problems: folderProblems } = await this.sources.readSource(file);
      if (!source) {
        this.showFolderProblems(file, folderProblems);
        const text = folderProblems[0]?.message ?? 'The source\'s files could not be read.';
        this.publish({ uri: docUri, busy: false, startedAt, status: { tone: 'error', text: `Not valid: ${text}` }, problems: [] });
        return { source: undefined, result: undefined, errors: Math.max(1, folderProblems.length) };
      }
      const projectId = file.root.projectId;
      const connected = this.connections.current.some((p) => p.id === projectId);
      const d = descriptor(file.ref.kind);
      this.publish({ uri: docUri, busy: true, startedAt, status: { tone: 'busy', text: connected && d.capabilities.dryRun ? 'Validating and running Statsig\'s dry run…' : 'Validating…' }, problems: this.latest.get(key)?.problems ?? [] });
      let api: SourcesApi | undefined;
      let remote: Record<string, unknown> | undefined;
      let unitIdTypes: readonly string[] | undefined;
      if (connected) {
        try {
          api = (await this.connections.connection(projectId)).api;
          [remote, unitIdTypes] = await Promise.all([readRemote(api, file.ref, abort.signal), this.connections.unitIdTypes(projectId)]);
        } catch (error) {
          if (abort.signal.aborted) return { source, result: undefined, errors: 0 };
          // Statsig could not be read: the local checks still run, and say why there is no dry run.
          this.log('warn', `Statsig's version of ${label} could not be read: ${errorMessage(error)}`);
          api = undefined;
        }
      }
      const text = JSON.stringify(source.data, null, 2);
      const ctx = { kind: file.ref.kind, ref: file.ref, isNew: remote === undefined && api !== undefined, base: remote, dialect: this.connections.dialectOf(projectId), ...(unitIdTypes ? { unitIdTypes } : {}) };
      const result = await validateDraft(text, ctx, api, { signal: abort.signal });
      if (abort.signal.aborted) return { source, result: undefined, errors: 0 };
      const placed = result.problems.map((p) => placeProblem(source, p, d.sqlField, parseDocument(source.jsonText)));
      this.show(file, source, placed);
      // The pipeline speaks of drafts; these are files.
      const status = { tone: result.status.tone, text: result.status.text.replace(/^Draft saved/, 'Saved') };
      this.publish({ uri: docUri, busy: false, startedAt, status, problems: result.problems });
      this.log('info', `Saved ${label} (workspace files): ${status.text}`);
      statusBarMessage(status.text, 8000, status.tone === 'ok' ? 'check' : status.tone === 'error' ? 'error' : 'warning');
      return { source, result, errors: result.problems.filter((p) => p.severity === 'error').length };
    } catch (error) {
      if (abort.signal.aborted || (isStatsigApiError(error) && error.kind === 'cancelled')) return { source: undefined, result: undefined, errors: 0 };
      const message = errorMessage(error);
      this.log('error', `Validating ${label} (workspace files) failed: ${message}`);
      this.publish({ uri: docUri, busy: false, startedAt, status: { tone: 'error', text: `Validation failed: ${message}` }, problems: [] });
      return { source: undefined, result: undefined, errors: 1 };
    } finally {
      if (this.inflight.get(key) === abort) this.inflight.delete(key);
    }
  }

  /** A push Statsig refused: its errors on the files. */
  showServerErrors(file: WorkspaceFile, source: LocalSource, error: ValidationError): void {
    const text = JSON.stringify(source.data, null, 2);
    const parsed = parseDocument(text);
    if (!parsed.ok) return;
    const d = descriptor(file.ref.kind);
    const problems = serverProblems(text, parsed.root, d, error);
    this.show(file, source, problems.map((p) => placeProblem(source, p, d.sqlField, parseDocument(source.jsonText))));
    this.publish({ uri: workspaceDocumentUri(file), busy: false, startedAt: performance.now(), status: { tone: 'error', text: `Push failed: Statsig refused it (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}). Your files are unchanged.` }, problems });
  }

  private show(file: WorkspaceFile, source: LocalSource, placed: readonly FileProblem[]): void {
    const on = (role: 'sql' | 'json', text: string | undefined) => toDiagnostics(text ?? '', placed.filter((p) => p.role === role).map((p) => asProblem(p)));
    this.diagnostics.set(file.jsonUri, on('json', source.jsonText));
    this.diagnostics.set(file.sqlUri, source.sqlText !== undefined ? on('sql', source.sqlText) : []);
    this.diagnostics.set(workspaceDocumentUri(file), []);
  }

  private showFolderProblems(file: WorkspaceFile, problems: readonly FolderProblem[]): void {
    const at = (p: FolderProblem) => {
      const pos = new vscode.Position(Math.max(0, (p.line ?? 1) - 1), Math.max(0, (p.column ?? 1) - 1));
      const d = new vscode.Diagnostic(new vscode.Range(pos, pos), p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Statsig (files)';
      return d;
    };
    const mine = (suffix: string) => problems.filter((p) => p.file.endsWith(suffix)).map(at);
    this.diagnostics.set(file.jsonUri, mine('.source.json'));
    this.diagnostics.set(file.sqlUri, mine('.sql'));
  }

  /** A `.sql` file of a workspace source being typed: its syntax, checked after a pause (until it is saved). */
  private typed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (doc.isClosed || !doc.isDirty) return;
      const file = this.sources.fileOf(doc.uri);
      if (!file || file.role !== 'sql') return;
      const sql = doc.getText();
      const analysis = analyzeSql(sql, this.connections.dialectOf(file.root.projectId));
      const problems = analysis.problems.map((p): Problem => ({ path: [], message: p.message, severity: p.severity, source: 'sql', range: { start: p.from, end: Math.max(p.to, p.from) } }));
      this.diagnostics.set(doc.uri, toDiagnostics(sql, problems));
    }, PAUSE_MS));
  }
}

function asProblem(p: FileProblem): Problem {
  return { path: [], message: p.message, severity: p.severity, source: p.source, range: { start: p.start, end: p.end } };
}
