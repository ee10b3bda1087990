// Runs the save pipeline (src/core/validation.ts) whenever a draft is saved, turns its problems into
// diagnostics on the exact text (Problems panel + editor markers), remembers the outcome for push,
// and tells the open editors. A newer save cancels the validation of an older one.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SourcesApi } from '../../core/api.ts';
import { refLabel } from '../../core/kinds.ts';
import type { Logger } from '../../core/client.ts';
import type { Problem } from '../../core/document.ts';
import { errorMessage, isStatsigApiError, type ValidationError } from '../../core/errors.ts';
import { descriptor } from '../../core/kinds.ts';
import { LineIndex, parseDocument, problemCounts } from '../../core/document.ts';
import { serverProblems, validateDraft, type StatusLine, type ValidationContext, type ValidationResult } from '../../core/validation.ts';
import { configureSqlParser, WASM_FILE } from '../../core/sql/parser.ts';
import type { SqlProblem } from '../../core/sql/index.ts';
import type { DraftContext } from '../../core/draftContext.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import type { Connections } from '../projects/connections.ts';
import { contentHash } from '../../core/draftFiles.ts';
import type { DraftStore } from './drafts.ts';
import type { SourceFileSystem } from './sourceFs.ts';
import type { SourceState } from './sourceState.ts';
import { problemsInSql, sqlOf } from '../../core/sqlView.ts';
import { parseSourceUri, sourceOfSqlView, sqlViewUri } from './uris.ts';
import { statusBarMessage } from '../../platform/notify.ts';
import { problemCountOf } from '../../shared/format.ts';

export interface ValidationEvent {
  readonly uri: vscode.Uri;
  readonly busy: boolean;
  readonly status: StatusLine | { readonly tone: 'busy'; readonly text: string };
  readonly problems: readonly Problem[];
  /** performance.now() when this validation began (the benchmark splits VS Code's save path from ours). */
  readonly startedAt: number;
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

const SOURCE_LABEL: Record<Problem['source'], string> = {
  json: 'Statsig (JSON)', schema: 'Statsig (schema)', sql: 'Statsig (SQL check)', statsig: 'Statsig dry run',
};

export function toDiagnostics(text: string, problems: readonly Problem[]): vscode.Diagnostic[] {
  const lines = new LineIndex(text);
  const position = (offset: number) => {
    const { line, character } = lines.position(offset);
    return new vscode.Position(line, character);
  };
  return problems.map((p) => {
    const d = new vscode.Diagnostic(new vscode.Range(position(p.range.start), position(p.range.end)), p.message, SEVERITY[p.severity]);
    d.source = SOURCE_LABEL[p.source];
    return d;
  });
}

/**
 * The problems for the Problems panel. A statsig: document is JSON: where VS Code's own JSON
 * support validates it (json.validate.enable), it reports syntax errors itself, so ours would show
 * twice. The custom editor still shows ours (it gets the whole list).
 */
function withoutDuplicates(uri: vscode.Uri, problems: readonly Problem[]): readonly Problem[] {
  const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
  const jsonValidates = doc?.languageId === 'json' && vscode.workspace.getConfiguration('json', uri).get<boolean>('validate.enable', true);
  return jsonValidates ? problems.filter((p) => !p.syntax) : problems;
}

export class DraftValidator extends Disposable {
  private readonly connections: Connections;
  private readonly drafts: DraftStore;
  private readonly state: SourceState;
  private readonly log: Logger;
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('statsig'));
  private readonly inflight = new Map<string, AbortController>();
  private readonly running = new Map<string, Promise<ValidationResult | undefined>>();
  private readonly latest = new Map<string, ValidationEvent>();
  /** The problems last shown per source, with the text they were found in (for its `.sql` view). */
  private readonly shown = new Map<string, { readonly text: string; readonly problems: readonly Problem[] }>();
  private readonly emitter = this._register(new vscode.EventEmitter<ValidationEvent>());
  readonly onDidChange = this.emitter.event;

  /**
   * `extensionPath`: where the extension is installed. The SQL parser's WebAssembly is read from its
   * dist/ by the first validation that parses SQL, never before (activation does not pay for it).
   */
  constructor(connections: Connections, drafts: DraftStore, state: SourceState, fs: SourceFileSystem, log: Logger, extensionPath: string) {
    super();
    configureSqlParser({ wasmPath: path.join(extensionPath, 'dist', WASM_FILE) });
    this.connections = connections;
    this.drafts = drafts;
    this.state = state;
    this.log = log;
    this._register(fs.onDidSaveDraft(({ uri, text, context, persisted }) => void this.validate(uri, text, context, persisted)));
    this._register(fs.onDidRevertToRemote((uri) => this.clear(uri, { tone: 'ok', text: 'Same as Statsig\'s version: no local changes.' })));
    // A project connected (again): open drafts whose dry run could not run are checked now, so an
    // editor does not keep saying "connect to Statsig" after it did.
    this._register(connections.onDidChange(() => this.recheckOpenDrafts()));
    // A `.sql` view shows its source's SQL problems while it is open.
    const follow = (doc: vscode.TextDocument) => {
      const source = sourceOfSqlView(doc.uri);
      if (source) this.setSqlViewDiagnostics(source.uri);
    };
    this._register(vscode.workspace.onDidOpenTextDocument(follow));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (sourceOfSqlView(doc.uri)) this.diagnostics.delete(doc.uri);
    }));
    this._register({ dispose: () => this.inflight.forEach((c) => c.abort()) });
  }

  /** Validates the open drafts of a project again (its SQL dialect changed, say). */
  recheckOpen(projectId: string): void {
    for (const draft of this.drafts.peekAll()) {
      const uri = vscode.Uri.parse(draft.uri);
      const open = vscode.workspace.textDocuments.some((t) => t.uri.toString() === draft.uri || t.uri.toString() === sqlViewUri(uri).toString());
      if (open && parseSourceUri(uri)?.projectId === projectId) void this.validate(uri, draft.content);
    }
  }

  private recheckOpenDrafts(): void {
    const connected = new Set(this.connections.current.map((p) => p.id));
    for (const draft of this.drafts.peekAll()) {
      const uri = vscode.Uri.parse(draft.uri);
      const projectId = parseSourceUri(uri)?.projectId;
      const open = vscode.workspace.textDocuments.some((t) => t.uri.toString() === draft.uri);
      if (!open || !projectId || !connected.has(projectId) || draft.validation?.state !== 'error' || this.running.has(draft.uri)) continue;
      void this.validate(uri, draft.content);
    }
  }

  /** The last thing said about a document (for an editor that opens later). */
  last(uri: vscode.Uri): ValidationEvent | undefined {
    return this.latest.get(uri.toString());
  }

  private publish(event: ValidationEvent): void {
    this.latest.set(event.uri.toString(), event);
    this.emitter.fire(event);
  }

  /** What validation checks against: the draft's context, the project's unit ID types and its SQL dialect. */
  private async validationContext(ctx: DraftContext): Promise<ValidationContext> {
    const connected = this.connections.current.some((p) => p.id === ctx.projectId);
    const unitIdTypes = connected ? await this.connections.unitIdTypes(ctx.projectId) : undefined;
    const dialect = this.connections.dialectOf(ctx.projectId);
    return { kind: ctx.kind, ref: ctx.ref, isNew: ctx.isNew, base: ctx.compareWith, dialect, merging: ctx.merging === true, ...(unitIdTypes ? { unitIdTypes } : {}) };
  }

  private async api(projectId: string): Promise<SourcesApi | undefined> {
    try {
      return (await this.connections.connection(projectId)).api;
    } catch {
      return undefined;
    }
  }

  /** Resolves when the validation in flight for this document (if any) has finished. */
  async settled(uri: vscode.Uri): Promise<void> {
    await this.running.get(uri.toString());
  }

  /**
   * `context`: what the save established (asked of SourceState when this run was not started by a
   * save); `persisted`: the draft write this validation belongs to (its outcome is stored after it).
   */
  validate(uri: vscode.Uri, text: string, context?: DraftContext, persisted: Promise<unknown> = Promise.resolve()): Promise<ValidationResult | undefined> {
    const key = uri.toString();
    const run = this.run(uri, text, context, persisted.catch(() => undefined));
    this.running.set(key, run);
    void run.finally(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
    return run;
  }

  private async run(uri: vscode.Uri, text: string, context: DraftContext | undefined, persisted: Promise<unknown>): Promise<ValidationResult | undefined> {
    const key = uri.toString();
    this.inflight.get(key)?.abort();
    const abort = new AbortController();
    this.inflight.set(key, abort);
    const draftContext = context ?? (await this.state.context(uri));
    if (!draftContext) return undefined;
    const ctx = await this.validationContext(draftContext);
    const d = descriptor(ctx.kind);
    const startedAt = performance.now();
    this.publish({ uri, busy: true, startedAt, status: { tone: 'busy', text: d.capabilities.dryRun ? 'Validating and running Statsig\'s dry run…' : 'Validating…' }, problems: this.latest.get(key)?.problems ?? [] });
    const started = Date.now();
    try {
      const result = await validateDraft(text, ctx, await this.api(draftContext.projectId), { signal: abort.signal });
      if (abort.signal.aborted) return undefined;
      this.setDiagnostics(uri, text, result.problems);
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      // Tell the user first; then remember the outcome with the draft (once the draft itself is on disk).
      this.publish({ uri, busy: false, status: result.status, problems: result.problems, startedAt });
      this.log('info', `Saved ${refLabel(ctx.ref)}: ${result.status.text} (${Date.now() - started} ms)`);
      await persisted;
      await this.drafts.setValidation(uri, { contentHash: contentHash(text), state: result.dryRun.state, errors, at: Date.now() });
      statusBarMessage(result.status.text, 8000, result.status.tone === 'ok' ? 'check' : result.status.tone === 'error' ? 'error' : 'warning');
      return result;
    } catch (error) {
      if (abort.signal.aborted || (isStatsigApiError(error) && error.kind === 'cancelled')) return undefined;
      const message = errorMessage(error);
      this.log('error', `Validating ${refLabel(ctx.ref)} failed: ${message}`);
      this.publish({ uri, busy: false, status: { tone: 'error', text: `Validation failed: ${message}` }, problems: [], startedAt });
      return undefined;
    } finally {
      if (this.inflight.get(key) === abort) this.inflight.delete(key);
    }
  }

  /** A push that Statsig rejected: its errors[] become the document's diagnostics. */
  showServerErrors(uri: vscode.Uri, text: string, error: ValidationError): void {
    const parsed = parseDocument(text);
    const ctxKind = parseSourceUri(uri)?.ref.kind;
    if (!parsed.ok || !ctxKind) return;
    const problems = serverProblems(text, parsed.root, descriptor(ctxKind), error);
    this.setDiagnostics(uri, text, problems);
    this.publish({ uri, busy: false, status: { tone: 'error', text: `Push failed: ${problemCountOf(problemCounts(problems))} from Statsig. Your draft is kept.` }, problems, startedAt: performance.now() });
  }

  /**
   * The source's problems on its document, and, while its `.sql` view is open, those inside the SQL
   * on the view at SQL positions (only while open: the Problems panel lists each problem once otherwise).
   */
  private setDiagnostics(uri: vscode.Uri, text: string, problems: readonly Problem[]): void {
    this.diagnostics.set(uri, toDiagnostics(text, withoutDuplicates(uri, problems)));
    this.shown.set(uri.toString(), { text, problems });
    this.setSqlViewDiagnostics(uri);
  }

  private setSqlViewDiagnostics(uri: vscode.Uri): void {
    const view = sqlViewUri(uri);
    const shown = this.shown.get(uri.toString());
    if (!shown || !vscode.workspace.textDocuments.some((d) => d.uri.toString() === view.toString())) {
      this.diagnostics.delete(view);
      return;
    }
    const { text, problems } = shown;
    const kind = parseSourceUri(uri)?.ref.kind;
    const sql = kind ? sqlOf(kind, text) : undefined;
    if (!kind || !sql?.ok) {
      this.diagnostics.delete(sqlViewUri(uri));
      return;
    }
    const inSql = problemsInSql(problems, descriptor(kind).sqlField, sql.sql.length).map(({ problem, from, to }) => ({ ...problem, range: { start: from, end: Math.max(to, from) } }));
    this.diagnostics.set(sqlViewUri(uri), toDiagnostics(sql.sql, inSql));
  }

  /**
   * While a `.sql` view has unsaved edits: its SQL as typed, checked locally (the dry run's problems
   * belong to the saved text and come back with the next save or a revert).
   */
  showAsTyped(uri: vscode.Uri, sql: string, problems: readonly SqlProblem[]): void {
    const asProblems = problems.map((p): Problem => ({ path: [], message: p.message, severity: p.severity, source: 'sql', range: { start: p.from, end: Math.max(p.to, p.from) } }));
    this.diagnostics.set(sqlViewUri(uri), toDiagnostics(sql, asProblems));
  }

  /** What the last validation found, on the `.sql` view again (it was saved or reverted). */
  showSaved(uri: vscode.Uri): void {
    this.setSqlViewDiagnostics(uri);
  }

  clear(uri: vscode.Uri, status?: StatusLine): void {
    this.diagnostics.delete(uri);
    this.diagnostics.delete(sqlViewUri(uri));
    this.shown.delete(uri.toString());
    this.publish({ uri, busy: false, status: status ?? { tone: 'ok', text: '' }, problems: [], startedAt: performance.now() });
  }
}
