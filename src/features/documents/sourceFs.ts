// The statsig: file system. Reading a source gives its saved draft if there is one, otherwise the
// remote object fetched from Statsig (formatted JSON). Writing — VS Code's Save — only persists the
// draft locally and announces it, so validation can run: nothing is ever sent to Statsig here.
import * as vscode from 'vscode';
import { refLabel } from '../../core/kinds.ts';
import { sameAsRemote } from '../../core/pushDecision.ts';
import { formatSource, parseDocument } from '../../core/document.ts';
import { descriptor } from '../../core/kinds.ts';
import { NotFoundError, isStatsigApiError } from '../../core/errors.ts';
import type { Connections } from '../projects/connections.ts';
import type { DraftStore } from './drafts.ts';
import { parseSourceUri } from './uris.ts';

interface Remote {
  readonly data: Record<string, unknown>;
  readonly fetchedAt: number;
}

export class SourceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly connections: Connections;
  private readonly drafts: DraftStore;
  private readonly remote = new Map<string, Remote>();
  /**
   * The remote object each document was last read from: the base of a draft started by saving it.
   * (Not the remote as it is at save time — that may have moved since the user started editing.)
   */
  private readonly readFrom = new Map<string, Record<string, unknown>>();
  private readonly fetching = new Map<string, Promise<Remote>>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readonly saved = new vscode.EventEmitter<{ uri: vscode.Uri; text: string; persisted: Promise<unknown> }>();
  readonly onDidChangeFile = this.changed.event;
  private readonly reverted = new vscode.EventEmitter<vscode.Uri>();
  /** A save brought the document back to Statsig's version: there is no draft any more. */
  readonly onDidRevertToRemote = this.reverted.event;
  /** A draft was saved (VS Code's Save on a statsig: document). */
  readonly onDidSaveDraft = this.saved.event;

  constructor(connections: Connections, drafts: DraftStore) {
    this.connections = connections;
    this.drafts = drafts;
  }

  dispose(): void {
    this.changed.dispose();
    this.saved.dispose();
    this.reverted.dispose();
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (!parseSourceUri(uri)) {
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
    const draft = await this.drafts.get(uri);
    if (draft) return { bytes: new TextEncoder().encode(draft.content), mtime: draft.savedAt };
    const remote = this.remote.get(uri.toString()) ?? (await this.fetch(uri));
    if (forDocument) this.readFrom.set(uri.toString(), remote.data);
    return { bytes: new TextEncoder().encode(formatSource(remote.data)), mtime: remote.fetchedAt };
  }

  /** Fetches the remote object (one request in flight per source). */
  fetch(uri: vscode.Uri): Promise<Remote> {
    const key = uri.toString();
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.load(uri).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  private async load(uri: vscode.Uri): Promise<Remote> {
    const parsed = parseSourceUri(uri);
    if (!parsed) throw vscode.FileSystemError.FileNotFound(uri);
    const { api, project } = await this.connections.connection(parsed.projectId);
    try {
      const record = await api.get(parsed.ref);
      const remote = { data: record.data, fetchedAt: Date.now() };
      this.remote.set(uri.toString(), remote);
      return remote;
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw vscode.FileSystemError.FileNotFound(`${refLabel(parsed.ref)} does not exist in "${project.label}" (deleted on Statsig?). Refresh the Statsig view.`);
      }
      if (isStatsigApiError(error)) throw vscode.FileSystemError.Unavailable(error.message);
      throw error;
    }
  }

  /** The remote object as last fetched, if any. */
  remoteOf(uri: vscode.Uri): Record<string, unknown> | undefined {
    return this.remote.get(uri.toString())?.data;
  }

  /** Remembers a remote object without touching open documents (a draft is shown over it). */
  rememberRemote(uri: vscode.Uri, data: Record<string, unknown>): void {
    this.remote.set(uri.toString(), { data, fetchedAt: Date.now() });
  }

  /** Remembers a remote object (after a push or a re-read) and lets open editors reload. */
  setRemote(uri: vscode.Uri, data: Record<string, unknown>): void {
    this.rememberRemote(uri, data);
    this.readFrom.set(uri.toString(), data);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /**
   * Re-reads the remote object and lets an open, clean document reload it: opening a source shows
   * what is on Statsig now, not what was fetched the last time it was open.
   */
  async refresh(uri: vscode.Uri): Promise<void> {
    this.remote.delete(uri.toString());
    await this.fetch(uri);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /** Forgets everything fetched for this source (the state of a window that has not read it yet). */
  forgetRemote(uri: vscode.Uri): void {
    this.remote.delete(uri.toString());
    this.readFrom.delete(uri.toString());
  }

  /** The remote object the document was read from (what a first save takes as its base). */
  readBase(uri: vscode.Uri): Record<string, unknown> | undefined {
    return this.readFrom.get(uri.toString());
  }

  /** Tells VS Code the content changed (draft discarded, pushed, deleted). */
  notifyChanged(uri: vscode.Uri): void {
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (!parseSourceUri(uri)) throw vscode.FileSystemError.NoPermissions('Not a Statsig source.');
    const text = new TextDecoder().decode(content);
    // A new source's draft exists from New Source… on; any other first save starts from what the
    // document was read from. Unknown (an editor restored after a restart) stays unknown: push
    // then asks before it could overwrite anything.
    const base = this.readFrom.get(uri.toString()) ?? null;
    // Saved back to exactly Statsig's version (undo, or the same edit reverted): no draft, no "M".
    const existing = await this.drafts.get(uri);
    const reference = existing ? existing.base : base;
    const parsed = parseDocument(text);
    const kind = parseSourceUri(uri)?.ref.kind;
    if (!existing?.isNew && reference && kind && parsed.ok && sameAsRemote(parsed.value, reference, descriptor(kind).serverOwnedFields)) {
      if (existing) await this.drafts.delete(uri);
      this.reverted.fire(uri);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      return;
    }
    // Validation starts while the draft is being written: it needs only the text and the base.
    const persisted = this.drafts.save(uri, text, base, false);
    this.saved.fire({ uri, text, persisted });
    await persisted;
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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
