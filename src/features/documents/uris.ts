// vscode.Uri wrappers around src/core/sourceUri.ts: a source's document is
// statsig://<projectId>/<kind>/<name>.json; the remote snapshot shown on the left of a diff lives
// under statsig-remote: with the same path.
import * as vscode from 'vscode';
import { REMOTE_SCHEME, SOURCE_SCHEME } from '../../constants.ts';

export { REMOTE_SCHEME };
import type { SourceRef } from '../../core/kinds.ts';
import { projectAuthority, projectIdFromAuthority } from '../../core/projects.ts';
import { parseSourcePath, sourcePath } from '../../core/sourceUri.ts';


export function sourceUri(projectId: string, ref: SourceRef): vscode.Uri {
  return vscode.Uri.from({ scheme: SOURCE_SCHEME, authority: projectAuthority(projectId), path: sourcePath(ref) });
}

export function parseSourceUri(uri: vscode.Uri): { projectId: string; ref: SourceRef } | undefined {
  if (uri.scheme !== SOURCE_SCHEME && uri.scheme !== REMOTE_SCHEME) return undefined;
  const ref = parseSourcePath(uri.path);
  const projectId = projectIdFromAuthority(uri.authority);
  return ref && projectId ? { projectId, ref } : undefined;
}

/** The `.sql` view of a source's document: its SQL as a document of its own (same project, same path, `.sql`). */
export function sqlViewUri(uri: vscode.Uri): vscode.Uri {
  const parsed = parseSourceUri(uri);
  return parsed ? uri.with({ path: sourcePath(parsed.ref, 'sql'), query: '', fragment: '' }) : uri;
}

/** The source document a `.sql` view shows the SQL of; undefined for any other URI. */
export function sourceOfSqlView(uri: vscode.Uri): { uri: vscode.Uri; projectId: string; ref: SourceRef } | undefined {
  if (uri.scheme !== SOURCE_SCHEME) return undefined;
  const ref = parseSourcePath(uri.path, 'sql');
  const projectId = projectIdFromAuthority(uri.authority);
  return ref && projectId ? { uri: sourceUri(projectId, ref), projectId, ref } : undefined;
}

/**
 * The source a command argument names: a tree node, a Uri (a `.sql` view names its source), a
 * source control resource (its resourceUri), or the active editor's document.
 */
export function sourceUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return parseSourceUri(arg) ? arg : sourceOfSqlView(arg)?.uri;
  if (arg && typeof arg === 'object') {
    const node = arg as { type?: unknown; project?: { id?: unknown }; record?: { ref?: SourceRef }; resourceUri?: unknown };
    if (node.type === 'source' && typeof node.project?.id === 'string' && node.record?.ref) return sourceUri(node.project.id, node.record.ref);
    if (node.resourceUri instanceof vscode.Uri) return sourceUriOf(node.resourceUri);
  }
  const active = activeSourceUri();
  return active;
}

/**
 * The source a command acts on (`sourceUriOf(arg)`), or undefined once the user has been told what
 * to pick (`hint`: "Open a Statsig source, or pick one in the Statsig view, to push it.").
 */
export function commandSource(arg: unknown, say: (message: string) => unknown, hint: string): { uri: vscode.Uri; projectId: string; ref: SourceRef } | undefined {
  const uri = sourceUriOf(arg);
  const parsed = uri && parseSourceUri(uri);
  if (!uri || !parsed) {
    void say(hint);
    return undefined;
  }
  return { uri, ...parsed };
}

/** The statsig: document of the active editor, whether a text editor or our custom editor. */
export function activeSourceUri(): vscode.Uri | undefined {
  const input: unknown = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  let uri: vscode.Uri | undefined;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) uri = input.uri;
  else if (input instanceof vscode.TabInputTextDiff) uri = input.modified;
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== SOURCE_SCHEME) return undefined;
  return parseSourceUri(uri) ? uri : sourceOfSqlView(uri)?.uri;
}

export function remoteUri(uri: vscode.Uri, stamp: number): vscode.Uri {
  return uri.with({ scheme: REMOTE_SCHEME, query: `t=${stamp}` });
}
