// Saved drafts: what a user saved but has not pushed. One JSON file per draft under the extension's
// global storage, so drafts survive a window reload and a restart; an in-memory index serves the
// tree's "M" decorations and push. The draft remembers the remote object it was made from (its
// base) and the outcome of the last validation of exactly its content. The files and the
// cross-window protocol live in src/core/draftFiles.ts (no vscode, unit-tested); this is the
// index, its events and the watcher, plus a plain read/write path for storage that is not a
// local folder (a virtual workspace host).
import * as vscode from 'vscode';
import { Disposable } from '../../platform/lifecycle.ts';
import { jsonEqual } from '../../shared/jsonPath.ts';
import type { Logger } from '../../core/client.ts';
import {
  DraftFolder, codeOf, contentHash, draftFileName, parseDraft, rebased, type Draft, type LastValidation,
} from '../../core/draftFiles.ts';
import { errorMessage } from '../../core/errors.ts';
import type { DraftOrigin } from '../../core/draftContext.ts';



export class DraftStore extends Disposable {
  /** The storage folder the drafts live under (the extension's global storage). */
  readonly storage: vscode.Uri;
  private readonly dir: vscode.Uri;
  private readonly log: Logger;
  private readonly drafts = new Map<string, Draft>();
  private readonly loaded: Promise<void>;
  private writes: Promise<unknown> = Promise.resolve();
  private dirReady: Promise<void> | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri[]>());
  readonly onDidChange = this.changed.event;

  private watcher: vscode.FileSystemWatcher | undefined;
  /** The local folder, when the storage is one (the usual case). */
  private readonly folder: DraftFolder | undefined;

  constructor(storage: vscode.Uri, log: Logger) {
    super();
    this.storage = storage;
    this.dir = vscode.Uri.joinPath(storage, 'drafts');
    this.folder = this.dir.scheme === 'file' ? new DraftFolder(this.dir.fsPath) : undefined;
    this.log = log;
    this.loaded = this.load();
    // Other windows write the same folder: follow their saves, pushes and discards (the tree's M
    // marks), not only when this window next reads a draft. The folder must exist to be watched.
    this.ensureDir().then(
      () => this.ensureWatcher(),
      (error: unknown) => this.log('warn', `Cannot create the drafts folder yet: ${errorMessage(error)}`),
    );
  }

  /** Creates the drafts folder once; after a failure the next call tries again. */
  private ensureDir(): Promise<void> {
    this.dirReady ??= this.createDir().catch((error: unknown) => {
      this.dirReady = undefined;
      throw error;
    });
    return this.dirReady;
  }

  private ensureWatcher(): void {
    if (this.isDisposed || this.watcher) return;
    this.watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.dir, '*.json')));
    const follow = (file: vscode.Uri) => void this.followFile(file).catch(() => undefined);
    this.watcher.onDidCreate(follow);
    this.watcher.onDidChange(follow);
    this.watcher.onDidDelete(follow);
  }

  /** A draft file changed on disk (maybe by another window): bring the index in line with it. */
  private followFile(file: vscode.Uri): Promise<void> {
    return this.enqueue(async () => {
      const name = file.path.split('/').pop() ?? '';
      const known = [...this.drafts.keys()].find((key) => this.fileOf(key).path.endsWith(`/${name}`));
      if (known) return this.sync(vscode.Uri.parse(known));
      const found = await this.readDraft(file);
      if (found && found !== 'missing') this.adopt(found.uri, found);
    });
  }

  private fileOf(uri: string): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, draftFileName(uri));
  }

  private async load(): Promise<void> {
    await this.folder?.recoverLeftovers().catch(() => undefined);
    for (const draft of await this.readAll()) this.drafts.set(draft.uri, draft);
    if (this.drafts.size > 0) this.changed.fire([...this.drafts.keys()].map((u) => vscode.Uri.parse(u)));
  }

  /** Every readable draft in the folder. */
  private async readAll(): Promise<Draft[]> {
    if (this.folder) return this.folder.readAll((name) => this.log('warn', `Ignoring an unreadable draft file ${name}.`));
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(this.dir);
    } catch {
      return []; // no drafts yet
    }
    const drafts: Draft[] = [];
    for (const [name] of entries.filter(([n]) => n.endsWith('.json'))) {
      const found = await this.readDraft(vscode.Uri.joinPath(this.dir, name));
      if (found === undefined) this.log('warn', `Ignoring an unreadable draft file ${name}.`);
      else if (found !== 'missing') drafts.push(found);
    }
    return drafts;
  }

  /** One draft file: the draft, 'missing' when there is no file, undefined when it cannot be read. */
  private async readDraft(file: vscode.Uri): Promise<Draft | 'missing' | undefined> {
    try {
      // The extension host usually sees its storage as a local folder: plain fs skips a round trip.
      if (this.folder) return await this.folder.readFile(file.fsPath);
      return parseDraft(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
    } catch (error) {
      const code = codeOf(error);
      return code === 'ENOENT' || code === 'FileNotFound' ? 'missing' : undefined;
    }
  }

  /** The index follows one draft as found on disk ('missing': gone; undefined: unreadable, keep what we know). */
  private adopt(key: string, found: Draft | 'missing' | undefined): void {
    if (found === undefined) return;
    if (found === 'missing') {
      if (this.drafts.delete(key)) this.changed.fire([vscode.Uri.parse(key)]);
      return;
    }
    if (found.uri !== key) return;
    const known = this.drafts.get(key);
    if (known && JSON.stringify(known) === JSON.stringify(found)) return;
    this.drafts.set(key, found);
    this.changed.fire([vscode.Uri.parse(key)]);
  }

  ready(): Promise<void> {
    return this.loaded;
  }

  /** Synchronous view for decorations (empty until the first load finished). */
  peek(uri: vscode.Uri): Draft | undefined {
    return this.drafts.get(uri.toString());
  }

  peekAll(): Draft[] {
    return [...this.drafts.values()];
  }

  /**
   * The draft as it is on disk now: another window may have saved, pushed or discarded it since this
   * window last looked (drafts are shared by every window). Queued behind this window's own writes.
   */
  get(uri: vscode.Uri): Promise<Draft | undefined> {
    return this.enqueue(async () => {
      await this.sync(uri);
      return this.drafts.get(uri.toString());
    });
  }

  /** Re-reads one draft file; the in-memory index follows what is on disk. */
  private async sync(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    this.adopt(key, await this.readDraft(this.fileOf(key)));
  }

  /** Every draft as on disk now (other windows' included). */
  all(): Promise<Draft[]> {
    return this.enqueue(async () => {
      const onDisk = await this.readAll();
      for (const draft of onDisk) this.adopt(draft.uri, draft);
      // Known here but not listed there: gone, or unreadable just now (sync tells which).
      const listed = new Set(onDisk.map((d) => d.uri));
      for (const key of [...this.drafts.keys()].filter((k) => !listed.has(k))) await this.sync(vscode.Uri.parse(key));
      return [...this.drafts.values()];
    });
  }

  /**
   * Saves a draft. `base` and `isNew` only count for a source that has no draft yet: a draft keeps
   * the base it was started from however often it is saved again. The new draft is computed inside
   * the write queue, so it always builds on the outcome of the write before it (a push settling,
   * a discard) and never resurrects an older state.
   */
  save(uri: vscode.Uri, content: string, base: Record<string, unknown> | null, isNew: boolean, options: { readonly resolvesMerge?: boolean } = {}): Promise<Draft> {
    return this.enqueue(async () => {
      await this.sync(uri);
      const previous = this.drafts.get(uri.toString());
      // A merge in progress stays until a save without conflict markers (`resolvesMerge`, decided by
      // the caller, who knows where the SQL is): then Statsig's version it was merged with is the base.
      const merging = previous?.merging;
      const concluded = merging !== undefined && options.resolvesMerge === true;
      const draft: Draft = {
        version: 1, uri: uri.toString(), content, base: concluded ? merging.remote : previous ? previous.base : base, isNew: previous ? previous.isNew : isNew, savedAt: Date.now(),
        // A validation only counts for the exact content it checked (and the base it checked against).
        ...(!concluded && previous?.validation && previous.validation.contentHash === contentHash(content) ? { validation: previous.validation } : {}),
        ...(merging && !concluded ? { merging } : {}),
      };
      await this.persist(draft);
      return draft;
    });
  }

  /**
   * A merge with conflicts: the draft becomes `content` (the merge, with markers in its SQL) and
   * remembers `remote`, the version of Statsig it was merged with, until a save resolves the
   * conflicts (save() with `resolvesMerge`: then `remote` is the base) or the draft is discarded.
   * False when there is no draft.
   */
  startMerge(uri: vscode.Uri, content: string, remote: Record<string, unknown>): Promise<boolean> {
    return this.enqueue(async () => {
      await this.sync(uri);
      const draft = this.drafts.get(uri.toString());
      if (!draft || draft.isNew) return false;
      const { validation: _stale, ...rest } = draft;
      await this.persist({ ...rest, content, savedAt: Date.now(), merging: { remote: structuredClone(remote), at: Date.now() } });
      return true;
    });
  }

  setValidation(uri: vscode.Uri, validation: LastValidation): Promise<void> {
    return this.enqueue(async () => {
      await this.sync(uri);
      const draft = this.drafts.get(uri.toString());
      if (!draft || contentHash(draft.content) !== validation.contentHash) return;
      await this.persist({ ...draft, validation });
    });
  }

  /**
   * The draft's base becomes `base` (Statsig's version the user compared with and took into the
   * draft): push then compares against it. False when there is no draft.
   */
  rebase(uri: vscode.Uri, base: Record<string, unknown>): Promise<boolean> {
    return this.enqueue(async () => {
      await this.sync(uri);
      const draft = this.drafts.get(uri.toString());
      if (!draft || draft.isNew) return false;
      // The last validation checked a request against the old base: it goes.
      const { validation: _stale, ...rest } = draft;
      await this.persist({ ...rest, base: structuredClone(base) });
      return true;
    });
  }

  /**
   * Changes what the draft started from, keeping its content: `{ isNew: true, base: null }` makes
   * it a new-source draft (push then creates the source: Recreate on Statsig, for a source deleted
   * there); the origin it returns puts it back. The last validation checked another request, so it
   * goes. Undefined when there is no draft.
   */
  setOrigin(uri: vscode.Uri, origin: DraftOrigin): Promise<DraftOrigin | undefined> {
    return this.enqueue(async () => {
      await this.sync(uri);
      const draft = this.drafts.get(uri.toString());
      if (!draft) return undefined;
      const { validation: _stale, ...rest } = draft;
      await this.persist({ ...rest, isNew: origin.isNew, base: origin.isNew ? null : structuredClone(origin.base) });
      return { isNew: draft.isNew, base: draft.base };
    });
  }

  /** Discard or delete: the draft goes, whatever it holds. */
  delete(uri: vscode.Uri): Promise<boolean> {
    return this.enqueue(() => this.remove(uri));
  }

  /**
   * After a successful push of the content whose hash is `pushedHash`: if the draft still holds
   * exactly that, it goes; if a newer save landed while the push was in flight, it stays, now based
   * on what was pushed (`base`), so nothing typed is lost and the next push compares against it.
   */
  settle(uri: vscode.Uri, pushedHash: string, base: Record<string, unknown>): Promise<'deleted' | 'rebased' | 'gone'> {
    return this.enqueue(async () => {
      const key = uri.toString();
      if (this.folder) return this.settleFile(this.folder, uri, pushedHash, base);
      await this.sync(uri);
      const draft = this.drafts.get(key);
      if (!draft) return 'gone';
      if (contentHash(draft.content) === pushedHash) {
        await this.remove(uri);
        return 'deleted';
      }
      await this.persist(rebased(draft, base));
      return 'rebased';
    });
  }

  /**
   * settle() on a local folder, safe against another window saving the same draft meanwhile (the
   * protocol is DraftFolder.settle); then the index follows, and a save another window made during
   * the settle, still on the base from before the push, is rebased too (once).
   */
  private async settleFile(folder: DraftFolder, uri: vscode.Uri, pushedHash: string, base: Record<string, unknown>, again = true): Promise<'deleted' | 'rebased' | 'gone'> {
    const key = uri.toString();
    const before = this.drafts.get(key);
    const outcome = await folder.settle(key, pushedHash, base);
    if (outcome === 'gone') {
      if (this.drafts.delete(key)) this.changed.fire([uri]);
      return 'gone';
    }
    await this.sync(uri);
    const now = this.drafts.get(key);
    if (!now) return outcome;
    if (again && before && jsonEqual(now.base, before.base)) return this.settleFile(folder, uri, pushedHash, base, false);
    return 'rebased';
  }

  /** One change at a time, in call order: an older save can never land after a newer one. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.writes.then(async () => {
      await this.loaded;
      return task();
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async remove(uri: vscode.Uri): Promise<boolean> {
    if (!this.drafts.delete(uri.toString())) return false;
    try {
      if (this.folder) await this.folder.remove(uri.toString());
      else await vscode.workspace.fs.delete(this.fileOf(uri.toString()));
    } catch {
      // already gone
    }
    this.changed.fire([uri]);
    return true;
  }

  private async persist(draft: Draft): Promise<void> {
    await this.ensureDir();
    this.ensureWatcher();
    // The extension host usually sees its storage as a local folder: an atomic write, plain fs.
    if (this.folder) await this.folder.write(draft);
    else await vscode.workspace.fs.writeFile(this.fileOf(draft.uri), new TextEncoder().encode(JSON.stringify(draft)));
    this.drafts.set(draft.uri, draft);
    this.changed.fire([vscode.Uri.parse(draft.uri)]);
  }

  private async createDir(): Promise<void> {
    if (this.folder) await this.folder.ensure();
    else await vscode.workspace.fs.createDirectory(this.dir);
  }
}
