// Push history on a local disk, shared by every VS Code window: what each successful push sent
// (Statsig's version right after it) and what it replaced, the last 50 per source. No `vscode`
// here, so the part that must hold when several windows push at once is unit-tested in plain Node
// (test/unit/pushHistory.test.ts). src/features/history/pushHistory.ts records and shows it.
//
// The protocol (no lock, no shared index file, so no read-modify-write to lose):
// - one folder per source (its URI, hashed), one file per entry, named `<at, 15 digits>-<id>.json`:
//   names sort oldest to newest, the same in every window, and no two writers ever write the same
//   file;
// - an entry is written to `<name>.tmp` and renamed, so a reader never sees half of one;
// - after writing, a window lists the source's folder and removes every entry that has at least
//   `limit` newer ones. An entry is only ever removed when `limit` newer entries exist, so the newest
//   `limit` are never removed, whatever the interleaving; the last writer to list sees every entry,
//   so at rest exactly the newest `limit` are left. Removing a file another window removed first is
//   not an error.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { jsonEqual } from '../shared/jsonPath.ts';
import { contentHash, codeOf } from './draftFiles.ts';
import { KindIds, withoutServerOwned, type KindId } from './kinds.ts';

/** Entries kept per source. */
export const HISTORY_LIMIT = 50;
/** Push history holds Statsig data: readable by its owner only (as drafts). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** A `.tmp` written longer ago than this is a leftover of a window that stopped between write and rename. */
const LEFTOVER_AGE_MS = 10 * 60_000;

const SourceObject = z.record(z.string(), z.unknown());

export const PushMode = z.enum(['create', 'update', 'patch']);
export type PushMode = z.infer<typeof PushMode>;

export const PushHistoryEntry = z.object({
  version: z.literal(1),
  /** When the push succeeded (ms since the epoch). */
  at: z.number().int().nonnegative(),
  projectId: z.string().min(1),
  /** The project's label when it was pushed (the label may change later). */
  projectLabel: z.string(),
  /** The source's document URI (statsig://…). */
  uri: z.string().min(1),
  kind: z.enum(KindIds),
  /** What the source is called (its label). */
  name: z.string(),
  mode: PushMode,
  /** Statsig's version after the push (the full object). */
  pushed: SourceObject,
  /** Statsig's version before the push; null for a create. */
  replaced: SourceObject.nullable(),
  /** The fields that differ between `replaced` and `pushed` (server-owned fields ignored), sorted. */
  changed: z.array(z.string()),
});
export type PushHistoryEntry = z.infer<typeof PushHistoryEntry>;

/** The fields `pushed` changed compared with `replaced` (every field for a create), server-owned fields ignored. */
export function changedFields(kind: KindId, replaced: Readonly<Record<string, unknown>> | null, pushed: Readonly<Record<string, unknown>>): string[] {
  const before = replaced ? withoutServerOwned(kind, replaced) : {};
  const after = withoutServerOwned(kind, pushed);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !jsonEqual(before[k], after[k])).sort();
}

/** The file system calls the history needs (node:fs by default; tests and non-local storage give their own). */
export interface HistoryFs {
  /** Creates the folder and its parents with `mode`, and sets `mode` on the folder itself. */
  mkdir(path: string, mode: number): Promise<void>;
  /** The names in a folder; rejects with code ENOENT when there is no folder. */
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Rejects with code ENOENT when there is no file. */
  unlink(path: string): Promise<void>;
  /** When the file was last written (ms since the epoch); rejects with code ENOENT when there is none. */
  mtime(path: string): Promise<number>;
}

export const nodeHistoryFs: HistoryFs = {
  async mkdir(path, mode) {
    await mkdir(path, { recursive: true, mode });
    await chmod(path, mode);
  },
  readdir: (path) => readdir(path),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text, mode) => writeFile(path, text, { mode }),
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  mtime: async (path) => (await stat(path)).mtimeMs,
};

const ENTRY_NAME = /^(\d{15})-([0-9a-z]+)\.json$/;
const TEMP_NAME = /^\d{15}-[0-9a-z]+\.json\.tmp$/;
const SOURCE_FOLDER = /^[0-9a-f]{32}$/;

/** The file name of an entry pushed at `at` (ids keep two entries of the same millisecond apart). */
export function entryFileName(at: number, id: string): string {
  return `${String(at).padStart(15, '0')}-${id}.json`;
}

export interface HistoryFolderOptions {
  readonly fs?: HistoryFs;
  readonly limit?: number;
  /** Hears about files that are skipped (unreadable, not an entry of this source). */
  readonly warn?: (message: string) => void;
  /** A fresh id per entry ([0-9a-z]+); random by default. */
  readonly newId?: () => string;
  readonly now?: () => number;
}

/** One window's view of the history folder. */
export class HistoryFolder {
  readonly dir: string;
  readonly limit: number;
  private readonly fs: HistoryFs;
  private readonly warn: (message: string) => void;
  private readonly newId: () => string;
  private readonly now: () => number;

  constructor(dir: string, options: HistoryFolderOptions = {}) {
    this.dir = dir;
    this.fs = options.fs ?? nodeHistoryFs;
    this.limit = options.limit ?? HISTORY_LIMIT;
    this.warn = options.warn ?? (() => undefined);
    this.newId = options.newId ?? (() => randomBytes(6).toString('hex'));
    this.now = options.now ?? Date.now;
  }

  /** The folder of one source's entries (its URI, hashed: any URI gives a safe, fixed-length name). */
  folderOf(uri: string): string {
    return `${this.dir}/${contentHash(uri).slice(0, 32)}`;
  }

  /** Writes one entry atomically, then prunes its source to the newest `limit`. The entry's file name. */
  async add(entry: PushHistoryEntry): Promise<string> {
    const checked = PushHistoryEntry.parse(entry);
    const folder = this.folderOf(checked.uri);
    await this.fs.mkdir(this.dir, DIR_MODE);
    await this.fs.mkdir(folder, DIR_MODE);
    const name = entryFileName(checked.at, this.newId());
    const path = `${folder}/${name}`;
    await this.fs.writeFile(`${path}.tmp`, JSON.stringify(checked), FILE_MODE);
    await this.fs.rename(`${path}.tmp`, path);
    await this.prune(checked.uri);
    return name;
  }

  /** Removes the entries of a source that have at least `limit` newer ones (and old `.tmp` leftovers); how many went. */
  async prune(uri: string): Promise<number> {
    const folder = this.folderOf(uri);
    const names = await this.names(folder);
    const entries = names.filter((n) => ENTRY_NAME.test(n)).sort();
    const old = entries.slice(0, Math.max(0, entries.length - this.limit));
    // A `.tmp` is another window's entry on its way in, unless it was written long ago.
    const cutoff = this.now() - LEFTOVER_AGE_MS;
    const leftovers: string[] = [];
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      const written = await this.fs.mtime(`${folder}/${name}`).catch(() => Infinity);
      if (written < cutoff) leftovers.push(name);
    }
    let removed = 0;
    for (const name of [...old, ...leftovers]) {
      try {
        await this.fs.unlink(`${folder}/${name}`);
        if (!name.endsWith('.tmp')) removed++;
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw error; // another window pruned it first
      }
    }
    return removed;
  }

  /** The entries of one source, newest first; or of every source when `uri` is undefined. */
  async list(uri?: string): Promise<PushHistoryEntry[]> {
    if (uri !== undefined) return this.listFolder(this.folderOf(uri), uri);
    const folders = (await this.names(this.dir)).filter((n) => SOURCE_FOLDER.test(n));
    const all = (await Promise.all(folders.map((f) => this.listFolder(`${this.dir}/${f}`)))).flat();
    return all.sort((a, b) => b.at - a.at);
  }

  private async listFolder(folder: string, uri?: string): Promise<PushHistoryEntry[]> {
    const names = (await this.names(folder)).filter((n) => ENTRY_NAME.test(n)).sort().reverse();
    const entries: PushHistoryEntry[] = [];
    for (const name of names) {
      const entry = await this.read(`${folder}/${name}`);
      if (entry === 'missing') continue; // pruned meanwhile
      if (!entry) this.warn(`Ignoring an unreadable push history file ${name}.`);
      else if (uri !== undefined && entry.uri !== uri) this.warn(`Ignoring push history file ${name}: it belongs to another source.`);
      else entries.push(entry);
    }
    return entries;
  }

  private async read(path: string): Promise<PushHistoryEntry | 'missing' | undefined> {
    let text: string;
    try {
      text = await this.fs.readFile(path);
    } catch (error) {
      return codeOf(error) === 'ENOENT' ? 'missing' : undefined;
    }
    try {
      const parsed = PushHistoryEntry.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** The names in a folder: none when it does not exist, or cannot be read (said once, as a warning). */
  private async names(folder: string): Promise<string[]> {
    try {
      return await this.fs.readdir(folder);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') this.warn(`Ignoring push history folder ${folder}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }
}
