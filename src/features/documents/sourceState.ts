// The one owner of "what Statsig has and what a draft started from": it fetches a source's remote
// version (one request in flight per source), caches it, remembers which version each open
// document was read from, and answers a source's DraftContext (src/core/draftContext.ts decides
// it). The statsig: file system, validation and push all ask here; none keeps its own copy.
import * as vscode from 'vscode';
import { draftContext, type DraftContext } from '../../core/draftContext.ts';
import { NotFoundError, isStatsigApiError } from '../../core/errors.ts';
import { refLabel } from '../../core/kinds.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import type { Connections } from '../projects/connections.ts';
import type { DraftStore } from './drafts.ts';
import { parseSourceUri } from './uris.ts';

type Json = Record<string, unknown>;

export interface Remote {
  readonly data: Json;
  readonly fetchedAt: number;
}

export class SourceState extends Disposable {
  private readonly connections: Connections;
  private readonly drafts: DraftStore;
  private readonly remote = new Map<string, Remote>();
  /** The remote version each document was last read from (the base of a draft started by saving it). */
  private readonly readFrom = new Map<string, Json>();
  private readonly fetching = new Map<string, Promise<Remote>>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Statsig's version of a source changed here (pushed, re-read): open documents should reload. */
  readonly onDidChangeRemote = this.changed.event;
  private readonly updated = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** The version of Statsig's known here changed (fetched, remembered, pushed): what quick diffs compare with. */
  readonly onDidUpdate = this.updated.event;

  constructor(connections: Connections, drafts: DraftStore) {
    super();
    this.connections = connections;
    this.drafts = drafts;
  }

  /** Statsig's version: as cached, or fetched now. */
  async read(uri: vscode.Uri): Promise<Remote> {
    return this.remote.get(uri.toString()) ?? this.fetch(uri);
  }

  /** Fetches Statsig's version (one request in flight per source). FileNotFound / Unavailable errors say why. */
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
      this.updated.fire(uri);
      return remote;
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw vscode.FileSystemError.FileNotFound(`${refLabel(parsed.ref)} does not exist in "${project.label}" (deleted on Statsig?). Refresh the Statsig view.`);
      }
      if (isStatsigApiError(error)) throw vscode.FileSystemError.Unavailable(error.message);
      throw error;
    }
  }

  /** A document was just given this remote version to show. */
  markRead(uri: vscode.Uri, data: Json): void {
    this.readFrom.set(uri.toString(), data);
  }

  /** Remembers Statsig's version without touching open documents (a draft is shown over it). */
  remember(uri: vscode.Uri, data: Json): void {
    this.remote.set(uri.toString(), { data, fetchedAt: Date.now() });
    this.updated.fire(uri);
  }

  /** Statsig's version after a push: the open document shows it (and a next draft starts from it). */
  pushed(uri: vscode.Uri, data: Json): void {
    this.remember(uri, data);
    this.readFrom.set(uri.toString(), data);
    this.changed.fire(uri);
  }

  /** Re-reads Statsig's version and lets an open, clean document show it. */
  async refresh(uri: vscode.Uri): Promise<void> {
    this.remote.delete(uri.toString());
    await this.fetch(uri);
    this.changed.fire(uri);
  }

  /** Forgets everything known of this source (the state of a window that has not read it yet). */
  forget(uri: vscode.Uri): void {
    this.remote.delete(uri.toString());
    this.readFrom.delete(uri.toString());
  }

  /** Statsig's version as last fetched, if any. */
  last(uri: vscode.Uri): Json | undefined {
    return this.remote.get(uri.toString())?.data;
  }

  /** The context a save of this source has now (`draft`: the saved draft, as just read). */
  contextFor(uri: vscode.Uri, draft: { readonly base: Json | null; readonly isNew: boolean } | undefined): DraftContext | undefined {
    const parsed = parseSourceUri(uri);
    if (!parsed) return undefined;
    const key = uri.toString();
    return draftContext(parsed.projectId, parsed.ref, { draft, readFrom: this.readFrom.get(key), lastRemote: this.remote.get(key)?.data });
  }

  /** The context of a source's current draft (or of its open document), for a validation not started by a save. */
  async context(uri: vscode.Uri): Promise<DraftContext | undefined> {
    await this.drafts.ready();
    return this.contextFor(uri, this.drafts.peek(uri));
  }
}
