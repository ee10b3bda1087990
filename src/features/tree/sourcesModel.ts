// What the Sources tree shows: per project and per kind, the listing as last loaded, a load in
// flight, or the error that stopped it. Kinds load independently and concurrently, so one failing
// kind never hides the others; a refresh keeps showing the previous listing until the new one lands.
import * as vscode from 'vscode';
import { Disposable } from '../../platform/lifecycle.ts';
import type { KindListing } from '../../core/api.ts';
import type { SourceRecord } from '../../core/kinds.ts';
import type { Logger } from '../../core/client.ts';
import { KindIds, descriptor, type KindId } from '../../core/kinds.ts';
import type { Connections } from '../projects/connections.ts';
import { errorMessage } from '../../core/errors.ts';

export type KindState =
  | { readonly status: 'loading'; readonly previous: KindListing | undefined }
  | { readonly status: 'loaded'; readonly listing: KindListing; readonly at: number }
  | { readonly status: 'error'; readonly error: unknown; readonly previous: KindListing | undefined };

export interface ModelChange {
  readonly projectId: string;
  readonly kind: KindId;
}

export class SourcesModel extends Disposable {
  private readonly connections: Connections;
  private readonly log: Logger;
  private readonly states = new Map<string, Map<KindId, KindState>>();
  private readonly inflight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private generation = 0;
  private readonly changed = this._register(new vscode.EventEmitter<ModelChange | undefined>());
  private readonly loadStarted = this._register(new vscode.EventEmitter<Promise<void>>());
  /** A kind's state changed (or everything, with undefined). */
  readonly onDidChange = this.changed.event;
  /** A load began; the promise settles when it ends (for progress in the view). */
  readonly onDidStartLoading = this.loadStarted.event;

  constructor(connections: Connections, log: Logger) {
    super();
    this.connections = connections;
    this.log = log;
    // New key, new base URL, project removed: every listing may be someone else's now.
    this._register(connections.onDidChange(() => this.clear()));
    // Listings in flight are aborted, without telling anyone.
    this._register({ dispose: () => this.clear(false) });
  }

  private clear(fire = true): void {
    this.generation++;
    for (const f of this.inflight.values()) f.abort.abort();
    this.inflight.clear();
    this.states.clear();
    if (fire) this.changed.fire(undefined);
  }

  state(projectId: string, kind: KindId): KindState | undefined {
    return this.states.get(projectId)?.get(kind);
  }

  /** The records currently known (the previous listing while a refresh is in flight). */
  records(projectId: string, kind: KindId): readonly SourceRecord[] {
    return listingOf(this.state(projectId, kind))?.records ?? [];
  }

  find(projectId: string, key: string): SourceRecord | undefined {
    for (const kind of KindIds) {
      const found = this.records(projectId, kind).find((r) => r.key === key);
      if (found) return found;
    }
    return undefined;
  }

  /** Starts loading every kind of the project that has not been loaded or tried yet. */
  ensureLoaded(projectId: string): void {
    for (const kind of KindIds) {
      if (!this.state(projectId, kind)) void this.load(projectId, kind);
    }
  }

  /**
   * Reloads one kind, every kind of one project, or everything (projects as currently connected).
   * A kind without a list-all endpoint (ingestion: 32 type × dataset probes) is, on a refresh of
   * everything, asked again only about the combinations the last full discovery found configured or
   * failing; naming the kind (its group's Refresh, Retry) runs the full discovery.
   */
  async refresh(projectId?: string, kind?: KindId): Promise<void> {
    const projects = projectId ? [projectId] : (await this.connections.list()).map((p) => p.id);
    await Promise.all(projects.flatMap((p) => (kind ? [kind] : KindIds).map((k) => this.load(p, k, kind === undefined))));
  }

  private load(projectId: string, kind: KindId, partial = false): Promise<void> {
    const probed = partial && !descriptor(kind).capabilities.listAll ? listingOf(this.state(projectId, kind))?.probed : undefined;
    const id = `${projectId}/${kind}`;
    this.inflight.get(id)?.abort.abort();
    const abort = new AbortController();
    const generation = this.generation;
    const set = (state: KindState) => {
      if (generation !== this.generation || abort.signal.aborted) return;
      let perKind = this.states.get(projectId);
      if (!perKind) this.states.set(projectId, (perKind = new Map<KindId, KindState>()));
      perKind.set(kind, state);
      this.changed.fire({ projectId, kind });
    };
    set({ status: 'loading', previous: listingOf(this.state(projectId, kind)) });
    const done = (async () => {
      try {
        const { api } = await this.connections.connection(projectId);
        const listing = await api.list(kind, { signal: abort.signal, ...(probed ? { only: probed } : {}) });
        this.log('debug', `Listed ${listing.records.length} ${kind} (${listing.requests} requests) for project ${projectId}.`);
        if (listing.truncated) this.log('warn', `The listing of ${kind} for project ${projectId} is incomplete: ${listing.truncatedReason ?? 'the server\'s pages stopped adding sources before its total was reached'}.`);
        set({ status: 'loaded', listing, at: Date.now() });
      } catch (error) {
        if (abort.signal.aborted) return;
        this.log('warn', `Listing ${kind} failed: ${errorMessage(error)}`);
        set({ status: 'error', error, previous: listingOf(this.state(projectId, kind)) });
      } finally {
        if (this.inflight.get(id)?.abort === abort) this.inflight.delete(id);
      }
    })();
    this.inflight.set(id, { abort, done });
    this.loadStarted.fire(done);
    return done;
  }
}

function listingOf(state: KindState | undefined): KindListing | undefined {
  if (!state) return undefined;
  return state.status === 'loaded' ? state.listing : state.previous;
}
