// Drift: a colleague changed (or deleted) on Statsig a source you hold a draft of, before you push.
// The watcher re-reads drafted sources through SourceState (one request in flight per source; the
// cache it fills is what push and Compare see next) when the schedule says so
// (src/core/driftSchedule.ts: on Refresh, when a source's editor gains focus, every few minutes
// while the window is focused, throttled per source and capped at a few reads at a time), and
// compares Statsig's version with each draft's base field by field (core/pushDecision.ts
// remoteChanges). Nothing at activation: the first read comes after the first interval or an
// explicit trigger. No toast from polling: the tree's marks (and the source control view's count)
// are the signal. Recreate on Statsig… turns a deleted source's draft into a create.
import * as vscode from 'vscode';
import { Commands, Settings } from '../../constants.ts';
import type { Logger } from '../../core/client.ts';
import { parseDocument } from '../../core/document.ts';
import type { DraftOrigin } from '../../core/draftContext.ts';
import { DEFAULT_DRIFT_SCHEDULE, DriftSchedule, type DriftScheduleOptions } from '../../core/driftSchedule.ts';
import { errorMessage } from '../../core/errors.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { remoteChanges } from '../../core/pushDecision.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { readConfig } from '../../platform/config.ts';
import { jsonEqual } from '../../shared/jsonPath.ts';
import type { DraftStore } from '../documents/drafts.ts';
import type { SourceState } from '../documents/sourceState.ts';
import { activeSourceUri, parseSourceUri, sourceOfSqlView, sourceUriOf } from '../documents/uris.ts';
import type { Connections } from '../projects/connections.ts';
import type { CommandFactory } from '../services.ts';

type Json = Record<string, unknown>;

export type Drift =
  /** Statsig's version differs from the draft's base. `fields`: changed on Statsig since the base (server-owned ignored); `conflicting`: those the draft changed too, to something else (a merge cannot take them by itself). */
  | { readonly kind: 'changed'; readonly remote: Record<string, unknown>; readonly fields: readonly string[]; readonly conflicting: readonly string[]; readonly checkedAt: number }
  /** The source no longer exists on Statsig while a (non-new) draft of it exists. */
  | { readonly kind: 'deleted'; readonly checkedAt: number };

/** What the last read of a source found, and the draft base it was compared with then. */
interface Seen {
  readonly remote: Json | 'deleted';
  readonly base: Json;
  readonly at: number;
}

export interface DriftWatcherOptions {
  /** The clock (tests); Date.now by default. */
  readonly now?: () => number;
  readonly schedule?: Partial<Omit<DriftScheduleOptions, 'intervalMs'>>;
}

export class DriftWatcher extends Disposable {
  private readonly connections: Connections;
  private readonly drafts: DraftStore;
  private readonly state: SourceState;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly schedule: DriftSchedule;
  private readonly drifts = new Map<string, Drift>();
  private readonly seen = new Map<string, Seen>();
  private readonly reads = new Map<string, Promise<void>>();
  private waiters: { readonly keys: readonly string[]; readonly resolve: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private activeSource: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri[]>());
  /** Source uris whose drift state changed. */
  readonly onDidChange = this.changed.event;

  constructor(connections: Connections, drafts: DraftStore, state: SourceState, log: Logger, options: DriftWatcherOptions = {}) {
    super();
    this.connections = connections;
    this.drafts = drafts;
    this.state = state;
    this.log = log;
    this.now = options.now ?? Date.now;
    this.schedule = new DriftSchedule({ ...DEFAULT_DRIFT_SCHEDULE, ...options.schedule, intervalMs: intervalOf(readConfig().driftCheckMinutes) }, this.now());
    this._register({
      dispose: () => {
        clearTimeout(this.timer);
        // Nothing more will be read: nobody waits for it.
        for (const w of this.waiters.splice(0)) w.resolve();
      },
    });
    // A draft saved, pushed, discarded or rebased: the drift follows at once, without a request.
    this._register(drafts.onDidChange((uris) => this.derive(uris)));
    // Statsig's version re-read (Open, Refresh of a source) or pushed: compare with that.
    this._register(state.onDidChangeRemote((uri) => this.learnFromCache(uri)));
    this._register(connections.onDidChange(() => this.forgetDisconnected()));
    // A source's editor gains focus (custom editor, its JSON, its `.sql` view): check that one.
    this.activeSource = activeSourceUri()?.toString();
    const focusMoved = () => this.editorFocused();
    this._register(vscode.window.tabGroups.onDidChangeTabs(focusMoved));
    this._register(vscode.window.tabGroups.onDidChangeTabGroups(focusMoved));
    this._register(vscode.window.onDidChangeActiveTextEditor(focusMoved));
    this._register(vscode.window.onDidChangeWindowState((s) => {
      if (s.focused) this.tick();
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${Settings.section}.${Settings.driftCheckMinutes}`)) return;
      this.schedule.configure({ intervalMs: intervalOf(readConfig().driftCheckMinutes) });
      this.arm();
    }));
    this.arm();
  }

  /** The drift of a source (a `.sql` view names its source); undefined: not drifted, or not checked yet. */
  get(uri: vscode.Uri): Drift | undefined {
    return this.drifts.get((sourceOfSqlView(uri)?.uri ?? uri).toString());
  }

  /** Every drift, by source uri string. */
  all(): ReadonlyMap<string, Drift> {
    return this.drifts;
  }

  /** Changes the schedule's per-source minimum and concurrency (the interval is the setting's). */
  setLimits(limits: Partial<Omit<DriftScheduleOptions, 'intervalMs'>>): void {
    this.schedule.configure(limits);
  }

  /**
   * Reads the given sources (default: every draft of a connected project) as the schedule allows
   * and updates their drift; resolves when those reads have ended. `force` (Refresh): the per-source
   * interval does not apply, only its short minimum. Never rejects: a failed read leaves the drift
   * as it was (logged).
   */
  async check(uris?: readonly vscode.Uri[], options: { force?: boolean } = {}): Promise<void> {
    await this.drafts.ready();
    const keys = this.checkable(uris);
    if (keys.length === 0) return;
    this.schedule.request(keys, options.force === true);
    this.pump();
    const waiting = keys.filter((k) => this.schedule.pending(k));
    if (waiting.length === 0) return;
    await new Promise<void>((resolve) => this.waiters.push({ keys: waiting, resolve }));
  }

  /** Sources worth a read: a draft that is not new, with a known base, of a connected project. */
  private checkable(uris: readonly vscode.Uri[] | undefined): string[] {
    const connected = new Set(this.connections.current.map((p) => p.id));
    const candidates = uris ? uris.map((u) => (sourceOfSqlView(u)?.uri ?? u).toString()) : this.drafts.peekAll().map((d) => d.uri);
    return [...new Set(candidates)].filter((key) => {
      const draft = this.drafts.peek(vscode.Uri.parse(key));
      const parsed = parseSourceUri(vscode.Uri.parse(key));
      return draft && !draft.isNew && draft.base !== null && parsed && connected.has(parsed.projectId);
    });
  }

  private pump(): void {
    if (this.isDisposed) return;
    for (const key of this.schedule.take(this.now())) {
      const read = this.read(key).finally(() => {
        this.reads.delete(key);
        this.schedule.done(key);
        this.pump();
        this.wake();
      });
      this.reads.set(key, read);
    }
    this.wake();
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.keys.every((k) => !this.schedule.pending(k)));
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private async read(key: string): Promise<void> {
    const uri = vscode.Uri.parse(key);
    let found: Json | 'deleted';
    try {
      found = (await this.state.fetch(uri)).data;
    } catch (error) {
      // SourceState turns Statsig's 404 into FileNotFound; anything else (offline, 401, 429, 5xx)
      // says nothing about the source: what was known stays.
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') found = 'deleted';
      else {
        this.log('warn', `Drift check of ${labelOf(uri)} failed (tried again later): ${errorMessage(error)}`);
        return;
      }
    }
    const draft = this.drafts.peek(uri);
    if (!draft || draft.isNew || draft.base === null) return;
    this.seen.set(key, { remote: found, base: draft.base, at: this.now() });
    this.derive([uri]);
  }

  /** Statsig's version was re-read or pushed elsewhere: what the cache holds now is the latest. */
  private learnFromCache(uri: vscode.Uri): void {
    const remote = this.state.last(uri);
    const draft = this.drafts.peek(uri);
    if (remote && draft && !draft.isNew && draft.base !== null) this.seen.set(uri.toString(), { remote, base: draft.base, at: this.now() });
    this.derive([uri]);
  }

  /**
   * The drift of each source from what its last read found and its draft now: none without a
   * draft; none (until the next read) once the draft's base is not the one that read compared
   * with (rebased, settled on top of a push); 'changed' recomputed against the draft's content.
   */
  private derive(uris: readonly vscode.Uri[]): void {
    const changed: vscode.Uri[] = [];
    for (const uri of uris) {
      const key = uri.toString();
      const draft = this.drafts.peek(uri);
      // The draft went (pushed, discarded): what the read found is of no use any more. A draft made
      // new (Recreate, in progress) keeps it, in case it is put back.
      if (!draft) this.seen.delete(key);
      const seen = this.seen.get(key);
      let next: Drift | undefined;
      const parsed = parseSourceUri(uri);
      if (draft && !draft.isNew && draft.base !== null && seen && parsed && jsonEqual(seen.base, draft.base)) {
        if (seen.remote === 'deleted') next = { kind: 'deleted', checkedAt: seen.at };
        else {
          const doc = parseDocument(draft.content);
          const value = doc.ok ? doc.value : {};
          const { changedOnStatsig, overwritten } = remoteChanges(draft.base, seen.remote, value, descriptor(parsed.ref.kind).serverOwnedFields);
          // Overwritten and changed in the draft too: both sides changed it, differently.
          const base = draft.base;
          const conflicting = overwritten.filter((f) => !jsonEqual(value[f], base[f]));
          if (changedOnStatsig.length > 0) next = { kind: 'changed', remote: seen.remote, fields: changedOnStatsig, conflicting, checkedAt: seen.at };
        }
      }
      const before = this.drifts.get(key);
      if (next) this.drifts.set(key, next);
      else this.drifts.delete(key);
      if (!sameDrift(before, next)) changed.push(uri);
    }
    if (changed.length > 0) this.changed.fire(changed);
  }

  /** A project no longer connected: its drifts cannot be known. */
  private forgetDisconnected(): void {
    const connected = new Set(this.connections.current.map((p) => p.id));
    const gone = [...new Set([...this.drifts.keys(), ...this.seen.keys()])].filter((key) => {
      const parsed = parseSourceUri(vscode.Uri.parse(key));
      return !parsed || !connected.has(parsed.projectId);
    });
    for (const key of gone) this.seen.delete(key);
    this.derive(gone.map((k) => vscode.Uri.parse(k)));
  }

  private editorFocused(): void {
    const uri = activeSourceUri();
    const key = uri?.toString();
    if (key === this.activeSource) return;
    this.activeSource = key;
    if (uri && this.drafts.peek(uri)) void this.check([uri]);
  }

  /** The periodic check, when due and the window is focused; then the timer counts again. */
  private tick(): void {
    if (this.schedule.tick(this.now(), vscode.window.state.focused)) void this.check();
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.isDisposed) return;
    const until = this.schedule.untilTick(this.now());
    // Off, or due but the window is not focused: the next focus (or setting change) arms it again.
    if (until === undefined || (until === 0 && !vscode.window.state.focused)) return;
    this.timer = setTimeout(() => this.tick(), Math.max(until, 1_000));
  }
}

function intervalOf(minutes: number): number {
  return minutes * 60_000;
}

function labelOf(uri: vscode.Uri): string {
  const parsed = parseSourceUri(uri);
  return parsed ? refLabel(parsed.ref) : uri.toString();
}

function sameDrift(a: Drift | undefined, b: Drift | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'deleted' || b.kind === 'deleted') return true;
  return jsonEqual(a.remote, b.remote) && jsonEqual(a.fields, b.fields) && jsonEqual(a.conflicting, b.conflicting);
}

/** How a drift reads in a tooltip or a status line. */
export function describeDrift(drift: Drift): string {
  if (drift.kind === 'deleted') return 'Deleted on Statsig; your draft is kept. Recreate on Statsig… creates it again from the draft; Discard drops the draft.';
  const conflicting = drift.conflicting.length
    ? ` Your draft changed ${drift.conflicting.join(', ')} too: Merge with Statsig… to choose what stays.`
    : ' Your draft does not change those fields: Merge with Statsig… takes them in.';
  return `Changed on Statsig since your draft started (${drift.fields.join(', ')}).${conflicting}`;
}

/**
 * Recreate on Statsig…: a source deleted on Statsig whose draft exists is created again from the
 * draft, through the ordinary push (its diff and modal confirmation). The draft becomes a new-source
 * draft only for that push: if nothing was created (Cancel, a refusal, the name taken meanwhile),
 * it is put back as it was, so nothing is lost and Recreate stays on offer.
 */
export const driftCommands: CommandFactory<typeof Commands.recreate> = ({ drafts, drift, log, prompts }) => ({
  [Commands.recreate]: async (arg?: unknown) => {
    const uri = sourceUriOf(arg);
    const parsed = uri && parseSourceUri(uri);
    if (!uri || !parsed) {
      void prompts.info('Pick a source deleted on Statsig (in the Statsig view, or its editor) to create it again.');
      return;
    }
    const name = refLabel(parsed.ref);
    const draft = await drafts.get(uri);
    if (!draft) {
      void prompts.info(`"${name}" has no saved draft to create it from.`);
      return;
    }
    if (draft.isNew) {
      await vscode.commands.executeCommand(Commands.push, uri);
      return;
    }
    if (drift.get(uri)?.kind !== 'deleted') await drift.check([uri], { force: true });
    if (drift.get(uri)?.kind !== 'deleted') {
      void prompts.info(`"${name}" still exists on Statsig, so there is nothing to recreate. Push… updates it.`);
      return;
    }
    const origin: DraftOrigin | undefined = await drafts.setOrigin(uri, { isNew: true, base: null });
    if (!origin) return;
    log('info', `Recreate ${name}: its draft is pushed as a new source.`);
    try {
      await vscode.commands.executeCommand(Commands.push, uri);
    } finally {
      const after = await drafts.get(uri);
      // Created: the draft settled (gone, or kept on top of what was created, no longer new).
      if (after?.isNew) {
        await drafts.setOrigin(uri, origin);
        void prompts.info(`"${name}" was not created. Your draft is kept as it was; Recreate on Statsig… tries again, Discard drops it.`);
      }
    }
  },
});
