// The one bag of long-lived services every feature gets, and the two shapes a feature takes: a
// `Feature` registers what it shows (status bar, completion) and returns one Disposable; a
// `CommandFactory` returns the handlers of its commands, by id. src/main.ts lists both.
import type * as vscode from 'vscode';
import type { CommandId, Handler } from '../contributions.ts';
import type { Logger } from '../core/client.ts';
import type { ProjectStore } from '../platform/projectStore.ts';
import type { Prompts } from '../platform/prompts.ts';
import type { QuickPicks } from '../platform/quickPicks.ts';
import type { DraftStore } from './documents/drafts.ts';
import type { SourceFileSystem } from './documents/sourceFs.ts';
import type { SourceState } from './documents/sourceState.ts';
import type { DraftValidator } from './documents/validator.ts';
import type { RecentSources } from './goto/goToSource.ts';
import type { PushHistory } from './history/pushHistory.ts';
import type { Connections } from './projects/connections.ts';
import type { BatchReports } from './sources/batchReports.ts';
import type { DriftWatcher } from './sources/drift.ts';
import type { RemoteSnapshots } from './sources/sourceDiff.ts';
import type { SourcesModel } from './tree/sourcesModel.ts';
import type { SourcesTreeProvider } from './tree/sourcesTree.ts';
import type { WorkspaceSources } from './workspace/workspaceSources.ts';
import type { WorkspaceValidator } from './workspace/workspaceValidator.ts';

export interface Services {
  readonly store: ProjectStore;
  readonly connections: Connections;
  readonly drafts: DraftStore;
  readonly fs: SourceFileSystem;
  /** What Statsig has and what each draft started from. */
  readonly state: SourceState;
  readonly validator: DraftValidator;
  /** Drafted sources changed or deleted on Statsig since their draft started. */
  readonly drift: DriftWatcher;
  readonly model: SourcesModel;
  /** The Sources view (created at activation by the loader) and its data. */
  readonly view: vscode.TreeView<unknown>;
  readonly tree: SourcesTreeProvider;
  /** Read-only snapshots shown on the left (and right) of push and Compare diffs. */
  readonly snapshots: RemoteSnapshots;
  /** The reports of Validate All and Push All. */
  readonly reports: BatchReports;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  /** Every message and question to the user goes through here (tests script the answers). */
  readonly prompts: Prompts;
  /** Quick picks that tests can read and answer (Show Push History, Go to Source). */
  readonly picks: QuickPicks;
  /** Every successful push, the last 50 per source (Show Push History…). */
  readonly history: PushHistory;
  /** The sources opened last (Go to Source… lists them first). */
  readonly recent: RecentSources;
  /** The sources folders of the workspace (statsig.lock.json and its files). */
  readonly workspaceSources: WorkspaceSources;
  /** Saving a workspace source validates it (local and dry run), its problems on its files. */
  readonly workspaceValidator: WorkspaceValidator;
}

export type Feature = (services: Services) => vscode.Disposable;

/** The handlers of some commands; src/main.ts spreads them into one table that must cover every id. */
export type CommandFactory<Id extends CommandId> = (services: Services) => { readonly [K in Id]: Handler };
