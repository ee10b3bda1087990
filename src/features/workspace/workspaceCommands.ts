// Sources as code in VS Code: Pull to Workspace… writes a project's sources (or some kinds, or
// the selection) into the workspace in the folder format (src/core/sourceFiles.ts) with its lock;
// Open in Statsig Source Editor opens a workspace source's two files as one document; and Push,
// Validate and Compare act on a workspace source when they are given one of its files (or one is
// in front): its base is the lock's, so a change made on Statsig since the pull is a conflict.
import * as vscode from 'vscode';
import { Commands, ContextKeys, EDITOR_VIEW_TYPE } from '../../constants.ts';
import type { SourcesApi } from '../../core/api.ts';
import { ValidationError, errorMessage } from '../../core/errors.ts';
import { descriptor, KindIds, refLabel, type KindId, type SourceRecord } from '../../core/kinds.ts';
import type { Project } from '../../core/projects.ts';
import { asInFiles, KIND_FOLDERS, LOCK_FILE } from '../../core/sourceFiles.ts';
import { formatSource } from '../../core/document.ts';
import { lockKey, sourceHash, withEntry } from '../../core/sourceLock.ts';
import { planSource, sendPlan } from '../../core/sourcePlan.ts';
import { planPull } from '../../core/sourcePull.ts';
import { plural } from '../../shared/format.ts';
import { withProgress } from '../../platform/notify.ts';
import { sourceUri } from '../documents/uris.ts';
import { projectIdOf } from '../projects/connections.ts';
import type { CommandFactory, Feature, Services } from '../services.ts';
import { confirmPush, readRemote, sameOnStatsig } from '../sources/pushSteps.ts';
import { readTree, workspaceDocumentUri, type WorkspaceFile, type WorkspaceRoot } from './workspaceSources.ts';

/**
 * The workspace source a command is about: a file URI (either file, or the one-document view), or
 * with no argument the editor in front. A tree node or a statsig: URI is not (those act on Statsig's
 * version and its draft).
 */
export async function workspaceTarget(services: Services, arg: unknown): Promise<WorkspaceFile | undefined> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (arg === undefined) {
    const input: unknown = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) uri = input.uri;
  }
  return uri && services.workspaceSources.find(uri);
}

/** Saves the open documents of a workspace source (either file, its one-document view): what is pushed is what is on disk. */
async function saveOpen(file: WorkspaceFile): Promise<boolean> {
  const uris = new Set([file.jsonUri, file.sqlUri, workspaceDocumentUri(file)].map(String));
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && uris.has(d.uri.toString()))) {
    if (!(await doc.save())) return false;
  }
  return true;
}

async function connectedApi(services: Services, root: WorkspaceRoot, what: string): Promise<{ api: SourcesApi; project: Project } | undefined> {
  const { connections, prompts } = services;
  if (!connections.current.some((p) => p.id === root.projectId)) {
    const setKey = 'Set API Key…';
    const choice = await prompts.warning(`To ${what}, connect the Statsig project ${root.projectId} (the project in ${vscode.workspace.asRelativePath(vscode.Uri.joinPath(root.uri, LOCK_FILE))}): set an API key of that project.`, {}, setKey);
    if (choice === setKey) await vscode.commands.executeCommand(Commands.setApiKey);
    return undefined;
  }
  return connections.connection(root.projectId);
}

/** Push from workspace files: validated (dry run), compared with the lock's base, shown, confirmed, sent; the lock follows. */
export async function pushWorkspaceSource(services: Services, file: WorkspaceFile): Promise<void> {
  const { prompts, log, snapshots, model, workspaceValidator, workspaceSources } = services;
  const name = refLabel(file.ref);
  const d = descriptor(file.ref.kind);
  if (!(await saveOpen(file))) {
    void prompts.error(`Push stopped: the files of "${name}" could not be saved. Your edits are still in the editor.`);
    return;
  }
  const connection = await connectedApi(services, file.root, `push "${name}"`);
  if (!connection) return;
  const { api, project } = connection;
  if (services.connections.isReadOnly(project.id)) {
    void prompts.warning(`Push is not available: the key of "${project.label}" is read-only (Statsig answered 403 to a change). Your files are unchanged.`, {});
    return;
  }
  const checked = await withProgress({ location: vscode.ProgressLocation.Notification, title: `Validating "${name}" (Statsig's dry run)…` }, () => workspaceValidator.validate(file));
  const source = checked.source;
  if (!source) {
    void prompts.error(`Push refused: the files of "${name}" are not a valid source. The problems are marked in the files.`);
    return;
  }
  if (!checked.result) return; // a newer validation (a save meanwhile) took over
  const state = checked.result.dryRun.state;
  // As for a draft (push.ts): Statsig's dry run has the last word; errors of the local SQL check
  // alone (the local parser is not the warehouse) do not stop a push the dry run passed.
  if (state === 'failed' || state === 'skipped') {
    const choice = await prompts.warning(`Push refused: "${name}" has ${plural(checked.errors, 'error')}${state === 'failed' ? ' from Statsig\'s dry run' : ''}. Fix ${checked.errors === 1 ? 'it' : 'them'} and save, then push.`, {}, 'Show Problems');
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  if (state === 'error') {
    const anyway = 'Push Anyway';
    const choice = await prompts.warning('Statsig\'s dry run could not check exactly these files.', { modal: true, detail: `${checked.result.dryRun.message}. Push without it: Statsig still validates the real request, and a rejection changes nothing.` }, anyway);
    if (choice !== anyway) return;
  }
  // The lock as on disk now: it may have moved since the root was read (a pull, another push).
  const root = file.root;
  const lock = (await workspaceSources.lockOf(root.uri)) ?? root.lock;
  const remote = await readRemote(api, file.ref);
  const baseHash = lock.sources[lockKey(file.ref)]?.hash;
  const plan = planSource(file.ref, source, remote, baseHash);
  const uri = sourceUri(project.id, file.ref);
  const { left, right } = diffSides(file, remote, source.data);
  const step = plan.step;
  if (plan.action === 'nothing') {
    if (remote && baseHash !== sourceHash(file.ref.kind, remote)) await workspaceSources.write(root.uri, [], [], withEntry(lock, file.ref, sourceHash(file.ref.kind, remote)));
    void prompts.info(`Nothing to push: the files of "${name}" say the same as Statsig's version in "${project.label}".`);
    return;
  }
  if (plan.action === 'conflict') {
    const choice = await prompts.warning(
      `"${name}" changed on Statsig since your files were pulled: ${plan.reason ?? 'Statsig\'s version is not the lock\'s base'}.`,
      { modal: true, detail: `Pushing now would overwrite that change in "${project.label}". Compare shows Statsig's version next to your files; Pull to Workspace… takes Statsig's version (your changes to these files would be overwritten: commit them first).` },
      'Compare', 'Overwrite',
    );
    if (choice === 'Compare') {
      await snapshots.show(uri, left, { content: right }, `${name}: Statsig (now) ↔ your files`);
      return;
    }
    if (choice !== 'Overwrite') return;
    log('info', `Push of ${name} from the workspace: the user chose to overwrite a change made on Statsig since the pull.`);
  }
  if (!step || step === 'delete') return;
  const verb = step === 'create' ? 'Create' : 'Push';
  const fields = plan.changed.length ? `Fields: ${plan.changed.join(', ')}.` : '';
  const confirmed = await confirmPush(services, { uri, name, d, project }, { title: `${name}: Statsig ↔ your files (to push)`, remote: left, content: right }, {
    verb,
    message: `${verb} ${d.singular} "${name}" from your files in Statsig project "${project.label}"?`,
    detail: `${fields} This ${step === 'create' ? 'creates it' : 'changes it'} for everyone in the project (${project.baseUrl}). The diff shows exactly what is sent. ${LOCK_FILE} then records it as the files' base.`,
    validatedOnly: 'These files were only validated locally.',
  });
  if (!confirmed) return;
  await snapshots.close(uri);
  let hash: { readonly pushed: string | undefined } | 'moved';
  try {
    hash = await withProgress({ location: vscode.ProgressLocation.Notification, title: `${verb === 'Create' ? 'Creating' : 'Pushing'} "${name}"…` }, async () => {
      // The user may have read the diff for a while: one more look, so a change made on Statsig
      // meanwhile is never overwritten unseen (as for a draft: pushSteps.ts sendPush).
      if (!sameOnStatsig(d.id, await readRemote(api, file.ref), remote)) return 'moved' as const;
      return { pushed: await sendPlan(api, { ...plan, step }) };
    });
  } catch (error) {
    if (error instanceof ValidationError) {
      workspaceValidator.showServerErrors(file, source, error);
      void prompts.error(`Push failed: ${error.message} Your files are unchanged; the problems are marked in them.`);
      return;
    }
    throw new Error(`Push of "${name}" failed: ${errorMessage(error)} Your files are unchanged.`, { cause: error });
  }
  if (hash === 'moved') {
    void prompts.warning(`Nothing was pushed: "${name}" changed on Statsig in "${project.label}" while you were confirming. Push again to see that change.`, {});
    return;
  }
  // Pushed: the lock records Statsig's new version as the files' base.
  await workspaceSources.write(root.uri, [], [], withEntry((await workspaceSources.lockOf(root.uri)) ?? lock, file.ref, hash.pushed));
  void model.refresh(project.id, d.id);
  log('info', `Pushed ${d.singular} ${name} from workspace files to project "${project.label}" (${step}).`);
  void prompts.info(`${verb === 'Create' ? 'Created' : 'Pushed'} ${d.singular} "${name}" in "${project.label}" from your files; ${LOCK_FILE} is updated (commit it with them).`);
}

/** Both sides of a diff between Statsig's version and a workspace source's files, in the files' shape (only real changes show). */
function diffSides(file: WorkspaceFile, remote: Record<string, unknown> | undefined, data: Record<string, unknown>): { left: Record<string, unknown> | undefined; right: string } {
  return { left: remote && asInFiles(file.ref.kind, remote), right: formatSource(asInFiles(file.ref.kind, data)) };
}

/** Compare: Statsig's version now next to the workspace files. */
export async function compareWorkspaceSource(services: Services, file: WorkspaceFile): Promise<void> {
  const { snapshots, prompts } = services;
  const name = refLabel(file.ref);
  const connection = await connectedApi(services, file.root, `compare "${name}" with Statsig`);
  if (!connection) return;
  const { source, problems } = await services.workspaceSources.readSource(file);
  if (!source) {
    void prompts.error(`"${name}" cannot be compared: ${problems[0]?.message ?? 'its files could not be read.'}`);
    return;
  }
  const remote = await withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${name} from Statsig…` }, () => readRemote(connection.api, file.ref));
  const { left, right } = diffSides(file, remote, source.data);
  await snapshots.show(sourceUri(file.root.projectId, file.ref), left, { content: right }, `${name}: Statsig ↔ your files`);
}

type TreeNodeLike = { readonly type?: unknown; readonly project?: Project; readonly kind?: KindId; readonly record?: SourceRecord };
const asNode = (x: unknown): TreeNodeLike | undefined => (x && typeof x === 'object' ? (x) : undefined);

/** The folder a project's sources go to: the workspace's root of that project, else `statsig/` in a workspace folder. */
async function chooseRoot(services: Services, project: Project): Promise<vscode.Uri | undefined> {
  const { prompts, workspaceSources } = services;
  const existing = (await workspaceSources.all()).filter((r) => r.projectId === project.id);
  if (existing.length === 1) return existing[0]?.uri;
  if (existing.length > 1) {
    const label = await prompts.pick?.(existing.map((r) => ({ label: vscode.workspace.asRelativePath(r.uri) })), { title: `Pull into which folder of "${project.label}"?` });
    return existing.find((r) => vscode.workspace.asRelativePath(r.uri) === label)?.uri;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void prompts.error('Pull to Workspace needs a folder: open one (File > Open Folder…), then pull again.');
    return undefined;
  }
  let folder = folders[0];
  if (folders.length > 1) {
    const name = await prompts.pick?.(folders.map((f) => ({ label: f.name, description: f.uri.fsPath })), { title: `Pull "${project.label}" into which workspace folder?` });
    folder = folders.find((f) => f.name === name);
  }
  if (!folder) return undefined;
  // `statsig/`, unless it holds another project's sources already.
  const taken = (await workspaceSources.all()).some((r) => r.uri.toString() === vscode.Uri.joinPath(folder.uri, 'statsig').toString());
  return vscode.Uri.joinPath(folder.uri, taken ? `statsig-${project.id.replace(/[^A-Za-z0-9_-]/g, '_')}` : 'statsig');
}

export const workspaceCommands: CommandFactory<typeof Commands.pullToWorkspace | typeof Commands.openWorkspaceSource> = (services) => {
  const { connections, prompts, log, workspaceSources } = services;

  async function pull(arg?: unknown, selected?: unknown): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      const choice = await prompts.warning('Sources as code needs a trusted folder: in Restricted Mode the extension does not read, validate or push the workspace\'s files. Trust this folder, then pull again.', {}, manage);
      if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const nodes = (Array.isArray(selected) && selected.length > 0 ? selected : arg !== undefined ? [arg] : []).map(asNode).filter((n): n is TreeNodeLike => n !== undefined);
    const projectId = nodes.length > 0 ? projectIdOf(nodes[0]) : undefined;
    const project = await connections.pick(projectId ? { projectId } : undefined, 'Pull the sources of which Statsig project into the workspace?');
    if (!project) return;
    const mine = nodes.filter((n) => n.project?.id === project.id);
    const refs = mine.filter((n) => n.type === 'source' && n.record).map((n) => (n.record as SourceRecord).ref);
    let kinds: KindId[] = [...new Set(refs.length > 0 ? refs.map((r) => r.kind) : mine.filter((n) => n.type === 'group' && n.kind).map((n) => n.kind as KindId))];
    if (kinds.length === 0 && !mine.some((n) => n.type === 'project')) {
      const every = 'Every source';
      const choice = await prompts.pick?.([{ label: every, description: 'all five kinds' }, ...KindIds.map((k) => ({ label: descriptor(k).label, description: `${KIND_FOLDERS[k]}/` }))], { title: `Pull which sources of "${project.label}" into the workspace?` });
      if (!choice) return;
      kinds = choice === every ? [...KindIds] : KindIds.filter((k) => descriptor(k).label === choice);
    }
    if (kinds.length === 0) kinds = [...KindIds];
    const rootUri = await chooseRoot(services, project);
    if (!rootUri) return;
    const where = vscode.workspace.asRelativePath(rootUri);
    const { api } = await connections.connection(project.id);
    const read = await withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the sources of "${project.label}"…`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const records: SourceRecord[] = [];
      const complete = new Set<KindId>();
      const problems: string[] = [];
      if (refs.length > 0) {
        for (const ref of refs) {
          const remote = await readRemote(api, ref, abort.signal);
          if (remote) records.push({ ref, key: lockKey(ref), data: remote });
          else problems.push(`${refLabel(ref)} no longer exists on Statsig`);
        }
        return { records, complete, problems };
      }
      for (const kind of kinds) {
        progress.report({ message: descriptor(kind).label });
        const listing = await api.list(kind, { signal: abort.signal });
        records.push(...listing.records);
        if (!listing.truncated && listing.invalid.length === 0 && !(listing.failures && listing.failures.length > 0)) complete.add(kind);
        else problems.push(`${descriptor(kind).label}: Statsig's list was incomplete, so none of them is removed from the folder`);
      }
      return { records, complete, problems };
    });
    const files = await readTree(rootUri).catch(() => new Map<string, string>());
    const lockText = files.get(LOCK_FILE);
    const existingRoot = (await workspaceSources.all()).find((r) => r.uri.toString() === rootUri.toString());
    if (lockText !== undefined && !existingRoot) {
      void prompts.error(`${where}/${LOCK_FILE} is not a lock file this extension can read. Fix or delete it, then pull again.`);
      return;
    }
    const lock = existingRoot?.lock ?? { version: 1 as const, projectId: project.id, sources: {} };
    let plan = planPull({ files, lock, records: read.records, complete: read.complete, force: false });
    if (plan.refused.length > 0) {
      const overwrite = 'Overwrite My Changes';
      const shown = plan.refused.slice(0, 8).join('\n') + (plan.refused.length > 8 ? `\n… and ${plan.refused.length - 8} more` : '');
      const choice = await prompts.warning(
        `Pulling would overwrite your changes to ${plural(plan.refused.length, 'source')} in ${where}.`,
        { modal: true, detail: `These files differ from the version they were pulled from (or were never pulled):\n${shown}\n\nCommit or move them first, or overwrite them with Statsig's version.` },
        overwrite,
      );
      if (choice !== overwrite) return;
      plan = planPull({ files, lock, records: read.records, complete: read.complete, force: true });
    }
    await withProgress({ location: vscode.ProgressLocation.Notification, title: `Writing ${where}…` }, () => workspaceSources.write(rootUri, plan.writes, plan.removals, plan.lock));
    log('info', `Pulled ${read.records.length} sources of project ${project.id} into ${rootUri.fsPath}: ${plan.written} written, ${plan.unchanged} unchanged, ${plan.removed} removed.`);
    const reveal = 'Reveal in Explorer';
    const skipped = plan.skipped.map((x) => `"${refLabel(x.ref)}" not pulled: ${x.reason}`);
    for (const line of skipped) log('warn', line);
    const problems = [...read.problems, ...(skipped.length > 0 ? [`${plural(skipped.length, 'source')} not pulled, names too long for a file name (see Show Log)`] : [])];
    const note = problems.length > 0 ? ` (${problems.join('; ')})` : '';
    const choice = await prompts.info(`Pulled ${plural(read.records.length - plan.skipped.length, 'source')} of "${project.label}" into ${where}: ${plan.written} written, ${plan.unchanged} unchanged, ${plan.removed} removed${note}.`, reveal);
    if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', rootUri);
  }

  async function open(arg?: unknown): Promise<void> {
    const node = asNode(arg);
    let jsonUri: vscode.Uri | undefined;
    if (node?.type === 'source' && node.project && node.record) {
      const tracked = workspaceSources.tracked(node.project.id, node.record.ref);
      if (!tracked?.local) {
        void prompts.info(`"${refLabel(node.record.ref)}" has no files in this workspace. Pull to Workspace… writes them.`);
        return;
      }
      jsonUri = vscode.Uri.joinPath(tracked.root.uri, tracked.local.jsonPath);
    } else {
      jsonUri = (await workspaceTarget(services, arg))?.jsonUri;
    }
    if (!jsonUri) {
      void prompts.info('Open a .sql or .source.json file of a Statsig sources folder (one with a statsig.lock.json), then run this again.');
      return;
    }
    const file = await workspaceSources.find(jsonUri);
    if (!file) return;
    await vscode.commands.executeCommand('vscode.openWith', workspaceDocumentUri(file), EDITOR_VIEW_TYPE);
  }

  return {
    [Commands.pullToWorkspace]: pull,
    [Commands.openWorkspaceSource]: open,
  };
};

/**
 * The context keys menus read: whether the editor in front is a workspace source (its file, or its
 * one-document view), and every `.sql` file of a sources folder (the Explorer offers the editor on them).
 */
export const registerWorkspaceContext: Feature = (services) => {
  const { workspaceSources } = services;
  let last: boolean | undefined;
  const front = async () => {
    const is = (await workspaceTarget(services, undefined)) !== undefined;
    if (is !== last) await vscode.commands.executeCommand('setContext', ContextKeys.activeWorkspaceSource, is);
    last = is;
  };
  const files = () => {
    const paths = workspaceSources.known().flatMap((r) => [...r.sources.values()].flatMap((s) => {
      if (s.sqlPath === undefined) return [];
      const uri = vscode.Uri.joinPath(r.uri, s.sqlPath);
      return uri.fsPath === uri.path ? [uri.fsPath] : [uri.fsPath, uri.path];
    }));
    void vscode.commands.executeCommand('setContext', ContextKeys.workspaceSqlFiles, paths);
  };
  // A window opened on a folder with sources: the editor restored in front counts too.
  if ((vscode.workspace.workspaceFolders ?? []).length > 0) setTimeout(() => void front(), 0);
  return vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs(() => void front()),
    vscode.window.onDidChangeActiveTextEditor(() => void front()),
    workspaceSources.onDidChange(() => {
      files();
      void front();
    }),
  );
};
