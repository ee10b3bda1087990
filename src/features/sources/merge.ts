// Merge with Statsig…: the draft, the version it started from (its base) and Statsig's version now,
// merged three ways (decided pure in src/core/merge.ts). A clean merge is shown as a diff and
// confirmed; a field both sides changed is asked field by field (Keep mine / Take Statsig's; Escape
// cancels the whole merge and changes nothing); SQL both sides changed in the same lines is written
// into the draft with conflict markers and the draft remembers the merge (Draft.merging) until a
// save without markers concludes it (src/features/documents/sourceFs.ts). Either way the draft then
// starts from Statsig's version it was merged with, so push needs no Overwrite. Nothing is written
// while the source has unsaved edits, and nothing is ever pushed from here.
//
// VS Code's own merge editor is not used: the only way to open it is the internal command
// `_open.mergeEditor` (no public, stable API; microsoft/vscode#153213), so conflicts are resolved
// with the standard markers in the `.sql` view (docs/merge.md).
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { parseDocument } from '../../core/document.ts';
import type { Draft } from '../../core/draftFiles.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { conflictMarkers, mergeSource, mergedText, preview, resolveField } from '../../core/merge.ts';
import { sameAsRemote } from '../../core/pushDecision.ts';
import { sqlOf } from '../../core/sqlView.ts';
import { withProgress } from '../../platform/notify.ts';
import { formatPath } from '../../shared/jsonPath.ts';
import { plural } from '../../shared/format.ts';
import { commandSource, parseSourceUri, sqlViewUri } from '../documents/uris.ts';
import type { CommandFactory, Feature, Services } from '../services.ts';

type Json = Record<string, unknown>;

export const KEEP_MINE = 'Keep mine';
export const TAKE_STATSIG = 'Take Statsig\'s';
export const APPLY_MERGE = 'Apply Merge';

/** The source's JSON or its `.sql` view has unsaved edits in an editor. */
function unsaved(uri: vscode.Uri): boolean {
  const mine = new Set([uri.toString(), sqlViewUri(uri).toString()]);
  return vscode.workspace.textDocuments.some((d) => d.isDirty && mine.has(d.uri.toString()));
}

const listed = (fields: readonly string[]) => fields.join(', ');

/** Waits (briefly) until an open document shows `text`: after a change event VS Code reloads it on its own time. */
async function showing(doc: vscode.TextDocument, text: string, timeoutMs = 3_000): Promise<void> {
  if (doc.getText() === text) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      listener.dispose();
      clearTimeout(timer);
      resolve();
    };
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && doc.getText() === text) done();
    });
    const timer = setTimeout(done, timeoutMs);
  });
}

/**
 * Tells VS Code the draft changed, and waits until the source's open documents (its JSON, its `.sql`
 * view) show `text`: a push or a merge right after must not find an editor still on the old text.
 */
async function documentsFollow(fs: Services['fs'], uri: vscode.Uri, kind: Parameters<typeof sqlOf>[0], text: string): Promise<void> {
  fs.notifyChanged(uri);
  const sql = sqlOf(kind, text);
  const open = (u: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString() && !d.isDirty);
  const source = open(uri);
  const view = open(sqlViewUri(uri));
  await Promise.all([source && showing(source, text), view && sql.ok ? showing(view, sql.sql) : undefined]);
}

/** Opens the source's `.sql` view with the cursor on its first conflict marker. */
export async function openAtFirstMarker(uri: vscode.Uri, sql?: string): Promise<void> {
  await vscode.commands.executeCommand(Commands.openSql, uri);
  const view = sqlViewUri(uri).toString();
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === view);
  if (!editor) return;
  if (sql !== undefined) await showing(editor.document, sql);
  const first = conflictMarkers(editor.document.getText())[0];
  if (!first) return;
  const at = new vscode.Position(first.line, 0);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export const mergeCommands: CommandFactory<typeof Commands.merge> = (services) => {
  const { connections, drafts, fs, state, validator, log, prompts, snapshots } = services;

  const refuseUnsaved = (name: string) => void prompts.warning(
    `"${name}" has unsaved changes. Save them first (Ctrl+S), then merge: the merge starts from your saved draft, so nothing you typed is lost.`, {},
  );

  /**
   * Nothing changed the draft since the merge read it (it may have taken a while to answer); false,
   * with the reason told, otherwise.
   */
  async function unchanged(uri: vscode.Uri, name: string, read: Draft): Promise<boolean> {
    if (unsaved(uri)) {
      refuseUnsaved(name);
      return false;
    }
    const now = await drafts.get(uri);
    if (now?.content === read.content && !now.merging) return true;
    void prompts.warning(`Nothing was merged: the draft of "${name}" changed while you were merging (saved, pushed or discarded). Merge again to merge that version.`, {});
    return false;
  }

  /** The draft becomes `text`, based on `remote` (or goes, when it is now Statsig's version itself). */
  async function apply(uri: vscode.Uri, name: string, text: string, value: Json, remote: Json): Promise<void> {
    const kind = parseSourceUri(uri)?.ref.kind;
    if (kind && sameAsRemote(value, remote, descriptor(kind).serverOwnedFields)) {
      await drafts.delete(uri);
      state.pushed(uri, remote);
      validator.clear(uri, { tone: 'ok', text: 'Same as Statsig\'s version: no local changes.' });
      log('info', `Merged ${name}: the draft equals Statsig's version now and was dropped.`);
      void prompts.info(`Merged: your draft of "${name}" now equals Statsig's version, so no draft is kept.`);
      return;
    }
    // Save first, then the new base: whatever happens in between, the merged text is on disk.
    await drafts.save(uri, text, null, false);
    await drafts.rebase(uri, remote);
    state.remember(uri, remote);
    if (kind) await documentsFollow(fs, uri, kind, text);
    log('info', `Merged ${name} with Statsig's current version; the draft is now based on it.`);
    await validator.validate(uri, text);
  }

  async function merge(arg?: unknown): Promise<void> {
    const source = commandSource(arg, (m) => prompts.info(m), 'Open a Statsig source, or pick one in the Statsig view, to merge it with Statsig.');
    if (!source) return;
    const { uri, ...parsed } = source;
    const d = descriptor(parsed.ref.kind);
    const name = refLabel(parsed.ref);
    const { project } = await connections.connection(parsed.projectId);
    if (unsaved(uri)) {
      refuseUnsaved(name);
      return;
    }
    const draft = await drafts.get(uri);
    if (!draft) {
      void prompts.info(`"${name}" has no saved draft, so there is nothing to merge.`);
      return;
    }
    if (draft.isNew) {
      void prompts.info(`"${name}" is a new source that is not on Statsig yet, so there is nothing to merge it with.`);
      return;
    }
    if (draft.merging) {
      const open = 'Open SQL';
      const choice = await prompts.warning(`A merge of "${name}" is already in progress: resolve the conflicts in its SQL (keep the lines you want, delete the markers) and save.`, {}, open);
      if (choice === open) await openAtFirstMarker(uri);
      return;
    }
    const doc = parseDocument(draft.content);
    if (!doc.ok) {
      void prompts.error(`The draft of "${name}" is not valid JSON, so it cannot be merged. Fix it (Open as JSON) and save, then merge.`);
      return;
    }
    let remote: Json;
    try {
      remote = (await withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${name} from Statsig…` }, () => state.fetch(uri))).data;
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        void prompts.warning(`"${name}" was deleted on Statsig in "${project.label}", so there is nothing to merge with. Your draft is kept: Discard it, or recreate the source from it.`, {});
        return;
      }
      throw error;
    }
    if (draft.base === null) {
      const choice = await prompts.warning(
        `Statsig's version that your draft of "${name}" started from is unknown (the draft was saved from an editor restored after a restart), so a merge cannot tell your changes from Statsig's. Compare shows Statsig's version next to your draft.`,
        {}, 'Compare',
      );
      if (choice === 'Compare') await vscode.commands.executeCommand(Commands.compare, uri);
      return;
    }
    if (sameAsRemote(draft.base, remote, d.serverOwnedFields)) {
      void prompts.info(`Nothing to merge: "${name}" has not changed on Statsig since your draft started from it.`);
      return;
    }

    const result = mergeSource(d.id, draft.base, doc.value, remote);
    let merged = result.merged;
    const taken = [...result.takenFromStatsig];
    const kept = [...result.keptFromDraft];
    // Fields both sides changed differently: one question each; Escape cancels the whole merge.
    for (const [i, c] of result.fieldConflicts.entries()) {
      const field = formatPath(c.path);
      const choice = await (prompts.pick?.([
        { label: KEEP_MINE, description: preview(c.draft) },
        { label: TAKE_STATSIG, description: preview(c.remote) },
      ], {
        title: `Merge "${name}" (${i + 1}/${result.fieldConflicts.length}): "${field}" changed on both sides`,
        placeHolder: `It was ${preview(c.base, 60)} when your draft started. Escape cancels the merge.`,
      }) ?? Promise.resolve(undefined));
      if (choice === undefined) {
        void prompts.info(`Merge of "${name}" cancelled: nothing changed.`);
        return;
      }
      if (choice === TAKE_STATSIG) {
        merged = resolveField(merged, c.path, c.remote);
        taken.push(field);
      } else kept.push(field);
    }
    const text = mergedText(draft.content, merged);

    if (result.sqlConflicts > 0) {
      if (!(await unchanged(uri, name, draft))) return;
      if (!(await drafts.startMerge(uri, text, remote))) {
        void prompts.warning(`Nothing was merged: the draft of "${name}" is gone (pushed or discarded meanwhile).`, {});
        return;
      }
      state.remember(uri, remote);
      await documentsFollow(fs, uri, d.id, text);
      log('info', `Merge of ${name}: ${plural(result.sqlConflicts, 'conflict')} in the SQL, written into the draft with markers.`);
      await validator.validate(uri, text);
      const sql = sqlOf(d.id, text);
      await openAtFirstMarker(uri, sql.ok ? sql.sql : undefined);
      void prompts.warning(
        `${plural(result.sqlConflicts, 'conflict')} in the SQL of "${name}": your draft and Statsig changed the same lines. Between the markers, keep the lines you want, delete the markers, and save; then push.`, {},
      );
      return;
    }
    if (result.fieldConflicts.length > 0) {
      // Every conflict was answered: the merge concludes at once.
      if (!(await unchanged(uri, name, draft))) return;
      await apply(uri, name, text, merged, remote);
      void prompts.info(`Merged "${name}" with Statsig's version${taken.length ? ` (from Statsig: ${listed(taken)})` : ''}. Push sends your result without Overwrite.`);
      return;
    }

    // A clean merge: shown (Statsig now ↔ the merged draft), then confirmed.
    const title = `${name}: Statsig (now) ↔ merged draft`;
    await snapshots.show(uri, remote, { content: text }, title);
    const what = [
      taken.length ? `From Statsig: ${listed(taken)}.` : '',
      kept.length ? `Kept from your draft: ${listed(kept)}.` : '',
      result.sqlFromBoth ? `SQL ("${d.sqlField}"): your changed lines and Statsig's, merged line by line.` : '',
    ].filter(Boolean).join(' ');
    const choice = await prompts.warning(
      `Apply the merge to your draft of "${name}"?`,
      { modal: true, detail: `${what} The diff shows Statsig's version now next to the merged draft. Your draft then starts from Statsig's current version in "${project.label}", so push sends only your changes, without Overwrite. Nothing is pushed now.` },
      APPLY_MERGE,
    );
    await snapshots.close(uri);
    if (choice !== APPLY_MERGE || !(await unchanged(uri, name, draft))) return;
    await apply(uri, name, text, merged, remote);
    void prompts.info(`Merged "${name}" with Statsig's version. Push sends your result without Overwrite.`);
  }

  return { [Commands.merge]: merge };
};

/** The save that removes a merge's last conflict marker concludes it: said once, here. */
export const registerMergeNotices: Feature = ({ fs, prompts, log }: Services) => fs.onDidSaveDraft(({ uri, resolvesMerge, persisted }) => {
  if (!resolvesMerge) return;
  const parsed = parseSourceUri(uri);
  const name = parsed ? refLabel(parsed.ref) : 'the source';
  void persisted.then(() => {
    log('info', `Merge of ${name} concluded: its draft is now based on the version of Statsig it was merged with.`);
    void prompts.info(`Merge of "${name}" finished: your draft is now based on Statsig's version it was merged with. Push sends it without Overwrite.`);
  }, () => undefined);
});
