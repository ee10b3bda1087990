// The connected projects for the configured API base URL, and one API client per project (built on
// demand, rebuilt when its key or the settings change). Mutations of one project share one rate
// limiter, so every editor and command stays under Statsig's per-key limits together.
import * as vscode from 'vscode';
import { Disposable } from '../../platform/lifecycle.ts';
import { Commands, ContextKeys, Settings } from '../../constants.ts';
import { SourcesApi } from '../../core/api.ts';
import { ConsoleClient, type Logger } from '../../core/client.ts';
import { MutationLimiter } from '../../core/limiter.ts';
import type { Project } from '../../core/projects.ts';
import { readConfig } from '../../platform/config.ts';
import type { SqlDialect } from '../../core/sql/dialects.ts';
import type { ProjectStore } from '../../platform/projectStore.ts';
import type { Prompts } from '../../platform/prompts.ts';
import { errorMessage } from '../../core/errors.ts';

export interface Connection {
  readonly project: Project;
  readonly api: SourcesApi;
}

export interface ThrottleEvent {
  readonly project: Project;
  /** How long the next mutation waits; 0 when the queue has drained. */
  readonly waitMs: number;
}

/** Anything that names a project: a tree node, a `{ projectId }` argument, or a Project. */
export function projectIdOf(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { projectId?: unknown; project?: { id?: unknown }; id?: unknown; baseUrl?: unknown };
  if (typeof o.projectId === 'string') return o.projectId;
  if (o.project && typeof o.project.id === 'string') return o.project.id;
  if (typeof o.id === 'string' && typeof o.baseUrl === 'string') return o.id;
  return undefined;
}

export class Connections extends Disposable {
  private readonly store: ProjectStore;
  private readonly log: Logger;
  private snapshot: readonly Project[] = [];
  private baseUrlValue = readConfig().apiBaseUrl;
  private loading: Promise<void>;
  private readonly clients = new Map<string, { signature: string; connection: Connection }>();
  private readonly limiters = new Map<string, MutationLimiter>();
  /** Projects whose key got a 403 on a change or a dry run (until the key or the settings change). */
  private readonly readOnlyIds = new Set<string>();
  private readonly unitTypes = new Map<string, Promise<readonly string[] | undefined>>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly throttled = this._register(new vscode.EventEmitter<ThrottleEvent>());
  private readonly accessChanged = this._register(new vscode.EventEmitter<string>());
  /** A project turned out to have a read-only key (its listings stay valid). */
  readonly onDidChangeAccess = this.accessChanged.event;
  private readonly prompts: Prompts;
  /** Projects changed (added, removed, renamed, key replaced) or the settings behind them changed. */
  readonly onDidChange = this.changed.event;
  readonly onDidThrottle = this.throttled.event;

  constructor(store: ProjectStore, log: Logger, prompts: Prompts) {
    super();
    this.store = store;
    this.log = log;
    this.prompts = prompts;
    this.loading = this.reload();
    // A sign-in or sign-out in another window arrives here too.
    this._register(store.onDidChange((baseUrl) => {
      if (baseUrl === this.baseUrlValue) void this.reload();
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.section)) void this.reload();
    }));
  }

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  /** The projects as last read (empty until the first read finishes). */
  get current(): readonly Project[] {
    return this.snapshot;
  }

  /** The SQL dialect of a project's warehouse: the one chosen for it, else the `statsigWhn.sqlDialect` setting. */
  dialectOf(projectId: string): SqlDialect {
    return this.snapshot.find((p) => p.id === projectId)?.dialect ?? readConfig().sqlDialect;
  }

  async list(): Promise<readonly Project[]> {
    await this.loading;
    return this.snapshot;
  }

  /** Re-reads the stored projects and the settings; clients whose key or settings changed are rebuilt lazily. */
  reload(): Promise<void> {
    this.loading = (async () => {
      const config = readConfig();
      this.baseUrlValue = config.apiBaseUrl;
      this.snapshot = await this.store.list(config.apiBaseUrl);
      this.clients.clear();
      // A new key may have write access: find out again with the next change.
      this.readOnlyIds.clear();
      this.unitTypes.clear();
      await vscode.commands.executeCommand('setContext', ContextKeys.hasApiKey, this.snapshot.length > 0);
      await vscode.commands.executeCommand('setContext', ContextKeys.multipleProjects, this.snapshot.length > 1);
      this.changed.fire();
    })();
    return this.loading;
  }

  async connection(projectId: string): Promise<Connection> {
    await this.loading;
    const project = this.snapshot.find((p) => p.id === projectId);
    if (!project) throw new Error('That Statsig project is no longer connected. Refresh the Statsig view.');
    const config = readConfig();
    const settings = JSON.stringify([config.requestTimeoutMs, config.pageSize, config.respectReviewSettings, project.label]);
    // Clients are dropped whenever the stored projects change (reload), so a cached one has the current key.
    const cached = this.clients.get(project.id);
    if (cached && cached.signature === settings) return cached.connection;
    const key = await this.store.key(project.baseUrl, project.id);
    if (!key) throw new Error(`The key of "${project.label}" is gone (signed out in another window?). Set the API key again.`);
    const client = new ConsoleClient({
      baseUrl: project.baseUrl,
      apiKey: key,
      timeoutMs: config.requestTimeoutMs,
      respectReviewSettings: config.respectReviewSettings,
      limiter: this.limiter(project),
      log: this.log,
      onWriteForbidden: () => this.markReadOnly(project.id),
    });
    const connection: Connection = { project, api: new SourcesApi(client, { pageSize: config.pageSize }) };
    this.clients.set(project.id, { signature: settings, connection });
    return connection;
  }

  /**
   * The project's unit ID types (GET /console/v1/unit_id_types), read once per session and project;
   * undefined when they cannot be read (then nothing is checked against them).
   */
  unitIdTypes(projectId: string): Promise<readonly string[] | undefined> {
    let pending = this.unitTypes.get(projectId);
    if (!pending) {
      pending = this.connection(projectId)
        .then(({ api }) => api.listUnitIdTypes())
        .then(({ types }) => types.map((t) => t.name), (error: unknown) => {
          this.unitTypes.delete(projectId); // try again next time
          this.log('info', `The unit ID types of project ${projectId} could not be read: ${errorMessage(error)}`);
          return undefined;
        });
      this.unitTypes.set(projectId, pending);
    }
    return pending;
  }

  /** True once Statsig refused a change or a dry run of this project's key with 403. */
  isReadOnly(projectId: string): boolean {
    return this.readOnlyIds.has(projectId);
  }

  private markReadOnly(projectId: string): void {
    if (this.readOnlyIds.has(projectId)) return;
    this.readOnlyIds.add(projectId);
    this.log('warn', `Statsig refused a change with 403: the key of project ${projectId} is treated as read-only until its key changes.`);
    this.accessChanged.fire(projectId);
  }

  private limiter(project: Project): MutationLimiter {
    const id = `${project.baseUrl}#${project.id}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new MutationLimiter();
      const l = limiter;
      this._register(l.onThrottle((waitMs) => {
        const current = this.snapshot.find((p) => p.id === project.id) ?? project;
        this.throttled.fire({ project: current, waitMs });
      }));
      this.limiters.set(id, l);
    }
    return limiter;
  }

  /**
   * The project a command acts on: the one named by its argument (a tree node), the only one, or
   * the one the user picks. Undefined when the user cancels or nothing is connected (after offering
   * to connect).
   */
  async pick(arg: unknown, placeHolder: string): Promise<Project | undefined> {
    const projects = await this.list();
    const id = projectIdOf(arg);
    if (id) {
      const found = projects.find((p) => p.id === id);
      if (found) return found;
    }
    if (projects.length === 1) return projects[0];
    if (projects.length === 0) {
      const choice = await this.prompts.info('No Statsig project is connected yet.', 'Set API Key');
      if (choice) await vscode.commands.executeCommand(Commands.setApiKey);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      projects.map((p) => ({ label: p.label, description: p.baseUrl, project: p })),
      { placeHolder, title: 'Statsig project' },
    );
    return picked?.project;
  }
}
