// Pending changes as source control: one source control per connected project, its drafts in three
// groups — "Conflicts" (a merge to finish, or Statsig changed what the draft changed too), "Changed
// on Statsig" (drift that merges by itself, or the source was deleted there) and "Drafts" (the
// rest) — each opening the SQL-aware diff (Statsig ↔ draft), with Push, Discard and Compare inline;
// the count on the view's badge; quick diff (gutter marks) of a source's JSON and `.sql` documents
// against Statsig's version. Which group a draft is in is decided pure (core/pendingGroups.ts).
import * as vscode from 'vscode';
import { Commands, SCM_PROVIDER, SOURCE_SCHEME } from '../../constants.ts';
import { groupOf, type DriftSummary, type PendingGroup } from '../../core/pendingGroups.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { projectAuthority, type Project } from '../../core/projects.ts';
import type { Draft } from '../../core/draftFiles.ts';
import { Disposable } from '../../platform/lifecycle.ts';
import { parseSourceUri, sourceOfSqlView, sqlViewUri } from '../documents/uris.ts';
import type { Services } from '../services.ts';
import { liveOriginal } from '../sources/sourceDiff.ts';

/** What this view needs of drift detection (src/features/sources/drift.ts). */
export interface DriftSignal {
  readonly onDidChange: vscode.Event<readonly vscode.Uri[]>;
  get(uri: vscode.Uri): DriftSummary | undefined;
}

const GROUPS: readonly { readonly id: PendingGroup; readonly label: string }[] = [
  { id: 'conflicts', label: 'Conflicts' },
  { id: 'changed', label: 'Changed on Statsig' },
  { id: 'drafts', label: 'Drafts' },
];

interface ProjectControl {
  readonly project: Project;
  readonly control: vscode.SourceControl;
  readonly groups: ReadonlyMap<PendingGroup, vscode.SourceControlResourceGroup>;
}

const QUICK_DIFF: vscode.QuickDiffProvider = {
  provideOriginalResource: (uri) => (uri.scheme === SOURCE_SCHEME && (sourceOfSqlView(uri) ?? parseSourceUri(uri)) ? liveOriginal(uri) : undefined),
};

export class PendingChanges extends Disposable {
  private readonly services: Services;
  private readonly drift: DriftSignal | undefined;
  private readonly controls = new Map<string, ProjectControl>();
  private scheduled: ReturnType<typeof setTimeout> | undefined;

  constructor(services: Services, drift: DriftSignal | undefined) {
    super();
    this.services = services;
    this.drift = drift;
    this._register(services.connections.onDidChange(() => this.schedule()));
    this._register(services.drafts.onDidChange(() => this.schedule()));
    if (drift) this._register(drift.onDidChange(() => this.schedule()));
    this._register({ dispose: () => this.scheduled && clearTimeout(this.scheduled) });
    this._register({ dispose: () => { for (const c of this.controls.values()) c.control.dispose(); this.controls.clear(); } });
    void services.drafts.ready().then(() => this.update());
  }

  /** Many drafts change at once (Push All settling 200): one update for the lot. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.update();
    }, 50);
  }

  /** The groups as they are now (tests read them). */
  snapshot(projectId: string): Record<PendingGroup, string[]> | undefined {
    const c = this.controls.get(projectId);
    if (!c) return undefined;
    const names = (g: PendingGroup) => (c.groups.get(g)?.resourceStates ?? []).map((r) => {
      const parsed = sourceOfSqlView(r.resourceUri) ?? parseSourceUri(r.resourceUri);
      return parsed ? refLabel(parsed.ref) : r.resourceUri.toString();
    });
    return { conflicts: names('conflicts'), changed: names('changed'), drafts: names('drafts') };
  }

  /** The count on the badge of a project's source control. */
  count(projectId: string): number | undefined {
    return this.controls.get(projectId)?.control.count;
  }

  update(): void {
    if (this.isDisposed) return;
    const projects = this.services.connections.current;
    for (const [id, c] of this.controls) {
      if (!projects.some((p) => p.id === id && p.label === c.project.label)) {
        c.control.dispose();
        this.controls.delete(id);
      }
    }
    this.hostQuickDiff();
    const byProject = new Map<string, Draft[]>();
    for (const draft of this.services.drafts.peekAll()) {
      const parsed = parseSourceUri(vscode.Uri.parse(draft.uri));
      if (parsed) byProject.set(parsed.projectId, [...(byProject.get(parsed.projectId) ?? []), draft]);
    }
    for (const project of projects) {
      const c = this.controls.get(project.id) ?? this.create(project);
      const states = new Map<PendingGroup, vscode.SourceControlResourceState[]>(GROUPS.map((g) => [g.id, []]));
      const drafts = (byProject.get(project.id) ?? []).sort((a, b) => a.uri.localeCompare(b.uri));
      for (const draft of drafts) {
        const uri = vscode.Uri.parse(draft.uri);
        const drift = this.drift?.get(uri);
        const group = groupOf(draft, drift);
        states.get(group)?.push(this.resource(uri, draft, group, drift));
      }
      for (const [id, group] of c.groups) group.resourceStates = states.get(id) ?? [];
      c.control.count = drafts.length;
    }
  }

  private create(project: Project): ProjectControl {
    const root = vscode.Uri.from({ scheme: SOURCE_SCHEME, authority: projectAuthority(project.id), path: '/' });
    const control = vscode.scm.createSourceControl(SCM_PROVIDER, `Statsig: ${project.label}`, root);
    control.inputBox.visible = false;
    const groups = new Map(GROUPS.map((g) => {
      const group = control.createResourceGroup(g.id, g.label);
      group.hideWhenEmpty = true;
      return [g.id, group] as const;
    }));
    const entry = { project, control, groups };
    this.controls.set(project.id, entry);
    this.hostQuickDiff();
    return entry;
  }

  /**
   * Quick diff (the gutter of a source's JSON or `.sql` document against Statsig's version; a source
   * not on Statsig yet: all added) is one provider for every project, carried by one source control:
   * VS Code registers a command per provider id, and every source control here has the same id.
   */
  private hostQuickDiff(): void {
    const controls = [...this.controls.values()].map((c) => c.control);
    if (controls.some((c) => c.quickDiffProvider)) return;
    const host = controls[0];
    if (host) host.quickDiffProvider = QUICK_DIFF;
  }

  private resource(uri: vscode.Uri, draft: Draft, group: PendingGroup, drift: DriftSummary | undefined): vscode.SourceControlResourceState {
    const parsed = parseSourceUri(uri);
    const name = parsed ? refLabel(parsed.ref) : uri.path;
    const kind = parsed ? descriptor(parsed.ref.kind).singular : 'source';
    const failed = draft.validation?.state === 'failed' || draft.validation?.state === 'skipped';
    const why = group === 'conflicts'
      ? ((draft as { merging?: unknown }).merging ? 'merge in progress: resolve the conflict markers in its SQL and save' : `changed on Statsig where your draft changed too (${drift?.kind === 'changed' ? drift.conflicting.join(', ') : ''}): merge it`)
      : group === 'changed'
        ? (drift?.kind === 'deleted' ? 'deleted on Statsig: recreate it from your draft, or discard the draft' : `changed on Statsig since your draft started (${drift?.kind === 'changed' ? drift.fields.join(', ') : ''}): merge it`)
        : draft.isNew ? 'new: not on Statsig yet' : 'changed here, not pushed yet';
    // Push only where a push can go through without a question about someone else's change.
    const pushable = group === 'drafts';
    return {
      // The `.sql` view: the SCM list shows "<name>.sql" with the SQL file icon, and its folder (the kind).
      resourceUri: sqlViewUri(uri),
      command: { command: Commands.compare, title: 'Compare with Statsig', arguments: [uri] },
      contextValue: [group, draft.isNew ? 'new' : 'existing', drift?.kind === 'deleted' ? 'deleted' : '', pushable ? 'pushable' : ''].filter(Boolean).join(' '),
      decorations: {
        tooltip: `${kind} "${name}": ${why}${failed ? '. Its last validation failed' : ''}.`,
        strikeThrough: drift?.kind === 'deleted',
        faded: false,
      },
    };
  }
}
