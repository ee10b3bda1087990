// Go to Source…: one quick pick over every source of every connected project, fuzzy on name, kind
// and project, the sources opened last first. It shows at once and fills in as the Sources model
// loads each project's kinds (one kind failing hides none of the others). The recently opened
// list follows the tabs: a source shown in the source editor or as its `.sql` view, whatever
// opened it, goes to the top (kept in the global state, so every window shares it).
import * as vscode from 'vscode';
import { Commands, EDITOR_VIEW_TYPE, StateKeys } from '../../constants.ts';
import { errorMessage } from '../../core/errors.ts';
import { KindIds, descriptor, refLabel, type KindId, type SourceRef } from '../../core/kinds.ts';
import type { Project } from '../../core/projects.ts';
import { arrange, recentList, touched, type PickableSource } from '../../core/recentSources.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { parseSourceUri, sourceOfSqlView, sourceUri } from '../documents/uris.ts';
import type { CommandFactory } from '../services.ts';

/** The source a tab shows in the source editor or as a `.sql` view. */
function sourceOfTab(tab: vscode.Tab): vscode.Uri | undefined {
  const input: unknown = tab.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === EDITOR_VIEW_TYPE) return parseSourceUri(input.uri) ? input.uri : undefined;
  if (input instanceof vscode.TabInputText) return sourceOfSqlView(input.uri)?.uri;
  return undefined;
}

export class RecentSources extends Disposable {
  private readonly memento: vscode.Memento;

  constructor(memento: vscode.Memento) {
    super();
    this.memento = memento;
    this._register(vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of [...e.opened, ...e.changed]) if (tab.isActive) this.noteTab(tab);
    }));
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (active) this.noteTab(active);
  }

  private noteTab(tab: vscode.Tab): void {
    const uri = sourceOfTab(tab);
    // Losing one update of the order is harmless; it must not become an unhandled rejection.
    if (uri) this.touch(uri).catch(() => undefined);
  }

  /** Source URIs, most recently opened first. */
  list(): string[] {
    return recentList(this.memento.get<unknown>(StateKeys.recentSources));
  }

  /** `uri` was opened now. */
  async touch(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const now = this.list();
    if (now[0] === key) return;
    await this.memento.update(StateKeys.recentSources, touched(now, key));
  }
}

interface SourceItem extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
  /** A kind that failed to load: choosing it loads it again. */
  readonly retry?: { readonly projectId: string; readonly kind: KindId };
}

interface Candidate extends PickableSource {
  readonly uri: vscode.Uri;
  readonly ref: SourceRef;
  readonly project: Project;
}

function candidate(project: Project, ref: SourceRef): Candidate {
  const uri = sourceUri(project.id, ref);
  return { key: uri.toString(), uri, ref, project, name: refLabel(ref), kind: ref.kind, projectLabel: project.label };
}

function itemOf(c: Candidate): SourceItem {
  const d = descriptor(c.kind);
  return {
    label: c.name,
    description: `${d.singular} · ${c.projectLabel}`,
    iconPath: new vscode.ThemeIcon(d.icon),
    uri: c.uri,
  };
}

export const goToSourceCommands: CommandFactory<typeof Commands.goToSource> = (services) => {
  const { connections, model, picks, prompts, recent } = services;

  /** Everything the pick shows now, and whether some kind is still loading. */
  function build(projects: readonly Project[]): { items: SourceItem[]; busy: boolean } {
    const sources: Candidate[] = [];
    const failed: SourceItem[] = [];
    /** Kinds whose listing is known complete (a recent source missing there no longer exists). */
    const listed = new Set<string>();
    let busy = false;
    for (const project of projects) {
      for (const kind of KindIds) {
        const state = model.state(project.id, kind);
        if (!state || state.status === 'loading') busy = true;
        if (state?.status === 'loaded') listed.add(`${project.id}/${kind}`);
        if (state?.status === 'error') {
          failed.push({
            label: `$(warning) ${descriptor(kind).label} of "${project.label}" could not be loaded`,
            description: errorMessage(state.error),
            detail: 'Choose to try again',
            retry: { projectId: project.id, kind },
          });
        }
        for (const record of model.records(project.id, kind)) sources.push(candidate(project, record.ref));
      }
    }
    // A recent source of a kind not listed yet shows at once (the listing drops it if it is gone).
    const recentKeys = recent.list();
    for (const key of recentKeys) {
      const parsed = parseSourceUri(vscode.Uri.parse(key));
      const project = parsed && projects.find((p) => p.id === parsed.projectId);
      if (!parsed || !project || listed.has(`${project.id}/${parsed.ref.kind}`)) continue;
      sources.push(candidate(project, parsed.ref));
    }
    const arranged = arrange(sources, recentKeys);
    const separator = (label: string): SourceItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
    const items: SourceItem[] = [
      ...(arranged.recent.length ? [separator('recently opened'), ...arranged.recent.map(itemOf)] : []),
      ...(arranged.rest.length && arranged.recent.length ? [separator('sources')] : []),
      ...arranged.rest.map(itemOf),
      ...failed,
    ];
    return { items, busy };
  }

  async function goToSource(): Promise<void> {
    const projects = await connections.list();
    if (projects.length === 0) {
      const connect = 'Set API Key…';
      const choice = await prompts.info('No Statsig project is connected yet: connect one to go to its sources.', connect);
      if (choice === connect) await vscode.commands.executeCommand(Commands.setApiKey);
      return;
    }
    const pick = picks.create<SourceItem>({
      title: 'Go to Statsig source',
      placeholder: projects.length > 1 ? 'Name, kind or project of a source' : 'Name or kind of a source',
      matchOnDescription: true,
    });
    pick.keepScrollPosition = true;
    const update = () => {
      const { items, busy } = build(projects);
      // Keep what the user has moved to when the list fills in under them.
      const active = pick.activeItems[0];
      pick.items = items;
      const same = active?.uri ? items.find((i) => i.uri?.toString() === active.uri?.toString()) : undefined;
      if (same) pick.activeItems = [same];
      pick.busy = busy;
    };
    const chosen = new Promise<vscode.Uri | undefined>((resolve) => {
      const subscriptions: vscode.Disposable[] = [model.onDidChange(update)];
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item?.retry) {
          void model.refresh(item.retry.projectId, item.retry.kind);
          return;
        }
        if (!item?.uri) return;
        resolve(item.uri);
        close();
      });
      const close = () => {
        for (const s of subscriptions.splice(0)) s.dispose();
        picks.done(pick);
      };
      pick.onDidHide(() => {
        resolve(undefined);
        close();
      });
    });
    update();
    picks.show(pick);
    for (const project of projects) model.ensureLoaded(project.id);
    const uri = await chosen;
    if (uri) await vscode.commands.executeCommand(Commands.open, uri);
  }

  return { [Commands.goToSource]: goToSource };
};
