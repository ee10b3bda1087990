// Composition root: build the services, register the features, hand every disposable to VS Code.
// Activation does no network: the tree loads when its view is first shown.
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants.ts';
import { registerAuth, seedDevelopmentKey } from './features/auth/auth.ts';
import { Connections } from './features/projects/connections.ts';
import { registerStatusBar } from './features/status/statusBar.ts';
import { SourcesModel } from './features/tree/sourcesModel.ts';
import { registerSourcesView, type SourcesTreeProvider } from './features/tree/sourcesTree.ts';
import { channelLogger } from './platform/logger.ts';
import { ProjectStore } from './platform/projectStore.ts';

/** What activate() returns in the extension's own integration tests (ExtensionMode.Test) only. */
export interface TestingApi {
  readonly store: ProjectStore;
  readonly connections: Connections;
  readonly model: SourcesModel;
  readonly tree: SourcesTreeProvider;
}

export function activate(context: vscode.ExtensionContext): TestingApi | undefined {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  // Every line is masked: keys by shape (console-…) and every key this window has read.
  const log = channelLogger(channel, () => store.secretsSeen());
  const store = new ProjectStore(context.secrets, (message) => {
    log('warn', message);
    void vscode.window.showWarningMessage(message, 'Set API Key').then((c) => c && vscode.commands.executeCommand(Commands.setApiKey));
  });
  const connections = new Connections(store, log);
  const model = new SourcesModel(connections, log);
  const view = registerSourcesView(connections, model, log);
  context.subscriptions.push(
    channel,
    connections,
    model,
    vscode.commands.registerCommand(Commands.showLog, () => channel.show()),
    ...registerAuth(store, connections, log),
    ...view.disposables,
    ...registerStatusBar(connections),
  );
  void seedDevelopmentKey(context.extensionMode, store, connections, log);
  return context.extensionMode === vscode.ExtensionMode.Test ? { store, connections, model, tree: view.provider } : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
