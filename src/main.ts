// The implementation, loaded by the loader (src/extension.ts) right after activation: builds the
// services and the real providers, and registers the command handlers through the loader.
import { bundleStartedAt } from './loadClock.ts';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants.ts';
import { registerAuth, seedDevelopmentKey } from './features/auth/auth.ts';
import { DraftDecorations } from './features/documents/decorations.ts';
import { DraftStore } from './features/documents/drafts.ts';
import { SourceFileSystem } from './features/documents/sourceFs.ts';
import { DraftValidator } from './features/documents/validator.ts';
import { SourceEditorProvider } from './features/editor/sourceEditor.ts';
import { Connections } from './features/projects/connections.ts';
import { RemoteSnapshots, registerPush } from './features/sources/push.ts';
import type { Feature, Services } from './features/services.ts';
import { registerSourceCommands } from './features/sources/sourceCommands.ts';
import { registerStatusBar } from './features/status/statusBar.ts';
import { SourcesModel } from './features/tree/sourcesModel.ts';
import { registerSourcesView, type SourcesTreeProvider } from './features/tree/sourcesTree.ts';
import { registerCommand, routeCommandsThrough, type CommandRegistrar } from './platform/commands.ts';
import { channelLogger } from './platform/logger.ts';
import { ProjectStore } from './platform/projectStore.ts';
import { SwitchablePrompts } from './platform/prompts.ts';
import { showWarning } from './platform/notify.ts';
import { registerUnitIdCompletion } from './features/documents/unitIdCompletion.ts';

/** Every feature, registered in this order with the same services. */
const FEATURES: readonly Feature[] = [registerAuth, registerStatusBar, registerPush, registerSourceCommands, registerUnitIdCompletion];

/** Every module of this bundle has been evaluated once this line runs. */
const bundleLoadedAt = performance.now();

/** What the extension's own integration tests and benchmark reach (ExtensionMode.Test only). */
export interface TestingApi extends Services {
  readonly prompts: SwitchablePrompts;
  readonly tree: SourcesTreeProvider;
  readonly editor: SourceEditorProvider;
  /** performance.now() marks of the implementation bundle: evaluation started and ended, start() entered and returned. */
  readonly timings: { readonly bundleStartedAt: number; readonly bundleLoadedAt: number; readonly startedAt: number; readonly endedAt: number };
}

/** What the loader's forwarding providers delegate to. */
export interface Implementation {
  readonly tree: vscode.TreeDataProvider<unknown>;
  readonly fs: vscode.FileSystemProvider;
  readonly editor: vscode.CustomTextEditorProvider;
  readonly decorations: vscode.FileDecorationProvider;
  readonly remote: vscode.TextDocumentContentProvider;
  readonly testing: TestingApi;
}

export interface LoaderHost {
  readonly view: vscode.TreeView<unknown>;
  readonly registerCommand: CommandRegistrar;
}

export function start(context: vscode.ExtensionContext, host: LoaderHost): Implementation {
  const startedAt = performance.now();
  routeCommandsThrough(host.registerCommand);
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  // Every line is masked: keys by shape (console-…) and every key this window has read.
  const log = channelLogger(channel, () => store.secretsSeen());
  const store = new ProjectStore(context.secrets, (message) => {
    log('warn', message);
    void showWarning(message, {}, 'Set API Key').then((c) => c && vscode.commands.executeCommand(Commands.setApiKey));
  });
  const connections = new Connections(store, log);
  const model = new SourcesModel(connections, log);
  const drafts = new DraftStore(context.globalStorageUri, log);
  const fs = new SourceFileSystem(connections, drafts);
  const validator = new DraftValidator(connections, drafts, fs, log);
  const prompts = new SwitchablePrompts();
  const snapshots = new RemoteSnapshots();
  const services: Services = { store, connections, drafts, fs, validator, model, snapshots, log, prompts };
  // The tree view itself is created by the loader at activation (so the view paints at once).
  const view = registerSourcesView(connections, model, drafts, log, host.view);
  const editor = new SourceEditorProvider(context.extensionUri, connections, drafts, validator, log);
  context.subscriptions.push(
    channel, connections, model, drafts, fs, validator,
    registerCommand(Commands.showLog, log, () => channel.show()),
    ...view.disposables,
    ...FEATURES.flatMap((register) => register(services)),
  );
  void seedDevelopmentKey(context.extensionMode, store, connections, log);
  const timings = { bundleStartedAt, bundleLoadedAt, startedAt, endedAt: performance.now() };
  return {
    tree: view.provider,
    fs,
    editor,
    decorations: new DraftDecorations(drafts),
    remote: snapshots,
    testing: { ...services, prompts, tree: view.provider, editor, timings },
  };
}
