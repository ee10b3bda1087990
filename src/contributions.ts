// Everything the extension contributes to VS Code in code (package.json declares the same ids), in
// one table read twice: by the loader at activation, which registers every entry once with a
// stand-in that waits for the implementation, and by the implementation, whose start() must supply
// a handler for every command and an object for every provider (the types below say so).
//
// Adding a command: its id in `Commands` (src/constants.ts), its entry in package.json, its handler
// factory in the COMMANDS table (src/main.ts). Adding a provider: one entry here, and the object in
// start(). This module stays light (no zod, no features): activation loads it.
import * as vscode from 'vscode';
import { Commands, EDITOR_VIEW_TYPE, REMOTE_SCHEME, REPORT_SCHEME, SOURCE_SCHEME, Views, WORKSPACE_SCHEME } from './constants.ts';

export type CommandId = (typeof Commands)[keyof typeof Commands];
export const COMMAND_IDS: readonly CommandId[] = Object.values(Commands);

// A handler takes whatever VS Code passes (a tree node, a URI, nothing) and narrows it itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (...args: any[]) => unknown;

type Fn = (...args: never[]) => unknown;
/** The methods of P that VS Code calls (its events excluded). */
type MethodOf<P> = { [K in keyof P]-?: K extends `on${string}` ? never : NonNullable<P[K]> extends Fn ? K : never }[keyof P] & string;
/** The events of P that VS Code subscribes to at registration. */
type EventOf<P> = { [K in keyof P]-?: K extends `on${string}` ? (NonNullable<P[K]> extends vscode.Event<unknown> ? K : never) : never }[keyof P] & string;

interface ProviderEntry<P, R extends vscode.Disposable = vscode.Disposable> {
  /** Called by VS Code, answered once the implementation has loaded. */
  readonly methods: readonly MethodOf<P>[];
  /** Subscribed by VS Code at registration, relayed from the implementation's events. */
  readonly events: readonly EventOf<P>[];
  /** Answered at once, without the implementation (VS Code needs a synchronous answer). */
  readonly immediate?: Partial<P>;
  readonly register: (provider: P) => R;
}

const entry = <P, R extends vscode.Disposable = vscode.Disposable>(e: ProviderEntry<P, R>) => e;

/** Every provider, with its registration options. */
export const PROVIDERS = {
  /** The Sources view's data; the view is created at activation, so it paints at once. */
  tree: entry<vscode.TreeDataProvider<unknown>, vscode.TreeView<unknown>>({
    methods: ['getChildren', 'getTreeItem', 'getParent'],
    events: ['onDidChangeTreeData'],
    register: (treeDataProvider) => vscode.window.createTreeView(Views.sources, { treeDataProvider, showCollapseAll: true }),
  }),
  /** `statsig:` documents: a source's JSON, read from Statsig or from its draft. */
  fs: entry<vscode.FileSystemProvider>({
    methods: ['stat', 'readDirectory', 'createDirectory', 'readFile', 'writeFile', 'delete', 'rename'],
    events: ['onDidChangeFile'],
    // Nothing changes a source behind VS Code's back without an event, so there is nothing to watch.
    immediate: { watch: () => new vscode.Disposable(() => undefined) },
    register: (provider) => vscode.workspace.registerFileSystemProvider(SOURCE_SCHEME, provider, { isCaseSensitive: true }),
  }),
  /** `statsig-workspace:` documents: a workspace source's two files as one document (the custom editor's). */
  workspaceFs: entry<vscode.FileSystemProvider>({
    methods: ['stat', 'readDirectory', 'createDirectory', 'readFile', 'writeFile', 'delete', 'rename'],
    events: ['onDidChangeFile'],
    // The files are watched by the implementation (it relays their changes as this document's).
    immediate: { watch: () => new vscode.Disposable(() => undefined) },
    register: (provider) => vscode.workspace.registerFileSystemProvider(WORKSPACE_SCHEME, provider, { isCaseSensitive: true }),
  }),
  /** The custom editor (SQL plus the fields), package.json's customEditors. */
  editor: entry<vscode.CustomTextEditorProvider>({
    methods: ['resolveCustomTextEditor'],
    events: [],
    register: (provider) => vscode.window.registerCustomEditorProvider(EDITOR_VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
  }),
  /** The `M`/`A` marks of sources with a saved draft. */
  decorations: entry<vscode.FileDecorationProvider>({
    methods: ['provideFileDecoration'],
    events: ['onDidChangeFileDecorations'],
    register: (provider) => vscode.window.registerFileDecorationProvider(provider),
  }),
  /** `statsig-remote:` read-only snapshots: the left side of push and Compare diffs. */
  remote: entry<vscode.TextDocumentContentProvider>({
    methods: ['provideTextDocumentContent'],
    events: ['onDidChange'],
    register: (provider) => vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, provider),
  }),
  /** `statsig-report:` the read-only reports of Validate All and Push All. */
  reports: entry<vscode.TextDocumentContentProvider>({
    methods: ['provideTextDocumentContent'],
    events: ['onDidChange'],
    register: (provider) => vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider),
  }),
};

type ProviderOf<E> = E extends ProviderEntry<infer P, infer _R> ? P : never;
type RegisteredOf<E> = E extends ProviderEntry<infer _P, infer R> ? R : never;
type Table = typeof PROVIDERS;
export type Providers = { readonly [K in keyof Table]: ProviderOf<Table[K]> };
/** What registering each provider returned (the tree's TreeView, which the implementation drives). */
export type Registered = { readonly [K in keyof Table]: RegisteredOf<Table[K]> };

/** What the implementation supplies for the table: a handler per command, an object per provider. */
export interface Contributions {
  readonly commands: { readonly [Id in CommandId]: Handler };
  readonly providers: Providers;
}

/**
 * Registers every command and provider of the table with stand-ins that wait for `load()` (which
 * loads the implementation on first call). Call `relay` once it has loaded: from then on the
 * implementation's events reach VS Code through the stand-ins.
 */
export function registerStandIns(load: () => Promise<Contributions>, subscriptions: vscode.Disposable[]): {
  registered: Registered;
  readonly relay: (contributions: Contributions) => void;
} {
  for (const id of COMMAND_IDS) {
    subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load()).commands[id](...args)));
  }
  const registered: Record<string, vscode.Disposable> = {};
  const relays: ((c: Contributions) => void)[] = [];
  for (const [name, spec] of Object.entries(PROVIDERS) as [keyof Table, ProviderEntry<object>][]) {
    const standIn: Record<string, unknown> = { ...spec.immediate };
    for (const method of spec.methods) {
      standIn[method] = async (...args: unknown[]) => {
        const provider = (await load()).providers[name] as unknown as Record<string, Fn | undefined>;
        return provider[method]?.(...(args as never[]));
      };
    }
    for (const event of spec.events) {
      const emitter = new vscode.EventEmitter<unknown>();
      standIn[event] = emitter.event;
      subscriptions.push(emitter);
      relays.push((c) => {
        const source = (c.providers[name] as unknown as Record<string, vscode.Event<unknown> | undefined>)[event];
        if (source) subscriptions.push(source((e) => emitter.fire(e)));
      });
    }
    registered[name] = spec.register(standIn);
    subscriptions.push(registered[name]);
  }
  return { registered: registered as unknown as Registered, relay: (c) => relays.forEach((r) => r(c)) };
}
