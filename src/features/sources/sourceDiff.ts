// Every diff the product shows (push confirmation, Compare, a conflict) shows the SQL as SQL — a
// text diff of the `.sql` views, Statsig's on the left — and the other fields as a readable JSON
// diff without the SQL, both in one changes editor; never the SQL as one escaped JSON line.
import * as vscode from 'vscode';
import { ContextKeys, SOURCE_SCHEME } from '../../constants.ts';
import { formatSource, parseDocument } from '../../core/document.ts';
import { descriptor } from '../../core/kinds.ts';
import { sqlOf } from '../../core/sqlView.ts';
import type { SourceState } from '../documents/sourceState.ts';
import { REMOTE_SCHEME, parseSourceUri, remoteUri, sourceOfSqlView, sqlViewUri } from '../documents/uris.ts';

type Json = Record<string, unknown>;
type Side = 'statsig' | 'draft';

/** The query of a live original: Statsig's version as known now, not a snapshot. */
const LIVE_QUERY = 'statsig';

/**
 * Read-only snapshots for diffs: Statsig's version on the left, the exact draft being pushed on the
 * right; and live originals for quick diff (the gutter of a source's JSON and `.sql` documents):
 * Statsig's version as last read, updated when it changes.
 */
export class RemoteSnapshots implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly state: SourceState;
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The titles of the diffs opened per source, so they can be closed again. */
  private readonly titles = new Map<string, Set<string>>();
  /** Push diffs waiting for the user's Push… or Cancel, by source. */
  private readonly reviews = new Map<string, { readonly title: string; readonly settle: (push: boolean) => void }>();

  constructor(state: SourceState) {
    this.state = state;
    this.subscription = state.onDidUpdate((uri) => {
      const live = liveOriginal(uri);
      this.changed.fire(live);
      this.changed.fire(liveOriginal(sqlViewUri(uri)));
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === LIVE_QUERY) return this.liveText(uri);
    // Snapshots live as long as the window: one restored from an earlier session is gone.
    return this.texts.get(uri.toString()) ?? '// This snapshot is from an earlier session and has expired. Push or Compare again to see the current diff.\n';
  }

  /** Statsig's version of the source (its `.sql` view: its SQL); empty when it does not exist there. */
  private async liveText(uri: vscode.Uri): Promise<string> {
    const local = uri.with({ scheme: SOURCE_SCHEME, query: '' });
    const sql = sourceOfSqlView(local);
    const source = sql?.uri ?? local;
    const kind = parseSourceUri(source)?.ref.kind;
    if (!kind) return '';
    let remote: Json;
    try {
      remote = (await this.state.read(source)).data;
    } catch {
      return ''; // not on Statsig (a new source), or not readable now: every line counts as changed
    }
    const text = formatSource(remote);
    return sql ? sqlText(kind, text) : text;
  }

  /** `side` keeps the two snapshots of one diff apart; `uri` is the source's document or its `.sql` view. */
  snapshotText(uri: vscode.Uri, text: string, side: Side): vscode.Uri {
    const snap = remoteUri(uri, Date.now()).with({ fragment: side });
    this.texts.set(snap.toString(), text);
    return snap;
  }

  /**
   * Opens the diff of a source: its SQL as SQL and its other fields as JSON. `right` is the draft's
   * text as a snapshot (what a push sends), or 'live' for the source's own documents (editable).
   */
  async show(uri: vscode.Uri, remote: Json | undefined, right: { readonly content: string } | 'live', title: string): Promise<void> {
    const kind = parseSourceUri(uri)?.ref.kind;
    if (!kind) return;
    const field = descriptor(kind).sqlField;
    const remoteText = remote ? formatSource(remote) : '{}';
    const rightText = right === 'live' ? await currentText(uri) : right.content;
    const sqlLeft = this.snapshotText(sqlViewUri(uri), sqlText(kind, remoteText), 'statsig');
    const sqlRight = right === 'live' ? sqlViewUri(uri) : this.snapshotText(sqlViewUri(uri), sqlText(kind, rightText), 'draft');
    const fieldsLeft = this.snapshotText(uri, withoutField(remoteText, field), 'statsig');
    const fieldsRight = this.snapshotText(uri, withoutField(rightText, field), 'draft');
    const key = uri.toString();
    this.titles.set(key, (this.titles.get(key) ?? new Set()).add(title));
    await vscode.commands.executeCommand('vscode.changes', title, [[sqlRight, sqlLeft, sqlRight], [uri, fieldsLeft, fieldsRight]]);
  }

  /**
   * While the user reads the push diff titled `title` (scrolling it freely: nothing modal is shown):
   * `answer` is true once they choose Push… (the diff's title bar, or this review's `decide`), false
   * on Cancel, when that diff is closed, or when another push of the same source starts. `decide`
   * answers this review only (a notification left over from an earlier push cannot answer a later one).
   */
  review(uri: vscode.Uri, title: string): { readonly answer: Promise<boolean>; readonly decide: (push: boolean) => void } {
    const key = uri.toString();
    this.reviews.get(key)?.settle(false);
    const isTheDiff = (t: vscode.Tab) => t.label.startsWith(title);
    // Kept open (not a preview tab): a file opened meanwhile must not replace it, which would cancel the push.
    const front = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (front && isTheDiff(front) && front.isPreview) void vscode.commands.executeCommand('workbench.action.keepEditor');
    let decide: (push: boolean) => void = () => undefined;
    const answer = new Promise<boolean>((resolve) => {
      const closed = vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.some(isTheDiff) && !vscode.window.tabGroups.all.some((g) => g.tabs.some(isTheDiff))) settle(false);
      });
      const settle = (push: boolean) => {
        if (this.reviews.get(key)?.settle !== settle) return;
        this.reviews.delete(key);
        closed.dispose();
        void this.updateReviewing();
        resolve(push);
      };
      decide = settle;
      this.reviews.set(key, { title, settle });
      void this.updateReviewing();
    });
    return { answer, decide };
  }

  /** Push… (`push`) or Cancel from the title bar: answers the review of the push diff in front; false when there is none. */
  decideInFront(push: boolean): boolean {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
    const review = [...this.reviews.values()].find((r) => active?.startsWith(r.title));
    review?.settle(push);
    return review !== undefined;
  }

  private updateReviewing(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', ContextKeys.reviewingPush, this.reviews.size > 0);
  }

  /** Closes the diffs of this source (Compare, push), whatever editor shows them. */
  async close(uri: vscode.Uri): Promise<void> {
    const titles = this.titles.get(uri.toString()) ?? new Set<string>();
    const sameSource = (u: vscode.Uri) => u.scheme === REMOTE_SCHEME && u.authority === uri.authority && (u.path === uri.path || u.path === sqlViewUri(uri).path);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
      [...titles].some((title) => t.label.startsWith(title)) || diffsOf(t).some((d) => sameSource(d.original)));
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
    this.titles.delete(uri.toString());
  }
}

/** Quick diff's original of a source's JSON document or `.sql` view: Statsig's version, live. */
export function liveOriginal(uri: vscode.Uri): vscode.Uri {
  return uri.with({ scheme: REMOTE_SCHEME, query: LIVE_QUERY, fragment: '' });
}

/** The diffs a tab shows: a text diff, or each diff of a changes editor (its input type is not in @types/vscode 1.90). */
function diffsOf(tab: vscode.Tab): readonly { readonly original: vscode.Uri }[] {
  const input: unknown = tab.input;
  if (input instanceof vscode.TabInputTextDiff) return [input];
  const diffs = (input as { textDiffs?: unknown } | undefined)?.textDiffs;
  return Array.isArray(diffs) ? diffs.filter((d): d is { original: vscode.Uri } => (d as { original?: unknown } | undefined)?.original instanceof vscode.Uri) : [];
}

/** The source's text as its document holds it now (unsaved edits included), or as saved. */
async function currentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function sqlText(kind: Parameters<typeof sqlOf>[0], json: string): string {
  const read = sqlOf(kind, json);
  return read.ok ? read.sql : `-- ${read.reason}\n`;
}

/** The fields other than the SQL, formatted; text that does not parse is shown as it is. */
function withoutField(json: string, field: string): string {
  const parsed = parseDocument(json);
  if (!parsed.ok) return json;
  const { [field]: _sql, ...rest } = parsed.value;
  return formatSource(rest);
}
