// Source-control-like marks on sources with a saved, unpushed draft: "M" for a change to an
// existing source, "A" for a source that does not exist on Statsig yet; red when the last
// validation of that draft failed.
import * as vscode from 'vscode';
import { SOURCE_SCHEME } from '../../constants.ts';
import type { DraftStore } from './drafts.ts';
import { sourceOfSqlView, sqlViewUri } from './uris.ts';

export class DraftDecorations implements vscode.FileDecorationProvider {
  private readonly drafts: DraftStore;
  readonly onDidChangeFileDecorations: vscode.Event<vscode.Uri[]>;

  constructor(drafts: DraftStore) {
    this.drafts = drafts;
    // A source's `.sql` view carries the same mark.
    this.onDidChangeFileDecorations = (listener, thisArg, disposables) =>
      drafts.onDidChange((uris) => {
        listener.call(thisArg, uris.flatMap((u) => [u, sqlViewUri(u)]));
      }, undefined, disposables);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SOURCE_SCHEME) return undefined;
    const draft = this.drafts.peek(sourceOfSqlView(uri)?.uri ?? uri);
    if (!draft) return undefined;
    const failed = draft.validation?.state === 'failed' || draft.validation?.state === 'skipped';
    const badge = draft.isNew ? 'A' : 'M';
    const what = draft.isNew ? 'New source, not created on Statsig yet' : 'Saved draft, not pushed yet';
    const decoration = new vscode.FileDecoration(
      badge,
      failed ? `${what} — its last validation failed` : what,
      new vscode.ThemeColor(failed ? 'list.errorForeground' : draft.isNew ? 'gitDecoration.addedResourceForeground' : 'gitDecoration.modifiedResourceForeground'),
    );
    decoration.propagate = false;
    return decoration;
  }
}
