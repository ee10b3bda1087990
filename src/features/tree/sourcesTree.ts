// The Sources view: one root per connected project (or the kinds directly when there is one), one
// group per kind with a count, one node per source. Failures are nodes with the action that fixes
// them, never a broken tree. Loading shows progress in the view; a refresh keeps the old nodes
// until the new listing lands.
import * as vscode from 'vscode';
import { Disposable } from '../../platform/lifecycle.ts';
import { Commands, ContextKeys, Views } from '../../constants.ts';
import type { InvalidItem } from '../../core/api.ts';
import { refDetail, refKey, refLabel, refName, type SourceRecord, type SourceRef } from '../../core/kinds.ts';
import { parseDocument } from '../../core/document.ts';
import { errorMessage, isStatsigApiError } from '../../core/errors.ts';
import { KindIds, descriptor, type KindId } from '../../core/kinds.ts';
import type { Project } from '../../core/projects.ts';
import type { CommandFactory, Feature } from '../services.ts';
import { WorkspaceSources, type Tracked } from '../workspace/workspaceSources.ts';
import type { DraftStore } from '../documents/drafts.ts';
import { describeDrift, type DriftWatcher } from '../sources/drift.ts';
import { parseSourceUri, sourceUri } from '../documents/uris.ts';
import type { Connections } from '../projects/connections.ts';
import type { SourcesModel } from './sourcesModel.ts';
import { statusBarMessage, withProgress } from '../../platform/notify.ts';

export type SourcesNode =
  | { readonly type: 'project'; readonly id: string; readonly project: Project }
  | { readonly type: 'group'; readonly id: string; readonly project: Project; readonly kind: KindId }
  | { readonly type: 'source'; readonly id: string; readonly project: Project; readonly kind: KindId; readonly record: SourceRecord }
  | { readonly type: 'invalid'; readonly id: string; readonly project: Project; readonly kind: KindId; readonly item: InvalidItem }
  | {
    readonly type: 'message'; readonly id: string; readonly project: Project; readonly kind: KindId | undefined;
    readonly label: string; readonly detail: string; readonly icon: string; readonly action: 'retry' | 'setKey' | undefined;
  }
  /** Saved drafts of a Statsig project that is not connected (signed out, secrets lost): never orphaned. */
  | { readonly type: 'disconnected'; readonly id: string; readonly projectId: string; readonly drafts: readonly DisconnectedDraft[] }
  | { readonly type: 'disconnectedDraft'; readonly id: string; readonly projectId: string; readonly draft: DisconnectedDraft };

export interface DisconnectedDraft {
  readonly uri: vscode.Uri;
  readonly ref: SourceRef;
  readonly isNew: boolean;
}

/** What a failed load says, and the action that fixes it. */
export function describeFailure(error: unknown, baseUrl: string): { label: string; detail: string; icon: string; action: 'retry' | 'setKey' } {
  const detail = errorMessage(error);
  const host = (() => {
    try {
      return new URL(baseUrl).host;
    } catch {
      return baseUrl;
    }
  })();
  if (!isStatsigApiError(error)) return { label: `Loading failed — ${detail}`, detail, icon: 'error', action: 'retry' };
  switch (error.kind) {
    case 'auth': return { label: 'Key rejected — set a new key', detail, icon: 'key', action: 'setKey' };
    case 'forbidden': return { label: 'This key may not read sources (403) — set another key', detail, icon: 'lock', action: 'setKey' };
    case 'network': return { label: `Cannot reach ${host} — Retry`, detail, icon: 'debug-disconnect', action: 'retry' };
    case 'timeout': return { label: `${host} did not answer in time — Retry`, detail, icon: 'watch', action: 'retry' };
    case 'server': return { label: `Statsig failed (${error.status ?? 'server error'}) — Retry`, detail, icon: 'error', action: 'retry' };
    case 'rateLimited': return { label: 'Rate limited by Statsig — Retry', detail, icon: 'watch', action: 'retry' };
    case 'schema': return { label: 'Unexpected answer from Statsig — Retry', detail, icon: 'warning', action: 'retry' };
    default: return { label: `${detail} — Retry`, detail, icon: 'error', action: 'retry' };
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function tagsOf(data: Record<string, unknown>): string[] {
  const tags = data['tags'];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The short text after a source's name: table or type, then tags. */
export function sourceDescription(record: SourceRecord): string {
  const d = record.data;
  const parts: string[] = [];
  const detail = refDetail(record.ref);
  if (detail) parts.push(detail);
  else if (d['sourceType'] === 'table' && str(d['tableName'])) parts.push(`table ${String(d['tableName'])}`);
  const tags = tagsOf(d);
  if (tags.length) parts.push(tags.map((t) => `#${t}`).join(' '));
  return parts.join('  ');
}

/** `note`: a line about the source's state shown right under its kind and project (drift). */
export function sourceTooltip(record: SourceRecord, project: Project, note?: string): vscode.MarkdownString {
  const d = record.data;
  const kind = descriptor(record.ref.kind);
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(refName(record.ref));
  md.appendMarkdown('**  \n');
  md.appendText(`${kind.singular} · ${project.label}`);
  if (note) {
    md.appendMarkdown('\n\n**');
    md.appendText(note);
    md.appendMarkdown('**');
  }
  const description = str(d['description']);
  if (description) {
    md.appendMarkdown('\n\n');
    md.appendText(description.length > 300 ? `${description.slice(0, 300)}…` : description);
  }
  const facts: string[] = [];
  const owner = d['owner'];
  if (owner && typeof owner === 'object' && str((owner as Record<string, unknown>)['ownerName'])) {
    facts.push(`Owner: ${String((owner as Record<string, unknown>)['ownerName'])}`);
  }
  const tags = tagsOf(d);
  if (tags.length) facts.push(`Tags: ${tags.join(', ')}`);
  const columns = kind.mappedColumns(d).map((c) => c.column);
  if (columns.length) facts.push(`Columns: ${[...new Set(columns)].join(', ')}`);
  for (const f of facts) {
    md.appendMarkdown('\n\n');
    md.appendText(f);
  }
  const sql = str(d[kind.sqlField]);
  if (sql) {
    const lines = sql.split('\n');
    md.appendCodeblock(lines.length > 12 ? `${lines.slice(0, 12).join('\n')}\n…` : sql, 'sql');
  }
  return md;
}

/** Events closer together than this repaint the tree once. */
const REPAINT_COALESCE_MS = 50;

export class SourcesTreeProvider extends Disposable implements vscode.TreeDataProvider<SourcesNode> {
  private readonly connections: Connections;
  private readonly model: SourcesModel;
  private filterText = '';
  private readonly parents = new Map<string, SourcesNode | undefined>();
  private readonly changed = this._register(new vscode.EventEmitter<SourcesNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  private readonly drafts: DraftStore;
  private readonly drift: DriftWatcher | undefined;

  private readonly workspace: WorkspaceSources | undefined;

  constructor(connections: Connections, model: SourcesModel, drafts: DraftStore, drift?: DriftWatcher, workspace?: WorkspaceSources) {
    super();
    this.connections = connections;
    this.model = model;
    this.drafts = drafts;
    this.drift = drift;
    this.workspace = workspace;
    // Repaint everything: counts, project-level failures and filters depend on several kinds at once.
    // Events come in bursts (a save: the draft, its validation, its drift; Push All: every settled
    // draft): one repaint per burst, so the tree is not rebuilt hundreds of times, nor while a
    // person is unfolding a group.
    const repaint = () => {
      if (this.repaintTimer) return;
      this.repaintTimer = setTimeout(() => {
        this.repaintTimer = undefined;
        this.changed.fire(undefined);
      }, REPAINT_COALESCE_MS);
    };
    this._register({ dispose: () => clearTimeout(this.repaintTimer) });
    for (const event of [model.onDidChange, connections.onDidChange, connections.onDidChangeAccess, drafts.onDidChange]) this._register(event(repaint));
    if (drift) this._register(drift.onDidChange(repaint));
    if (workspace) this._register(workspace.onDidChange(repaint));
  }

  private repaintTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Sources that exist only as a local draft: created with New Source… and not pushed yet, or
   * deleted on Statsig while a draft of them is kept (so the listing no longer has them).
   */
  private newDrafts(project: Project, kind: KindId): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const draft of this.drafts.peekAll()) {
      if (!draft.isNew && this.drift?.get(vscode.Uri.parse(draft.uri))?.kind !== 'deleted') continue;
      const parsed = parseSourceUri(vscode.Uri.parse(draft.uri));
      if (!parsed || parsed.projectId !== project.id || parsed.ref.kind !== kind) continue;
      const doc = parseDocument(draft.content);
      out.push({ ref: parsed.ref, key: refKey(parsed.ref), data: doc.ok ? doc.value : {} });
    }
    return out;
  }

  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.changed.fire(undefined);
  }

  private matches(record: SourceRecord): boolean {
    if (!this.filterText) return true;
    const name = refName(record.ref);
    return name.toLowerCase().includes(this.filterText.toLowerCase());
  }

  getParent(node: SourcesNode): SourcesNode | undefined {
    return this.parents.get(node.id);
  }

  async getChildren(node?: SourcesNode): Promise<SourcesNode[]> {
    const children = await this.childrenOf(node);
    for (const c of children) this.parents.set(c.id, node);
    return children;
  }

  private async childrenOf(node?: SourcesNode): Promise<SourcesNode[]> {
    if (!node) {
      const projects = await this.connections.list();
      const disconnected = this.disconnected(projects);
      void vscode.commands.executeCommand('setContext', ContextKeys.disconnectedDrafts, disconnected.length > 0);
      // Nothing connected: the welcome view shows instead ("Connect to Statsig", and a line about
      // the drafts waiting for their project).
      if (projects.length === 0) return [];
      const only = projects[0];
      if (projects.length === 1 && only) return [...this.projectChildren(only), ...disconnected];
      return [...projects.map((project): SourcesNode => ({ type: 'project', id: project.id, project })), ...disconnected];
    }
    switch (node.type) {
      case 'project': return this.projectChildren(node.project);
      case 'group': return this.groupChildren(node.project, node.kind);
      case 'disconnected': return node.drafts.map((draft) => ({ type: 'disconnectedDraft', id: `!disconnected/${draft.uri.toString()}`, projectId: node.projectId, draft }));
      default: return [];
    }
  }

  /** One node per Statsig project that has saved drafts here but is not connected. */
  private disconnected(projects: readonly Project[]): SourcesNode[] {
    const connected = new Set(projects.map((p) => p.id));
    const byProject = new Map<string, DisconnectedDraft[]>();
    for (const draft of this.drafts.peekAll()) {
      const uri = vscode.Uri.parse(draft.uri);
      const parsed = parseSourceUri(uri);
      if (!parsed || connected.has(parsed.projectId)) continue;
      const list = byProject.get(parsed.projectId) ?? [];
      list.push({ uri, ref: parsed.ref, isNew: draft.isNew });
      byProject.set(parsed.projectId, list);
    }
    return [...byProject.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([projectId, drafts]) => ({
        type: 'disconnected', id: `!disconnected/${projectId}`, projectId,
        drafts: drafts.sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref))),
      }));
  }

  private projectChildren(project: Project): SourcesNode[] {
    this.model.ensureLoaded(project.id);
    // A rejected key or an unreachable server concerns the whole project: say it once.
    const states = KindIds.map((k) => this.model.state(project.id, k));
    const errors = states.flatMap((s) => (s?.status === 'error' ? [s.error] : []));
    const auth = errors.find((e) => isStatsigApiError(e) && e.kind === 'auth');
    const allFailed = errors.length === KindIds.length && errors.every((e) => isStatsigApiError(e) && (e.kind === 'network' || e.kind === 'timeout'));
    const projectWide = auth ?? (allFailed ? errors[0] : undefined);
    const groups = KindIds.map((kind): SourcesNode => ({ type: 'group', id: `${project.id}/${kind}`, project, kind }));
    if (projectWide !== undefined) {
      const f = describeFailure(projectWide, project.baseUrl);
      const message: SourcesNode = { type: 'message', id: `${project.id}/!project`, project, kind: undefined, ...f };
      // Whatever failed, the last listing stays (its groups say "refresh failed"): nothing vanishes.
      const hasPrevious = states.some((s) => s?.status === 'error' && s.previous !== undefined);
      return hasPrevious ? [message, ...groups] : [message];
    }
    return groups;
  }

  private groupChildren(project: Project, kind: KindId): SourcesNode[] {
    const state = this.model.state(project.id, kind);
    const nodes: SourcesNode[] = [];
    if (state?.status === 'error') {
      const f = describeFailure(state.error, project.baseUrl);
      nodes.push({ type: 'message', id: `${project.id}/${kind}/!error`, project, kind, ...f });
    }
    const remote = this.model.records(project.id, kind);
    const known = new Set(remote.map((r) => r.key));
    const records = [...remote, ...this.newDrafts(project, kind).filter((r) => !known.has(r.key))].filter((r) => this.matches(r));
    records.sort((a, b) => a.key.localeCompare(b.key));
    for (const record of records) nodes.push({ type: 'source', id: `${project.id}/${record.key}`, project, kind, record });
    const listing = state?.status === 'loaded' ? state.listing : undefined;
    const failures = listing?.failures ?? [];
    if (failures.length > 0) {
      const first = failures[0];
      const reason = errorMessage(first?.error);
      const detail = `${failures.length} of the ingestion type × dataset questions failed, so sources there may be missing; the ones found are shown.\n${failures.map((f) => `${f.label}: ${errorMessage(f.error)}`).join('\n')}`;
      nodes.push({
        type: 'message', id: `${project.id}/${kind}/!failures`, project, kind,
        label: `${failures.length} ${failures.length === 1 ? 'question' : 'questions'} failed (${first?.label ?? ''}: ${reason}) — Retry`,
        detail, icon: 'warning', action: 'retry',
      });
    }
    if (listing?.truncated) {
      const detail = `Statsig's answers for ${descriptor(kind).label.toLowerCase()} stopped before the end (${listing.truncatedReason ?? 'its pages stopped adding sources before its total was reached'}). Only the ${remote.length} shown were read.`;
      nodes.push({ type: 'message', id: `${project.id}/${kind}/!truncated`, project, kind, label: `Incomplete: ${remote.length} listed — Retry`, detail, icon: 'warning', action: 'retry' });
    }
    for (const [i, item] of (listing?.invalid ?? []).entries()) {
      nodes.push({ type: 'invalid', id: `${project.id}/${kind}/!invalid/${i}/${item.label}`, project, kind, item });
    }
    if (state?.status === 'loaded' && records.length === 0 && listing?.invalid.length === 0) {
      const text = this.filterText ? `No ${descriptor(kind).label.toLowerCase()} match "${this.filterText}"` : `No ${descriptor(kind).label.toLowerCase()} yet`;
      nodes.push({ type: 'message', id: `${project.id}/${kind}/!empty`, project, kind, label: text, detail: text, icon: 'info', action: undefined });
    }
    return nodes;
  }

  getTreeItem(node: SourcesNode): vscode.TreeItem {
    switch (node.type) {
      case 'project': {
        const item = new vscode.TreeItem(node.project.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = this.connections.isReadOnly(node.project.id) ? `read-only key · ${node.project.baseUrl}` : node.project.baseUrl;
        item.iconPath = new vscode.ThemeIcon('project');
        item.contextValue = 'project';
        item.tooltip = `${node.project.label} — ${node.project.baseUrl}`;
        return item;
      }
      case 'group': {
        const d = descriptor(node.kind);
        const item = new vscode.TreeItem(d.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(d.icon);
        item.contextValue = 'group';
        const state = this.model.state(node.project.id, node.kind);
        const all = this.model.records(node.project.id, node.kind);
        const shown = all.filter((r) => this.matches(r)).length;
        const count = this.filterText ? `${shown} of ${all.length}` : `${all.length}`;
        item.description = state?.status === 'loading' ? (state.previous ? `${count} · refreshing…` : 'loading…')
          : state?.status === 'error' ? (state.previous ? `${count} · refresh failed` : 'failed') : count;
        item.tooltip = d.capabilities.listAll
          ? d.label
          : `${d.label}: found by asking every ingestion type × dataset (Statsig has no list-all endpoint for them).`;
        return item;
      }
      case 'source': {
        const { record } = node;
        const label = refName(record.ref);
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        const uri = sourceUri(node.project.id, record.ref);
        item.resourceUri = uri;
        item.description = sourceDescription(record);
        const draft = this.drafts.peek(uri);
        const drift = draft && !draft.isNew ? this.drift?.get(uri) : undefined;
        item.tooltip = sourceTooltip(record, node.project, drift && describeDrift(drift));
        item.iconPath = new vscode.ThemeIcon(descriptor(node.kind).icon);
        const readOnly = this.connections.isReadOnly(node.project.id);
        const drifted = drift ? (drift.kind === 'deleted' ? ' deleted' : ' drifted') : '';
        // Sources as code: the workspace holds files of this source (Pull to Workspace…, statsig-whn pull).
        const tracked = this.workspace?.tracked(node.project.id, record.ref);
        const inWorkspace = tracked ? workspaceMark(tracked, record) : undefined;
        item.contextValue = `source kind-${node.kind}${draft ? (draft.isNew ? ' draft new' : ' draft') : ''}${drifted}${readOnly ? ' readonly' : ''}${tracked?.local ? ' workspace' : ''}`;
        if (inWorkspace) {
          item.description = [inWorkspace.text, item.description].filter(Boolean).join('  ');
          item.tooltip = appendTooltip(item.tooltip, inWorkspace.detail);
        }
        if (readOnly) item.description = ['read-only key', item.description].filter(Boolean).join('  ');
        if (draft?.isNew) item.description = ['new, not pushed', item.description].filter(Boolean).join('  ');
        if (drift) item.description = [drift.kind === 'deleted' ? 'deleted on Statsig' : 'changed on Statsig', item.description].filter(Boolean).join('  ');
        item.command = { command: Commands.open, title: 'Open', arguments: [node, { preview: true }] };
        return item;
      }
      case 'invalid': {
        const item = new vscode.TreeItem(node.item.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.item.unaddressable ? 'name not addressable' : 'does not match the API spec';
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = node.item.unaddressable
          ? `This ${descriptor(node.kind).singular} cannot be opened, pushed or deleted here:\n${node.item.issues.join('\n')}`
          : `Statsig returned this ${descriptor(node.kind).singular} in a shape the extension does not understand, so it cannot be edited here:\n${node.item.issues.join('\n')}`;
        item.contextValue = 'invalid';
        return item;
      }
      case 'disconnected': {
        const n = node.drafts.length;
        const item = new vscode.TreeItem(`Not connected: project ${node.projectId}`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = `${n} unpushed draft${n === 1 ? '' : 's'} — Connect…`;
        item.tooltip = `${n} saved draft${n === 1 ? '' : 's'} of Statsig project ${node.projectId}, which is not connected in this window. Connect it with any Console API key of that project (Set API Key…) to validate and push them again.`;
        item.iconPath = new vscode.ThemeIcon('plug');
        // The same context as a "set a new key" message: its inline Set API Key action connects.
        item.contextValue = 'message setKey';
        return item;
      }
      case 'disconnectedDraft': {
        const { draft } = node;
        const item = new vscode.TreeItem(refName(draft.ref), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.resourceUri = draft.uri;
        item.description = `${descriptor(draft.ref.kind).singular}${draft.isNew ? ', new' : ''}`;
        item.tooltip = `Unpushed draft of ${refLabel(draft.ref)} (project ${node.projectId}, not connected). Open it to read or edit it; Discard drops it.`;
        item.iconPath = new vscode.ThemeIcon(descriptor(draft.ref.kind).icon);
        item.contextValue = `source kind-${draft.ref.kind} draft disconnected`;
        item.command = { command: Commands.open, title: 'Open', arguments: [draft.uri, { preview: true }] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = node.action ? `message ${node.action}` : 'message';
        if (node.action === 'retry') item.command = { command: Commands.refreshItem, title: 'Retry', arguments: [node] };
        if (node.action === 'setKey') item.command = { command: Commands.setApiKey, title: 'Set API Key', arguments: [node] };
        return item;
      }
    }
  }
}

/** The view's progress while the model loads. */
export const registerTreeProgress: Feature = ({ model }) => model.onDidStartLoading((done) => {
  void withProgress({ location: { viewId: Views.sources } }, () => done);
});

/** The view's commands: refresh (all or one node), the name filter, Copy Name. */
export const treeCommands: CommandFactory<
  typeof Commands.refresh | typeof Commands.refreshItem | typeof Commands.filter | typeof Commands.clearFilter | typeof Commands.copyName
> = ({ model, view, tree, drafts, drift }) => {
  /** Refresh also re-reads the drafted sources it covers (forced: only the schedule's short minimum holds it back). */
  const checkDrift = (projectId?: string, kind?: KindId) => drift.check(drafts.peekAll().map((d) => vscode.Uri.parse(d.uri)).filter((u) => {
    const parsed = parseSourceUri(u);
    return parsed && (!projectId || parsed.projectId === projectId) && (!kind || parsed.ref.kind === kind);
  }), { force: true });
  const refresh = async (projectId?: string, kind?: KindId) => {
    await Promise.all([model.refresh(projectId, kind), checkDrift(projectId, kind)]);
  };
  const showFilter = async (text: string) => {
    tree.setFilter(text);
    view.description = tree.filter ? `Filter: "${tree.filter}"` : undefined;
    // The title's description is cut off at the default sidebar width: say it in the view too.
    view.message = tree.filter ? `Showing sources whose name contains "${tree.filter}". Clear Filter shows all.` : undefined;
    await vscode.commands.executeCommand('setContext', ContextKeys.filtered, tree.filter !== '');
  };
  return {
    // The view title's Refresh (which VS Code calls with the focused node) reloads everything; the
    // inline and context-menu action on a node (refreshItem) reloads that node.
    [Commands.refresh]: () => refresh(),
    [Commands.refreshItem]: async (arg?: unknown) => {
      const node = arg as SourcesNode | undefined;
      if (!node || typeof node !== 'object' || !('type' in node)) return refresh();
      switch (node.type) {
        case 'project': return refresh(node.project.id);
        case 'message': return node.kind ? refresh(node.project.id, node.kind) : refresh(node.project.id);
        case 'disconnected': case 'disconnectedDraft': return refresh();
        default: return refresh(node.project.id, node.kind);
      }
    },
    [Commands.filter]: async () => {
      const before = tree.filter;
      const input = vscode.window.createInputBox();
      input.title = 'Filter sources by name';
      input.placeholder = 'Part of a name (case-insensitive); empty shows every source';
      input.value = before;
      let accepted = false;
      await new Promise<void>((resolve) => {
        input.onDidChangeValue((v) => void showFilter(v));
        input.onDidAccept(() => {
          accepted = true;
          input.hide();
        });
        input.onDidHide(() => resolve());
        input.show();
      });
      input.dispose();
      if (!accepted) await showFilter(before);
    },
    [Commands.clearFilter]: () => showFilter(''),
    [Commands.copyName]: async (arg?: unknown) => {
      const node = arg as SourcesNode | undefined;
      if (!node || node.type !== 'source') return;
      const name = refName(node.record.ref);
      await vscode.env.clipboard.writeText(name);
      statusBarMessage(`Copied "${name}"`, 3000);
    },
  };
};

/** How the tree says a source is in the workspace: as on Statsig, differing from it, or its files not readable. */
export function workspaceMark(tracked: Tracked, record: SourceRecord): { readonly text: string; readonly detail: string } {
  const where = vscode.workspace.asRelativePath(tracked.root.uri);
  if (!tracked.local) return { text: 'workspace: files missing', detail: `In ${where}/statsig.lock.json, but its files are missing or do not parse (see Problems).` };
  const files = `${where}/${tracked.local.jsonPath}`;
  if (record.data && WorkspaceSources.sameAs(tracked, record.ref, record.data)) return { text: 'workspace ✓', detail: `Workspace copy: ${files}, the same as Statsig's version.` };
  return { text: 'workspace ≠ Statsig', detail: `Workspace copy: ${files} differs from Statsig's version (changed in the files, or on Statsig since the pull). Compare it from the file, or push it.` };
}

function appendTooltip(tooltip: string | vscode.MarkdownString | undefined, line: string): string | vscode.MarkdownString {
  if (tooltip instanceof vscode.MarkdownString) return tooltip.appendMarkdown('\n\n').appendText(line);
  return tooltip ? `${tooltip}\n${line}` : line;
}
