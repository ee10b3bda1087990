// `statsig-workspace:` documents: a workspace source's two plain files (`<name>.source.json` and
// `<name>.sql`, src/core/sourceFiles.ts) as the one JSON document the custom editor edits. Reading
// joins them (the SQL put in as the SQL field, every other byte of the JSON kept); VS Code's Save
// splits the document back and writes each file that changed, so git, diffs and other extensions
// keep seeing plain files. The URI is the `.source.json` file's with this scheme (its own scheme,
// when not `file`, in the query).
import * as vscode from 'vscode';
import { joinSourceFiles, splitSourceFiles } from '../../core/sqlView.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { jsonFileOf, readText, workspaceDocumentUri, type WorkspaceFile, type WorkspaceSources } from './workspaceSources.ts';

export class WorkspaceSourceFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly sources: WorkspaceSources;
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;

  constructor(sources: WorkspaceSources) {
    super();
    this.sources = sources;
    // Either file changed on disk (git checkout, another editor, a pull): the document follows.
    this._register(sources.onDidChangeFile((uri) => {
      const file = sources.fileOf(uri);
      if (file) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: workspaceDocumentUri(file) }]);
    }));
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  /** The workspace source a document stands for, once the roots are known. */
  private async fileOf(uri: vscode.Uri): Promise<WorkspaceFile> {
    const file = jsonFileOf(uri) && (await this.sources.find(uri));
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const json = jsonFileOf(uri);
    if (!json) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const file = await this.fileOf(uri);
    const stats = await Promise.all([file.jsonUri, file.sqlUri].map((u) => vscode.workspace.fs.stat(u).then((s) => s, () => undefined)));
    const [json_, sql] = stats;
    if (!json_) throw vscode.FileSystemError.FileNotFound(uri);
    // The later of the two: a change to either is a change of the document.
    return { type: vscode.FileType.File, ctime: json_.ctime, mtime: Math.max(json_.mtime, sql?.mtime ?? 0), size: json_.size + (sql?.size ?? 0) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = await this.fileOf(uri);
    const json = await readText(file.jsonUri);
    if (json === undefined) throw vscode.FileSystemError.FileNotFound(file.jsonUri);
    const joined = joinSourceFiles(file.ref.kind, json, await readText(file.sqlUri));
    if (!joined.ok) throw vscode.FileSystemError.Unavailable(joined.reason);
    return new TextEncoder().encode(joined.json);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const file = await this.fileOf(uri);
    const split = splitSourceFiles(file.ref.kind, new TextDecoder().decode(content));
    if (!split.ok) throw vscode.FileSystemError.NoPermissions(split.reason);
    // Only what changed is written (an unchanged file keeps its time; git sees no change).
    const encoder = new TextEncoder();
    if (split.sql !== undefined && split.sql !== (await readText(file.sqlUri))) await vscode.workspace.fs.writeFile(file.sqlUri, encoder.encode(split.sql));
    if (split.json !== (await readText(file.jsonUri))) await vscode.workspace.fs.writeFile(file.jsonUri, encoder.encode(split.json));
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Create source files in the Explorer (or with Pull to Workspace…).');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete the source\'s files in the Explorer.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Rename the source\'s files in the Explorer (both, and its "name").');
  }
}
