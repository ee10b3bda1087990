// Sources as code in the workspace: every folder of the workspace that holds a statsig.lock.json
// (what `statsig-whn pull` and Pull to Workspace… write) is a sources root of the lock's project.
// This keeps what each root holds (its lock and its parsed sources, re-read when files change),
// answers "which source is this file?" and "does the workspace track this source?", and writes a
// pull's files. The files stay plain files: nothing here holds them open or changes their format.
import * as vscode from 'vscode';
import { JSON_SUFFIX, KIND_FOLDERS, LOCK_FILE, parseFolder, sourceOfFile, type FolderProblem, type LocalSource } from '../../core/sourceFiles.ts';
import { formatLock, lockKey, parseLock, sourceHash, type Lock } from '../../core/sourceLock.ts';
import type { SourceRef } from '../../core/kinds.ts';
import type { Logger } from '../../core/client.ts';
import { SOURCE_SCHEME, WORKSPACE_SCHEME } from '../../constants.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { mapBounded } from '../../core/pagination.ts';

export interface WorkspaceRoot {
  readonly uri: vscode.Uri;
  readonly projectId: string;
  readonly lock: Lock;
  /** By lock key (`metricSource/orders`). */
  readonly sources: ReadonlyMap<string, LocalSource>;
  readonly problems: readonly FolderProblem[];
}

export interface WorkspaceFile {
  readonly root: WorkspaceRoot;
  readonly ref: SourceRef;
  readonly stem: string;
  readonly role: 'sql' | 'json';
  /** The source's two files (the `.sql` may not exist). */
  readonly jsonUri: vscode.Uri;
  readonly sqlUri: vscode.Uri;
}

/** Where the workspace holds a source of Statsig: its root, its files, and whether they differ from a version of Statsig. */
export interface Tracked {
  readonly root: WorkspaceRoot;
  readonly local: LocalSource | undefined;
  /** The lock's hash: the Statsig version the files were pulled from or last pushed. */
  readonly baseHash: string | undefined;
}

const SKIPPED = new Set(['node_modules', '.git']);
const TOP_LEVEL: ReadonlySet<string> = new Set(Object.values(KIND_FOLDERS));
/** A root larger than this is not read (a lock found in a vendored or generated folder, say). */
const MAX_FILES = 20_000;

const relative = (root: vscode.Uri, uri: vscode.Uri): string | undefined => {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.scheme === root.scheme && uri.authority === root.authority && uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
};

/** The one document of a workspace source (statsig-workspace: + its `.source.json` path; the file's own scheme in the query when not `file`). */
export function workspaceDocumentUri(file: Pick<WorkspaceFile, 'jsonUri'>): vscode.Uri {
  const { jsonUri } = file;
  return jsonUri.with({ scheme: WORKSPACE_SCHEME, query: jsonUri.scheme === 'file' ? '' : `scheme=${encodeURIComponent(jsonUri.scheme)}` });
}

/** The `.source.json` file a `statsig-workspace:` document stands for; undefined for any other URI. */
export function jsonFileOf(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== WORKSPACE_SCHEME || !uri.path.endsWith(JSON_SUFFIX)) return undefined;
  const scheme = /^scheme=(.+)$/.exec(uri.query)?.[1];
  return uri.with({ scheme: scheme ? decodeURIComponent(scheme) : 'file', query: '' });
}

export class WorkspaceSources extends Disposable {
  private readonly log: Logger;
  private roots = new Map<string, WorkspaceRoot>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** The roots or what they hold changed. */
  readonly onDidChange = this.changed.event;
  private readonly fileChanged = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** A file under a root was created, changed or deleted on disk. */
  readonly onDidChangeFile = this.fileChanged.event;
  private discovery: Promise<void> | undefined;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(log: Logger) {
    super();
    this.log = log;
    const locks = this._register(vscode.workspace.createFileSystemWatcher(`**/${LOCK_FILE}`));
    this._register(locks.onDidCreate(() => void this.refresh()));
    this._register(locks.onDidDelete(() => void this.refresh()));
    this._register(locks.onDidChange((uri) => this.schedule(vscode.Uri.joinPath(uri, '..'))));
    const files = this._register(vscode.workspace.createFileSystemWatcher('**/*.{sql,json}'));
    const touched = (uri: vscode.Uri) => {
      const root = this.rootOf(uri);
      if (!root) return;
      this.schedule(root.uri);
      this.fileChanged.fire(uri);
    };
    this._register(files.onDidCreate(touched));
    this._register(files.onDidChange(touched));
    this._register(files.onDidDelete(touched));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()));
    this._register({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
  }

  /** Every root, once found (the first call looks for them). */
  async all(): Promise<readonly WorkspaceRoot[]> {
    await (this.discovery ??= this.discover());
    return [...this.roots.values()];
  }

  /** The roots found so far, without waiting (the tree paints with what is known and repaints on onDidChange). */
  known(): readonly WorkspaceRoot[] {
    void (this.discovery ??= this.discover());
    return [...this.roots.values()];
  }

  /** Looks for roots again (a lock appeared or went, a workspace folder was added). */
  refresh(): Promise<void> {
    this.discovery = this.discover();
    return this.discovery;
  }

  private async discover(): Promise<void> {
    // Restricted Mode: a folder's files are not read, validated (a dry run runs their SQL in the
    // project's warehouse) or pushed until the user trusts it.
    if (!vscode.workspace.isTrusted) {
      this.roots = new Map();
      this.changed.fire();
      return;
    }
    const found = await vscode.workspace.findFiles(`**/${LOCK_FILE}`, '**/{node_modules,.git}/**', 200);
    const next = new Map<string, WorkspaceRoot>();
    await Promise.all(found.map(async (lockUri) => {
      const root = await this.load(vscode.Uri.joinPath(lockUri, '..'));
      if (root) next.set(root.uri.toString(), root);
    }));
    this.roots = next;
    this.changed.fire();
  }

  private schedule(rootUri: vscode.Uri): void {
    const key = rootUri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      void this.reload(rootUri);
    }, 150));
  }

  /** Reads one root again now (after a pull or a push wrote it). */
  async reload(rootUri: vscode.Uri): Promise<WorkspaceRoot | undefined> {
    const root = await this.load(rootUri);
    const key = rootUri.toString();
    if (root) this.roots.set(key, root);
    else this.roots.delete(key);
    this.changed.fire();
    return root;
  }

  private async load(rootUri: vscode.Uri): Promise<WorkspaceRoot | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    try {
      const files = await readTree(rootUri);
      const lockText = files.get(LOCK_FILE);
      if (lockText === undefined) return undefined;
      const lock = parseLock(lockText);
      if (!lock.ok) {
        this.log('warn', `${vscode.Uri.joinPath(rootUri, LOCK_FILE).fsPath} is not a lock file (${lock.message}); its folder is not treated as Statsig sources.`);
        return undefined;
      }
      const folder = parseFolder(files);
      return { uri: rootUri, projectId: lock.lock.projectId, lock: lock.lock, sources: new Map(folder.sources.map((s) => [lockKey(s.ref), s])), problems: folder.problems };
    } catch (error) {
      this.log('warn', `The sources folder ${rootUri.fsPath} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** The root a file lies under (the innermost, should roots nest). */
  rootOf(uri: vscode.Uri): WorkspaceRoot | undefined {
    let best: WorkspaceRoot | undefined;
    for (const root of this.known()) {
      if (relative(root.uri, uri) !== undefined && (!best || root.uri.path.length > best.uri.path.length)) best = root;
    }
    return best;
  }

  /**
   * The workspace source a file or its one-document view (statsig-workspace:) belongs to, once the
   * roots are known; undefined for any other URI (statsig: documents included).
   */
  async find(uri: vscode.Uri): Promise<WorkspaceFile | undefined> {
    const file = jsonFileOf(uri) ?? uri;
    if (file.scheme.startsWith(SOURCE_SCHEME)) return undefined; // statsig:, statsig-remote:, statsig-report:
    await this.all();
    return this.fileOf(file);
  }

  /** The source a workspace file is one of the two files of (roots found so far); undefined for any other file. */
  fileOf(uri: vscode.Uri): WorkspaceFile | undefined {
    const root = this.rootOf(uri);
    const path = root && relative(root.uri, uri);
    const place = path !== undefined ? sourceOfFile(path) : undefined;
    if (!root || !place) return undefined;
    return {
      root, ref: place.ref, stem: place.stem, role: place.role,
      jsonUri: vscode.Uri.joinPath(root.uri, `${place.stem}.source.json`),
      sqlUri: vscode.Uri.joinPath(root.uri, `${place.stem}.sql`),
    };
  }

  /** Where the workspace holds this source of a project, if it does (in its lock or as files). */
  tracked(projectId: string, ref: SourceRef): Tracked | undefined {
    const key = lockKey(ref);
    for (const root of this.known()) {
      if (root.projectId !== projectId) continue;
      const local = root.sources.get(key);
      const baseHash = root.lock.sources[key]?.hash;
      if (local || baseHash) return { root, local, baseHash };
    }
    return undefined;
  }

  /** A source's files as they are on disk now (unsaved edits are not), parsed as the folder format reads them. */
  async readSource(file: WorkspaceFile): Promise<{ readonly source: LocalSource | undefined; readonly problems: readonly FolderProblem[] }> {
    const files = new Map<string, string>();
    for (const [uri, path] of [[file.jsonUri, `${file.stem}.source.json`], [file.sqlUri, `${file.stem}.sql`]] as const) {
      const text = await readText(uri);
      if (text !== undefined) files.set(path, text);
    }
    const parsed = parseFolder(files);
    return { source: parsed.sources[0], problems: parsed.problems };
  }

  /** A root's lock as on disk now (a pull or a push elsewhere may have moved it), without reading its sources. */
  async lockOf(rootUri: vscode.Uri): Promise<Lock | undefined> {
    const text = await readText(vscode.Uri.joinPath(rootUri, LOCK_FILE));
    const read = text === undefined ? undefined : parseLock(text);
    return read?.ok ? read.lock : undefined;
  }

  /** Writes files under a root and its lock (a pull, a push's new base), then reads the root again. */
  async write(rootUri: vscode.Uri, writes: readonly { path: string; text: string }[], removals: readonly string[], lock: Lock): Promise<WorkspaceRoot | undefined> {
    const encoder = new TextEncoder();
    // A few at a time (a pull of a large project writes thousands of files); the lock last, so a
    // failure midway leaves it saying what was there before.
    await mapBounded(writes, 64, async (f) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(rootUri, f.path), encoder.encode(f.text)));
    await mapBounded(removals, 64, async (p) => vscode.workspace.fs.delete(vscode.Uri.joinPath(rootUri, p), { useTrash: false }).then(undefined, () => undefined));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(rootUri, LOCK_FILE), encoder.encode(formatLock(lock)));
    return this.reload(rootUri);
  }

  /** Whether the workspace copy says the same as Statsig's version `data` (undefined: not tracked, or its files do not parse). */
  static sameAs(tracked: Tracked, ref: SourceRef, data: Readonly<Record<string, unknown>>): boolean | undefined {
    return tracked.local ? hashOf(ref, tracked.local.data) === hashOf(ref, data) : undefined;
  }
}

/**
 * A source's hash, once per object: the tree asks for every source at each repaint, and neither a
 * listing's record nor a parsed file changes in place (a new listing or a re-read makes new objects).
 */
const hashes = new WeakMap<object, string>();
function hashOf(ref: SourceRef, data: Readonly<Record<string, unknown>>): string {
  let hash = hashes.get(data);
  if (hash === undefined) {
    hash = sourceHash(ref.kind, data);
    hashes.set(data, hash);
  }
  return hash;
}

/** A file's text on disk (what a push sends and a save validates), else undefined. */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** The lock and every `.sql`/`.json` file in the kind folders of a root (relative paths with `/`), dot entries skipped. */
export async function readTree(root: vscode.Uri): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const decoder = new TextDecoder();
  const walk = async (dir: vscode.Uri, prefix: string): Promise<void> => {
    const entries = await vscode.workspace.fs.readDirectory(dir);
    await Promise.all(entries.map(async ([name, type]) => {
      if (name.startsWith('.') || SKIPPED.has(name) || files.size > MAX_FILES) return;
      // At the root only the lock and the kind folders (a lock at a repository's top: its package.json is not read).
      if (prefix === '' && name !== LOCK_FILE && !TOP_LEVEL.has(name)) return;
      const uri = vscode.Uri.joinPath(dir, name);
      const path = `${prefix}${name}`;
      if (type & vscode.FileType.Directory) await walk(uri, `${path}/`);
      else if (type & vscode.FileType.File && (name.endsWith('.sql') || name.endsWith('.json'))) files.set(path, decoder.decode(await vscode.workspace.fs.readFile(uri)));
    }));
  };
  await walk(root, '');
  return files;
}
