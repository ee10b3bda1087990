// Open, Open as JSON, Discard Local Changes, Delete and New Source. Every destructive step asks
// first (modal), names the project, and never loses a draft it was not asked to drop.
import * as vscode from 'vscode';
import { Commands, EDITOR_VIEW_TYPE } from '../../constants.ts';
import { identityOf, refLabel, refOf } from '../../core/kinds.ts';
import { formatSource } from '../../core/document.ts';
import { errorMessage, ValidationError } from '../../core/errors.ts';
import { KINDS, descriptor, unaddressableReason, type KindId } from '../../core/kinds.ts';
import type { Project } from '../../core/projects.ts';
import { templateFor } from '../../core/templates.ts';
import { commandSource, parseSourceUri, sourceUri, sourceUriOf, sqlViewUri } from '../documents/uris.ts';
import type { CommandFactory } from '../services.ts';
import type { RemoteSnapshots } from './sourceDiff.ts';
import { withProgress } from '../../platform/notify.ts';

/** Closes every editor of the source: its custom editor, its JSON, its `.sql` view and its diffs. */
async function closeTabsOf(uri: vscode.Uri, snapshots: RemoteSnapshots): Promise<void> {
  const mine = new Set([uri.toString(), sqlViewUri(uri).toString()]);
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input: unknown = t.input;
    return (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) && mine.has(input.uri.toString());
  });
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  await snapshots.close(uri);
}

/**
 * Takes unsaved edits back to what is saved, so that closing the editor asks nothing (a "Save?"
 * answered yes would bring back the draft that is being dropped).
 */
export async function revertEditor(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
  if (!doc?.isDirty) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert', uri);
}

export function nameProblem(name: string, existing: readonly string[]): string | undefined {
  if (name.length === 0) return 'Enter a name.';
  if (name !== name.trim()) return 'A name cannot start or end with spaces.';
  if (name.length > 100) return 'Keep the name under 100 characters.';
  if ([...name].some((c) => c.charCodeAt(0) < 32)) return 'A name cannot contain control characters.';
  const unaddressable = unaddressableReason(name);
  if (unaddressable) return `Choose another name: ${unaddressable}.`;
  if (existing.some((e) => e.toLowerCase() === name.toLowerCase())) return `"${name}" already exists; pick another name.`;
  return undefined;
}

export const sourceCommands: CommandFactory<
  typeof Commands.open | typeof Commands.openAsJson | typeof Commands.openSql | typeof Commands.discard | typeof Commands.delete | typeof Commands.newSource
> = (services) => {
  const { connections, drafts, fs, state, validator, model, log, prompts, snapshots } = services;

  /**
   * `options.preview`: a single click in the tree opens a preview tab, as files do. `view` 'sql'
   * opens the source's SQL as a text document of its own (its `.sql` view), in a real text editor.
   */
  const open = (viewType: string, view: 'source' | 'sql' = 'source') => async (arg?: unknown, optionsArg?: unknown) => {
    const options = optionsArg && typeof optionsArg === 'object' ? (optionsArg as { preview?: unknown }) : undefined;
    const uri = sourceUriOf(arg);
    if (!uri) {
      void prompts.info('Pick a source in the Statsig view to open it.');
      return;
    }
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
    if (!(await drafts.get(uri)) && !doc?.isDirty) {
      const parsed = parseSourceUri(uri);
      const label = parsed ? refLabel(parsed.ref) : 'the source';
      await withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${label} from Statsig…` }, () => state.refresh(uri));
    }
    if (view === 'sql') {
      const doc = await vscode.workspace.openTextDocument(sqlViewUri(uri));
      if (doc.languageId !== 'sql') await vscode.languages.setTextDocumentLanguage(doc, 'sql');
      await vscode.window.showTextDocument(doc, { preview: options?.preview === true });
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { preview: options?.preview === true });
  };

  async function discard(arg?: unknown): Promise<void> {
    const uri = sourceUriOf(arg);
    const parsed = uri && parseSourceUri(uri);
    if (!uri || !parsed) return;
    const name = refLabel(parsed.ref);
    const draft = await drafts.get(uri);
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
    if (!draft && !doc?.isDirty) {
      void prompts.info(`"${name}" has no local changes.`);
      return;
    }
    const choice = await prompts.warning(
      `Discard your local changes to "${name}"?`,
      { modal: true, detail: draft?.isNew ? 'This source was never pushed: the draft is deleted and nothing remains.' : 'The saved draft and any unsaved edits are deleted; the editor shows Statsig\'s version again.' },
      'Discard',
    );
    if (choice !== 'Discard') return;
    // Without a connection Statsig's version cannot be shown in its place: the editor closes
    // instead of going on showing the discarded draft.
    const connected = (await connections.list()).some((p) => p.id === parsed.projectId);
    if (draft?.isNew || !connected) {
      // Revert to the saved draft while it still exists, then drop it and close its editors.
      await revertEditor(uri);
      await drafts.delete(uri);
      validator.clear(uri);
      await closeTabsOf(uri, snapshots);
      log('info', `Discarded the ${draft?.isNew ? 'unpushed new source' : 'draft (project not connected)'} ${name}.`);
      void prompts.info(draft?.isNew ? `Discarded "${name}"; it was never pushed, so nothing remains.` : `Discarded your draft of "${name}". Its project is not connected, so its editor was closed.`);
      return;
    }
    await drafts.delete(uri);
    state.forget(uri);
    try {
      await state.fetch(uri);
    } catch (error) {
      // The draft is gone, but Statsig's version cannot be read now: close rather than show the old text.
      await revertEditor(uri);
      validator.clear(uri);
      await closeTabsOf(uri, snapshots);
      log('warn', `Discarded ${name}, but Statsig's version could not be read: ${errorMessage(error)}`);
      void prompts.warning(`Discarded your draft of "${name}". Statsig's version could not be read just now, so its editor was closed; open it again later.`, {});
      return;
    }
    validator.clear(uri, { tone: 'ok', text: 'Local changes discarded; showing Statsig\'s version.' });
    await revertEditor(uri);
    fs.notifyChanged(uri);
    log('info', `Discarded local changes to ${name}.`);
  }

  async function remove(arg?: unknown): Promise<void> {
    const source = commandSource(arg, (m) => prompts.info(m), 'Pick a source in the Statsig view to delete it.');
    if (!source) return;
    const { uri, ...parsed } = source;
    const d = descriptor(parsed.ref.kind);
    const name = refLabel(parsed.ref);
    const { api, project } = await connections.connection(parsed.projectId);
    const draft = await drafts.get(uri);
    if (draft?.isNew) return discard(uri);
    if (!d.capabilities.delete) {
      void prompts.info(`Statsig offers no way to delete ${d.label.toLowerCase()}; "${name}" stays.`);
      return;
    }
    let dependents = '';
    if (d.paths.dependents) {
      const ref = parsed.ref;
      const metrics = await withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Looking for metrics built on "${name}"…` },
        async () => (await api.dependents(ref)) ?? [],
      );
      const names = metrics.map((m) => (typeof m['name'] === 'string' ? m['name'] : typeof m['id'] === 'string' ? m['id'] : '?'));
      dependents = names.length
        ? `${names.length} metric${names.length === 1 ? ' is' : 's are'} built on it and may break: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`
        : 'No metric is built on it.';
    }
    const choice = await prompts.warning(
      `Delete ${d.singular} "${name}" from Statsig project "${project.label}"?`,
      { modal: true, detail: [dependents, 'This cannot be undone.', draft ? 'Your unpushed draft of it is deleted too.' : ''].filter(Boolean).join(' ') },
      'Delete',
    );
    if (choice !== 'Delete') return;
    try {
      await withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting "${name}"…` }, () => api.delete(parsed.ref));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const reasons = error.errors.map((e) => e.errorMessage).join(' ') || error.message;
      void prompts.error(`Statsig refused to delete "${name}": ${reasons}`);
      return;
    }
    await revertEditor(uri);
    await drafts.delete(uri);
    state.forget(uri);
    validator.clear(uri);
    await closeTabsOf(uri, snapshots);
    log('info', `Deleted ${d.singular} ${name} from project "${project.label}".`);
    void model.refresh(project.id, d.id);
    void prompts.info(`Deleted ${d.singular} "${name}" from "${project.label}".`);
  }

  /**
   * From the palette, a group node, or programmatically with `{ projectId, kind, name }` (the name
   * answers the question that asks for one). The questions are the kind's addressing's: a name for
   * named kinds; type, dataset and source_name for ingestion sources.
   */
  async function newSource(arg?: unknown): Promise<void> {
    const node = arg as { type?: string; kind?: KindId; project?: Project; name?: unknown } | undefined;
    const project = await connections.pick(arg, 'Create the source in which project?');
    if (!project) return;
    let kind = node?.type === 'group' || (node?.kind && typeof node.name === 'string') ? node.kind : undefined;
    if (!kind) {
      const picked = await vscode.window.showQuickPick(
        Object.values(KINDS).map((k) => ({ label: k.singular.replace(/^./, (c) => c.toUpperCase()), description: k.capabilities.dryRun ? '' : 'no server dry run', kindId: k.id })),
        { title: 'New Statsig source', placeHolder: 'Which kind of source?' },
      );
      if (!picked) return;
      kind = picked.kindId;
    }
    const d = descriptor(kind);
    const questions = d.addressing.questions(d);
    const answers: Record<string, string> = {};
    for (const [i, q] of questions.entries()) {
      const title = questions.length > 1 ? `New ${d.singular} (${i + 1}/${questions.length})` : `New ${d.singular} in "${project.label}"`;
      if (q.choices) {
        const picked = await vscode.window.showQuickPick([...q.choices], { title, placeHolder: q.prompt });
        if (picked === undefined) return;
        answers[q.field] = picked;
        continue;
      }
      // Taken: the names of the sources that share the answers so far (for ingestion, its type and dataset).
      const taken = model.records(project.id, kind).map((r) => identityOf(r.ref))
        .filter((id) => Object.entries(answers).every(([f, v]) => id[f] === v))
        .map((id) => id[q.field] ?? '');
      const given = typeof node?.name === 'string' ? node.name : undefined;
      const problem = given === undefined ? undefined : nameProblem(given, taken);
      if (problem) throw new Error(problem);
      const name = given ?? await vscode.window.showInputBox({ title, prompt: q.prompt, validateInput: (v) => nameProblem(v, taken) });
      if (name === undefined) return;
      answers[q.field] = name;
    }
    const ref = refOf(kind, answers);
    if (!ref) throw new Error(`The answers do not name a ${d.singular}.`);
    const uri = sourceUri(project.id, ref);
    if (await drafts.get(uri)) {
      void prompts.info(`You already have an unpushed draft of "${refLabel(ref)}"; it is opened instead.`);
    } else {
      await drafts.save(uri, formatSource(templateFor(ref)), null, true);
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, EDITOR_VIEW_TYPE);
  }

  return {
    [Commands.open]: open(EDITOR_VIEW_TYPE),
    [Commands.openAsJson]: open('default'),
    [Commands.openSql]: open('default', 'sql'),
    [Commands.discard]: discard,
    [Commands.delete]: remove,
    [Commands.newSource]: newSource,
  };
};
