// Source-control-like marks on sources with a saved, unpushed draft: "M" for a change to an
// existing source, "A" for a source that does not exist on Statsig yet; red when the last
// validation of that draft failed. A drafted source that drifted (src/features/sources/drift.ts)
// gets "M↓" (changed on Statsig since the draft started) or "D↓" (deleted on Statsig): the arrow is
// what came from Statsig.
import * as vscode from 'vscode';
import { SOURCE_SCHEME } from '../../constants.ts';
import type { DraftStore } from './drafts.ts';
import { sourceOfSqlView, sqlViewUri } from './uris.ts';
import type { DriftWatcher } from '../sources/drift.ts';

export class DraftDecorations implements vscode.FileDecorationProvider {
  private readonly drafts: DraftStore;
  private readonly drift: DriftWatcher | undefined;
  readonly onDidChangeFileDecorations: vscode.Event<vscode.Uri[]>;

  constructor(drafts: DraftStore, drift?: DriftWatcher) {
    this.drafts = drafts;
    this.drift = drift;
    // A source's `.sql` view carries the same mark.
    const withViews = (uris: readonly vscode.Uri[]) => uris.flatMap((u) => [u, sqlViewUri(u)]);
    this.onDidChangeFileDecorations = (listener, thisArg, disposables) => {
      const subscriptions = [drafts.onDidChange((uris) => { listener.call(thisArg, withViews(uris)); })];
      if (drift) subscriptions.push(drift.onDidChange((uris) => { listener.call(thisArg, withViews(uris)); }));
      const all = vscode.Disposable.from(...subscriptions);
      if (Array.isArray(disposables)) disposables.push(all);
      return all;
    };
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SOURCE_SCHEME) return undefined;
    const source = sourceOfSqlView(uri)?.uri ?? uri;
    const draft = this.drafts.peek(source);
    if (!draft) return undefined;
    const failed = draft.validation?.state === 'failed' || draft.validation?.state === 'skipped';
    const drift = draft.isNew ? undefined : this.drift?.get(source);
    let badge = draft.isNew ? 'A' : 'M';
    let what = draft.isNew ? 'New source, not created on Statsig yet' : 'Saved draft, not pushed yet';
    let color = failed ? 'list.errorForeground' : draft.isNew ? 'gitDecoration.addedResourceForeground' : 'gitDecoration.modifiedResourceForeground';
    if (drift?.kind === 'deleted') {
      badge = 'D↓';
      what = 'Deleted on Statsig; your draft is kept';
      color = 'gitDecoration.deletedResourceForeground';
    } else if (drift?.kind === 'changed') {
      badge = 'M↓';
      what = `Changed on Statsig since your draft started (${drift.fields.join(', ')})`;
      if (drift.conflicting.length > 0) {
        what += `; your draft changed ${drift.conflicting.join(', ')} too`;
        color = 'gitDecoration.conflictingResourceForeground';
      }
    }
    const decoration = new vscode.FileDecoration(badge, failed ? `${what} — its last validation failed` : what, new vscode.ThemeColor(color));
    decoration.propagate = false;
    return decoration;
  }
}
