// The implementation, loaded by the loader (src/extension.ts) right after activation: builds the
// services once, then reads as two lists: the command table (every id of the contribution table
// mapped to its handler, each behind the one error boundary) and the features.
import { bundleStartedAt } from './loadClock.ts';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants.ts';
import type { Contributions, Registered } from './contributions.ts';
import { authCommands, seedDevelopmentKey } from './features/auth/auth.ts';
import { DraftDecorations } from './features/documents/decorations.ts';
import { DraftStore } from './features/documents/drafts.ts';
import { SourceFileSystem } from './features/documents/sourceFs.ts';
import { SourceState } from './features/documents/sourceState.ts';
import { registerColumnCompletion } from './features/documents/columnCompletion.ts';
import { registerUnitIdCompletion } from './features/documents/unitIdCompletion.ts';
import { registerSqlTypingCheck } from './features/documents/sqlTyping.ts';
import { DraftValidator } from './features/documents/validator.ts';
import { formatSqlCommands } from './features/editor/formatSql.ts';
import { SourceEditorProvider } from './features/editor/sourceEditor.ts';
import { Connections } from './features/projects/connections.ts';
import { goToSourceCommands, RecentSources } from './features/goto/goToSource.ts';
import { historyCommands, PushHistory } from './features/history/pushHistory.ts';
import type { CommandFactory, Feature, Services } from './features/services.ts';
import { driftCommands, DriftWatcher } from './features/sources/drift.ts';
import { mergeCommands, registerMergeNotices } from './features/sources/merge.ts';
import { pushCommands } from './features/sources/push.ts';
import { pushAllCommands } from './features/sources/pushAll.ts';
import { BatchReports } from './features/sources/batchReports.ts';
import { RemoteSnapshots } from './features/sources/sourceDiff.ts';
import { sourceCommands } from './features/sources/sourceCommands.ts';
import { PendingChanges } from './features/scm/pendingChanges.ts';
import { registerStatusBar } from './features/status/statusBar.ts';
import { SourcesModel } from './features/tree/sourcesModel.ts';
import { registerTreeProgress, SourcesTreeProvider, treeCommands } from './features/tree/sourcesTree.ts';
import { guarded } from './platform/commands.ts';
import { channelLogger } from './platform/logger.ts';
import { ProjectStore } from './platform/projectStore.ts';
import { SwitchablePrompts } from './platform/prompts.ts';
import { QuickPicks } from './platform/quickPicks.ts';
import { registerWorkspaceContext, workspaceCommands } from './features/workspace/workspaceCommands.ts';
import { WorkspaceSourceFileSystem } from './features/workspace/workspaceFs.ts';
import { WorkspaceSources } from './features/workspace/workspaceSources.ts';
import { WorkspaceValidator } from './features/workspace/workspaceValidator.ts';

const showLog: CommandFactory<typeof Commands.showLog> = ({ channel }) => ({ [Commands.showLog]: () => channel.show() });

/** Every command's handler; the types refuse a table that misses an id of `Commands`. */
const commandTable = (services: Services): Contributions['commands'] => ({
  ...authCommands(services),
  ...showLog(services),
  ...treeCommands(services),
  ...sourceCommands(services),
  ...pushCommands(services),
  ...pushAllCommands(services),
  ...driftCommands(services),
  ...mergeCommands(services),
  ...formatSqlCommands(services),
  ...historyCommands(services),
  ...goToSourceCommands(services),
  ...workspaceCommands(services),
});

/** Everything else a feature shows, registered in this order with the same services. */
const FEATURES: readonly Feature[] = [registerStatusBar, registerTreeProgress, registerUnitIdCompletion, registerColumnCompletion, registerSqlTypingCheck, registerMergeNotices, registerWorkspaceContext];

/** Every module of this bundle has been evaluated once this line runs. */
const bundleLoadedAt = performance.now();

/** What the extension's own integration tests and benchmark reach (ExtensionMode.Test only). */
export interface TestingApi extends Services {
  readonly prompts: SwitchablePrompts;
  readonly editor: SourceEditorProvider;
  /** The pending-changes source controls. */
  readonly pending: PendingChanges;
  /** The file decorations of the Sources view and the editors' tabs (draft and drift marks). */
  readonly decorations: DraftDecorations;
  /** performance.now() marks of the implementation bundle: evaluation started and ended, start() entered and returned. */
  readonly timings: { readonly bundleStartedAt: number; readonly bundleLoadedAt: number; readonly startedAt: number; readonly endedAt: number };
}

export interface Implementation extends Contributions {
  readonly testing: TestingApi;
}

export function start(context: vscode.ExtensionContext, registered: Registered): Implementation {
  const startedAt = performance.now();
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  // Every line is masked: keys by shape (console-…) and every key this window has read.
  const log = channelLogger(channel, () => store.secretsSeen());
  const prompts = new SwitchablePrompts();
  const store = new ProjectStore(context.secrets, (message) => {
    log('warn', message);
    void Promise.resolve(prompts.warning(message, {}, 'Set API Key')).then((c) => c && vscode.commands.executeCommand(Commands.setApiKey));
  });
  const connections = new Connections(store, log, prompts);
  const model = new SourcesModel(connections, log);
  const drafts = new DraftStore(context.globalStorageUri, log);
  const state = new SourceState(connections, drafts);
  const fs = new SourceFileSystem(state, drafts);
  const validator = new DraftValidator(connections, drafts, state, fs, log, context.extensionPath);
  const drift = new DriftWatcher(connections, drafts, state, log);
  const workspaceSources = new WorkspaceSources(log);
  const workspaceValidator = new WorkspaceValidator(workspaceSources, connections, log);
  const workspaceFs = new WorkspaceSourceFileSystem(workspaceSources);
  const tree = new SourcesTreeProvider(connections, model, drafts, drift, workspaceSources);
  const picks = new QuickPicks();
  const history = new PushHistory(context.globalStorageUri, log);
  const recent = new RecentSources(context.globalState);
  const services: Services = {
    store, connections, drafts, fs, state, validator, drift, model, view: registered.tree, tree, snapshots: new RemoteSnapshots(state), reports: new BatchReports(), channel, log, prompts,
    picks, history, recent, workspaceSources, workspaceValidator,
  };
  const editor = new SourceEditorProvider(context.extensionUri, connections, drafts, validator, log, prompts, model, { sources: workspaceSources, validator: workspaceValidator });
  const commands = Object.fromEntries(Object.entries(commandTable(services)).map(([id, handler]) => [id, guarded(id, handler, services)]));
  context.subscriptions.push(channel, connections, model, drafts, state, fs, validator, drift, tree, services.snapshots, services.reports, picks, recent, workspaceSources, workspaceValidator, workspaceFs, ...FEATURES.map((register) => register(services)));
  const pending = new PendingChanges(services, drift);
  context.subscriptions.push(pending);
  void seedDevelopmentKey(context.extensionMode, store, connections, log);
  const timings = { bundleStartedAt, bundleLoadedAt, startedAt, endedAt: performance.now() };
  const decorations = new DraftDecorations(drafts, drift);
  return {
    commands: commands as Contributions['commands'],
    providers: { tree, fs, workspaceFs, editor, decorations, remote: services.snapshots, reports: services.reports },
    testing: { ...services, prompts, editor, pending, decorations, timings },
  };
}
