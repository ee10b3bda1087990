// The statsig: file system. Reading a source gives its saved draft if there is one, otherwise
// Statsig's version (formatted JSON, from SourceState). Writing — VS Code's Save — only persists the
// draft locally and announces it with its DraftContext, so validation can run: nothing is ever sent
// to Statsig here. Each source also has a `.sql` view: its SQL as a document of its own (language
// sql, so Copilot, keybindings and SQL extensions work on it), read from and saved into the same
// draft; a change to either tells VS Code about both.
import * as vscode from 'vscode';
import { revertsToBase, type DraftContext } from '../../core/draftContext.ts';
import { formatSource, parseDocument } from '../../core/document.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import type { DraftStore } from './drafts.ts';
import type { SourceState } from './sourceState.ts';
import { sqlOf, withSql } from '../../core/sqlView.ts';
import { conflictMarkersIn } from '../../core/merge.ts';
import { parseSourceUri, sourceOfSqlView, sqlViewUri } from './uris.ts';

/** A save: the text, what it started from, and the draft write it belongs to. */
export interface DraftSaved {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly context: DraftContext;
  readonly persisted: Promise<unknown>;
  /** This save resolved the last conflict of a merge: the draft is now based on the version it was merged with. */
  readonly resolvesMerge: boolean;
}

export class SourceFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly state: SourceState;
  private readonly drafts: DraftStore;
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;
  private readonly saved = this._register(new vscode.EventEmitter<DraftSaved>());
  /** A draft was saved (VS Code's Save on a statsig: document). */
  readonly onDidSaveDraft = this.saved.event;
  private readonly reverted = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** A save brought the document back to the version it started from: there is no draft any more. */
  readonly onDidRevertToRemote = this.reverted.event;

  constructor(state: SourceState, drafts: DraftStore) {
    super();
    this.state = state;
    this.drafts = drafts;
    this._register(state.onDidChangeRemote((uri) => this.notifyChanged(uri)));
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (!parseSourceUri(uri) && !sourceOfSqlView(uri)) {
      // VS Code checks the folders above a file it writes; every folder "exists" (none can be made).
      if (uri.path.endsWith('.json')) throw vscode.FileSystemError.FileNotFound(uri);
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    try {
      const { bytes, mtime } = await this.read(uri, false);
      return { type: vscode.FileType.File, ctime: 0, mtime, size: bytes.byteLength };
    } catch (error) {
      // Offline, a save must still reach the draft store: say "a file, time unknown" rather than fail.
      if (error instanceof vscode.FileSystemError && error.code === 'Unavailable') return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: 0 };
      throw error;
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.read(uri, true)).bytes;
  }

  private async read(uri: vscode.Uri, forDocument: boolean): Promise<{ bytes: Uint8Array; mtime: number }> {
    const view = sourceOfSqlView(uri);
    if (view) {
      const { bytes, mtime } = await this.read(view.uri, forDocument);
      const sql = sqlOf(view.ref.kind, new TextDecoder().decode(bytes));
      if (!sql.ok) throw vscode.FileSystemError.Unavailable(sql.reason);
      // The same time as its source: VS Code's "the file has changed" check sees one version.
      return { bytes: new TextEncoder().encode(sql.sql), mtime };
    }
    const draft = await this.drafts.get(uri);
    if (draft) return { bytes: new TextEncoder().encode(draft.content), mtime: draft.savedAt };
    const remote = await this.state.read(uri);
    if (forDocument) this.state.markRead(uri, remote.data);
    return { bytes: new TextEncoder().encode(formatSource(remote.data)), mtime: remote.fetchedAt };
  }

  /** Tells VS Code the content changed (draft discarded, pushed, deleted): the source and its `.sql` view. */
  notifyChanged(uri: vscode.Uri): void {
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }, { type: vscode.FileChangeType.Changed, uri: sqlViewUri(uri) }]);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const view = sourceOfSqlView(uri);
    if (view) {
      // The SQL goes into the source's JSON as it is now (its draft, or Statsig's version), every other byte kept.
      const current = new TextDecoder().decode((await this.read(view.uri, false)).bytes);
      const next = withSql(view.ref.kind, current, new TextDecoder().decode(content));
      if (!next.ok) throw vscode.FileSystemError.NoPermissions(next.reason);
      return this.writeFile(view.uri, new TextEncoder().encode(next.json));
    }
    const text = new TextDecoder().decode(content);
    const existing = await this.drafts.get(uri);
    // A merge in progress concludes with the first save of valid JSON whose SQL has no conflict markers left:
    // Statsig's version it was merged with becomes the base (push then needs no Overwrite).
    const kind = parseSourceUri(uri)?.ref.kind;
    const resolvesMerge = existing?.merging !== undefined && kind !== undefined && conflictMarkersIn(kind, text) === 0;
    const context = this.state.contextFor(uri, resolvesMerge && existing?.merging ? { base: existing.merging.remote, isNew: false } : existing);
    if (!context) throw vscode.FileSystemError.NoPermissions('Not a Statsig source.');
    // Saved back to exactly the version it started from (undo, or the same edit reverted): no draft, no "M".
    const parsed = parseDocument(text);
    if (parsed.ok && revertsToBase(context, parsed.value)) {
      if (existing) await this.drafts.delete(uri);
      this.reverted.fire(uri);
      this.notifyChanged(uri);
      return;
    }
    // Validation starts while the draft is being written: it needs only the text and the context.
    const persisted = this.drafts.save(uri, text, context.base, context.isNew, { resolvesMerge });
    this.saved.fire({ uri, text, context, persisted, resolvesMerge });
    await persisted;
    this.notifyChanged(uri);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Statsig sources are not folders.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete a source from the Statsig view (it asks for confirmation).');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Statsig sources cannot be renamed from the file system.');
  }
}
