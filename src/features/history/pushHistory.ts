// Push history: every successful push is kept (what Statsig had right after it, and what it
// replaced), the last 50 per source, in the extension's global storage, shared by every window.
// Show Push History… lists them; a version can be compared with Statsig's current one, with another
// version, or with what it replaced, and restored as a draft (never pushed by itself). The files
// and the cross-window protocol live in src/core/pushHistory.ts (no vscode, unit-tested).
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import type { Logger } from '../../core/client.ts';
import { formatSource } from '../../core/document.ts';
import { NotFoundError, errorMessage } from '../../core/errors.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { sameAsRemote } from '../../core/pushDecision.ts';
import { HistoryFolder, changedFields, type HistoryFs, type PushHistoryEntry, type PushMode } from '../../core/pushHistory.ts';
import { withProgress } from '../../platform/notify.ts';
import { formatTimestamp } from '../../shared/format.ts';
import { parseSourceUri, sourceUriOf } from '../documents/uris.ts';
import type { CommandFactory } from '../services.ts';
import { revertEditor } from '../sources/sourceCommands.ts';

type Json = Record<string, unknown>;

/** What a successful push hands to the history. */
export interface PushRecord {
  readonly uri: vscode.Uri;
  readonly projectId: string;
  readonly projectLabel: string;
  /** How it was sent ('none': nothing was sent, so nothing is recorded). */
  readonly mode: PushMode | 'none';
  /** Statsig's version after the push. */
  readonly pushed: Json;
  /** Statsig's version before it (undefined or null: the push created the source). */
  readonly replaced: Json | null | undefined;
}

/** The push history of this machine (no events, nothing to dispose: every call reads the folder). */
export class PushHistory {
  private readonly folder: HistoryFolder;
  private readonly log: Logger;

  constructor(storage: vscode.Uri, log: Logger) {
    this.log = log;
    const dir = vscode.Uri.joinPath(storage, 'history');
    const warn = (message: string) => log('warn', message);
    // The extension host usually sees its storage as a local folder (plain fs, owner-only modes).
    this.folder = dir.scheme === 'file' ? new HistoryFolder(dir.fsPath, { warn }) : new HistoryFolder(dir.path, { warn, fs: workspaceFs(dir) });
  }

  /** Keeps a successful push. Never rejects: a failure to record is logged, the push stays a success. */
  async record(push: PushRecord): Promise<void> {
    const parsed = parseSourceUri(push.uri);
    const { mode } = push;
    if (mode === 'none') return;
    try {
      if (!parsed) throw new Error(`${push.uri.toString()} is not a Statsig source`);
      const replaced = push.replaced ?? null;
      await this.folder.add({
        version: 1, at: Date.now(), projectId: push.projectId, projectLabel: push.projectLabel, uri: push.uri.toString(),
        kind: parsed.ref.kind, name: refLabel(parsed.ref), mode, pushed: push.pushed, replaced,
        changed: changedFields(parsed.ref.kind, replaced, push.pushed),
      });
    } catch (error) {
      this.log('warn', `The push of ${parsed ? refLabel(parsed.ref) : push.uri.toString()} succeeded, but it could not be kept in the push history: ${errorMessage(error)}`);
    }
  }

  /** The pushes of one source, newest first; of every source when `uri` is undefined. */
  list(uri?: vscode.Uri): Promise<PushHistoryEntry[]> {
    return this.folder.list(uri?.toString());
  }
}

/** The history's file calls on storage that is not a local folder (a virtual workspace host): no modes there. */
function workspaceFs(dir: vscode.Uri): HistoryFs {
  const at = (path: string) => dir.with({ path });
  const fs = vscode.workspace.fs;
  const notFound = <T>(call: Thenable<T>): Promise<T> => Promise.resolve(call).catch((error: unknown) => {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') throw Object.assign(new Error(error.message), { code: 'ENOENT' });
    throw error;
  });
  return {
    mkdir: (path) => notFound(fs.createDirectory(at(path))),
    readdir: async (path) => (await notFound(fs.readDirectory(at(path)))).map(([name]) => name),
    readFile: async (path) => new TextDecoder().decode(await notFound(fs.readFile(at(path)))),
    writeFile: (path, text) => notFound(fs.writeFile(at(path), new TextEncoder().encode(text))),
    rename: (from, to) => notFound(fs.rename(at(from), at(to), { overwrite: false })),
    unlink: (path) => notFound(fs.delete(at(path))),
    mtime: async (path) => (await notFound(fs.stat(at(path)))).mtime,
  };
}

// ------------------------------------------------------------------ Show Push History…

const MODE_WORDS: Readonly<Record<PushMode, string>> = { create: 'created', update: 'updated (full)', patch: 'updated (patch)' };

/** "2 Dec 2026, 14:03:22 (5 min ago)", in the machine's zone. */
function when(entry: PushHistoryEntry, now = new Date()): string {
  return formatTimestamp(new Date(entry.at).toISOString(), now, { seconds: true });
}

function changedWords(entry: PushHistoryEntry): string {
  if (entry.mode === 'create') return 'Created it';
  return entry.changed.length ? `Changed: ${entry.changed.join(', ')}` : 'No field changed (Statsig\'s own fields only)';
}

interface EntryItem extends vscode.QuickPickItem {
  readonly entry: PushHistoryEntry;
}

/**
 * Each entry's number among the pushes of its source (#1 the oldest kept): two pushes in the same
 * second stay told apart. `entries` newest first, as listed.
 */
function numbered(entries: readonly PushHistoryEntry[]): Map<PushHistoryEntry, number> {
  const seen = new Map<string, number>();
  const numbers = new Map<PushHistoryEntry, number>();
  for (const e of [...entries].reverse()) {
    const n = (seen.get(e.uri) ?? 0) + 1;
    seen.set(e.uri, n);
    numbers.set(e, n);
  }
  return numbers;
}

/** One source's entries: the number and time first; every source's: the name first. */
function entryItem(entry: PushHistoryEntry, n: number | undefined, ofEverySource: boolean, now: Date): EntryItem {
  const project = `"${entry.projectLabel}"`;
  const number = n === undefined ? '' : `#${n} · `;
  return ofEverySource
    ? { label: entry.name, description: `${number}${when(entry, now)} · ${MODE_WORDS[entry.mode]} in ${project}`, detail: changedWords(entry), entry }
    : { label: `${number}${when(entry, now)}`, description: `${MODE_WORDS[entry.mode]} in ${project}`, detail: changedWords(entry), entry };
}

export const historyCommands: CommandFactory<typeof Commands.showPushHistory> = (services) => {
  const { connections, drafts, fs, state, validator, history, picks, snapshots, prompts, log } = services;

  /** Statsig's version now; undefined when the source no longer exists there. */
  async function current(entry: PushHistoryEntry, uri: vscode.Uri): Promise<Json | undefined> {
    const parsed = parseSourceUri(uri);
    if (!parsed) return undefined;
    const { api } = await connections.connection(entry.projectId);
    return withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${entry.name} from Statsig…` }, () =>
      api.get(parsed.ref).then((r) => r.data, (error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }));
  }

  const pushedText = (entry: PushHistoryEntry) => formatSource(entry.pushed);
  /** For diff titles: the moment without "(5 min ago)", which would go stale while the diff stays open. */
  const short = (entry: PushHistoryEntry) => formatTimestamp(new Date(entry.at).toISOString(), new Date(), { seconds: true, relative: false });

  async function compareWithCurrent(entry: PushHistoryEntry, uri: vscode.Uri): Promise<void> {
    const now = await current(entry, uri);
    if (!now) {
      void prompts.info(`"${entry.name}" no longer exists in "${entry.projectLabel}" (deleted on Statsig?). Restore This Version makes it a draft that creates it again.`);
      return;
    }
    await snapshots.show(uri, entry.pushed, { content: formatSource(now) }, `${entry.name}: pushed ${short(entry)} ↔ Statsig now`);
  }

  async function compareWithAnother(entry: PushHistoryEntry, uri: vscode.Uri, others: readonly PushHistoryEntry[], numbers: ReadonlyMap<PushHistoryEntry, number>): Promise<void> {
    const now = new Date();
    const other = await picks.pick(others.map((e) => entryItem(e, numbers.get(e), false, now)), {
      title: `Compare the version of "${entry.name}" pushed ${when(entry, now)} with…`, placeholder: 'Another pushed version', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true,
    });
    if (!other) return;
    const [older, newer] = other.entry.at <= entry.at ? [other.entry, entry] : [entry, other.entry];
    await snapshots.show(uri, older.pushed, { content: pushedText(newer) }, `${entry.name}: pushed ${short(older)} ↔ pushed ${short(newer)}`);
  }

  async function compareWithReplaced(entry: PushHistoryEntry, uri: vscode.Uri): Promise<void> {
    if (!entry.replaced) return;
    await snapshots.show(uri, entry.replaced, { content: pushedText(entry) }, `${entry.name}: before ↔ pushed ${short(entry)}`);
  }

  /** The version becomes the source's draft, based on Statsig's current version; nothing is pushed. */
  async function restore(entry: PushHistoryEntry, uri: vscode.Uri): Promise<void> {
    const now = await current(entry, uri);
    const kind = entry.kind;
    if (now && sameAsRemote(entry.pushed, now, descriptor(kind).serverOwnedFields)) {
      void prompts.info(`Statsig already has this version of "${entry.name}": there is nothing to restore.`);
      return;
    }
    const draft = await drafts.get(uri);
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
    if (draft || doc?.isDirty) {
      const replace = 'Replace Draft';
      const choice = await prompts.warning(
        `Replace your draft of "${entry.name}" with the version pushed ${when(entry)}?`,
        { modal: true, detail: 'Your unpushed changes to it are lost. Nothing is pushed: the restored version becomes the draft, for you to review and push.' },
        replace,
      );
      if (choice !== replace) return;
    }
    // Unsaved edits go back to what is saved first, so the editor follows the restored draft.
    if (doc?.isDirty) await revertEditor(uri);
    await drafts.delete(uri);
    await drafts.save(uri, pushedText(entry), now ?? null, now === undefined);
    if (now) state.remember(uri, now);
    // What the editor said (pushed, a dry run's problems) was about other content.
    validator.clear(uri, { tone: 'ok', text: `Restored the version pushed ${short(entry)} as a draft, not pushed yet. Save (Ctrl+S) validates it; Push publishes it.` });
    fs.notifyChanged(uri);
    log('info', `Restored the version of ${entry.name} pushed at ${new Date(entry.at).toISOString()} as its draft (nothing pushed).`);
    await vscode.commands.executeCommand(Commands.open, uri);
    void prompts.info(now
      ? `The version of "${entry.name}" pushed ${when(entry)} is now your draft. Nothing was pushed: review it, then push.`
      : `The version of "${entry.name}" pushed ${when(entry)} is now your draft. "${entry.name}" no longer exists in "${entry.projectLabel}": pushing the draft creates it again.`);
  }

  async function show(arg?: unknown): Promise<void> {
    const uri = sourceUriOf(arg);
    const source = uri && parseSourceUri(uri);
    const entries = await history.list(source ? uri : undefined);
    const name = source ? refLabel(source.ref) : undefined;
    if (entries.length === 0) {
      void prompts.info(name
        ? `No push of "${name}" is recorded yet. The push history keeps the last 50 pushes of each source made from VS Code.`
        : 'No push is recorded yet. The push history keeps the last 50 pushes of each source made from VS Code.');
      return;
    }
    const now = new Date();
    const numbers = numbered(entries);
    const chosen = await picks.pick(entries.map((e) => entryItem(e, numbers.get(e), !name, now)), {
      title: name ? `Push history of "${name}"` : 'Push history (every source)',
      placeholder: 'A pushed version: compare it or restore it', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true,
    });
    if (!chosen) return;
    const { entry } = chosen;
    const entryUri = vscode.Uri.parse(entry.uri);
    type Action = vscode.QuickPickItem & { readonly run: () => Promise<void> };
    const others = entries.filter((e) => e.uri === entry.uri && e !== entry);
    const actions: Action[] = [
      { label: 'Compare with Statsig\'s Current Version', detail: 'This version next to what Statsig has now', run: () => compareWithCurrent(entry, entryUri) },
      ...(others.length ? [{ label: 'Compare with Another Version…', detail: 'This version next to another pushed one', run: () => compareWithAnother(entry, entryUri, others, numbers) }] : []),
      ...(entry.replaced ? [{ label: 'Compare with What It Replaced', detail: 'Statsig\'s version before this push next to this version', run: () => compareWithReplaced(entry, entryUri) }] : []),
      { label: 'Restore This Version…', detail: 'Make it your draft (based on Statsig\'s current version); nothing is pushed', run: () => restore(entry, entryUri) },
    ];
    const action = await picks.pick(actions, { title: `"${entry.name}" pushed ${when(entry, now)}`, placeholder: 'What to do with this version', ignoreFocusOut: true });
    await action?.run();
  }

  return { [Commands.showPushHistory]: show };
};
