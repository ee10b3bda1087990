// The loader. Activation registers every provider and command as a thin forwarder and returns; the
// implementation (dist/main.cjs: zod, the client, the features) loads right after, off the
// activation path, and the forwarders wait for it on first use. Activation does no network.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { Commands, EDITOR_VIEW_TYPE, REMOTE_SCHEME, SOURCE_SCHEME, Views } from './constants.ts';
import type * as Main from './main.ts';
import type { Implementation, TestingApi } from './main.ts';
import { showError } from './platform/notify.ts';

/** What activate() returns in the extension's own tests (ExtensionMode.Test) only. */
export interface TestingExports {
  testing(): Promise<TestingApi>;
  /** performance.now() when activate() was entered and when it returned. */
  readonly activation: { readonly startedAt: number; readonly endedAt: number };
}

export function activate(context: vscode.ExtensionContext): TestingExports | undefined {
  const startedAt = performance.now();
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const treeChanged = new vscode.EventEmitter<unknown>();
  const filesChanged = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const decorationsChanged = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  let loading: Promise<Implementation> | undefined;

  const view = vscode.window.createTreeView<unknown>(Views.sources, {
    showCollapseAll: true,
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      getChildren: async (element) => (await impl()).tree.getChildren(element),
      getTreeItem: async (element) => (await impl()).tree.getTreeItem(element),
      getParent: async (element) => (await impl()).tree.getParent?.(element),
    },
  });

  function impl(): Promise<Implementation> {
    loading ??= Promise.resolve().then(() => {
      // A runtime path, so the bundler leaves the implementation in its own file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require(join(__dirname, 'main.cjs')) as typeof Main;
      const implementation = main.start(context, {
        view,
        registerCommand: (id, run) => {
          handlers.set(id, run);
          return new vscode.Disposable(() => handlers.delete(id));
        },
      });
      const forward = <T>(event: vscode.Event<T> | undefined, emitter: vscode.EventEmitter<T>) => event && context.subscriptions.push(event((e) => emitter.fire(e)));
      forward(implementation.tree.onDidChangeTreeData, treeChanged);
      forward(implementation.fs.onDidChangeFile, filesChanged);
      forward(implementation.decorations.onDidChangeFileDecorations, decorationsChanged);
      return implementation;
    });
    return loading;
  }

  const fs: vscode.FileSystemProvider = {
    onDidChangeFile: filesChanged.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: async (uri) => (await impl()).fs.stat(uri),
    readDirectory: async (uri) => (await impl()).fs.readDirectory(uri),
    createDirectory: async (uri) => (await impl()).fs.createDirectory(uri),
    readFile: async (uri) => (await impl()).fs.readFile(uri),
    writeFile: async (uri, content, options) => (await impl()).fs.writeFile(uri, content, options),
    delete: async (uri, options) => (await impl()).fs.delete(uri, options),
    rename: async (from, to, options) => (await impl()).fs.rename(from, to, options),
  };

  context.subscriptions.push(
    view, treeChanged, filesChanged, decorationsChanged,
    ...Object.values(Commands).map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await impl();
      const run = handlers.get(id);
      if (!run) throw new Error(`Command ${id} has no handler.`);
      return run(...args);
    })),
    vscode.workspace.registerFileSystemProvider(SOURCE_SCHEME, fs, { isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(EDITOR_VIEW_TYPE, {
      resolveCustomTextEditor: async (document, panel, token) => (await impl()).editor.resolveCustomTextEditor(document, panel, token),
    }, { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true }),
    vscode.window.registerFileDecorationProvider({
      onDidChangeFileDecorations: decorationsChanged.event,
      provideFileDecoration: async (uri, token) => (await impl()).decorations.provideFileDecoration(uri, token),
    }),
    vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, {
      provideTextDocumentContent: async (uri, token) => (await impl()).remote.provideTextDocumentContent(uri, token),
    }),
  );
  // Load now, but after activation has returned: the status bar and the key state appear at once.
  setTimeout(() => {
    impl().catch((error: unknown) => {
      console.error('[statsig-whn] the implementation failed to load', error);
      void showError(`Statsig WHN failed to start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }, 0);
  const activation = { startedAt, endedAt: performance.now() };
  return context.extensionMode === vscode.ExtensionMode.Test ? { testing: async () => (await impl()).testing, activation } : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
