// SecretStorage access for connected projects (see src/core/projects.ts for the stored format).
// Writes are serialized so two quick changes in one window never lose each other.
import type * as vscode from 'vscode';
import type { SqlDialect } from '../core/sql/dialects.ts';
import { PREFIX } from '../constants.ts';
import {
  parseStoredProjects, serializeProjects, type Project, type StoredProject,
} from '../core/projects.ts';

export class ProjectStore {
  private readonly secrets: vscode.SecretStorage;
  private writes: Promise<unknown> = Promise.resolve();
  /** Every key read or written so far, so the log can mask them even if they are not key-shaped. */
  private readonly knownKeys = new Set<string>();
  private readonly onProblem: (message: string) => void;

  constructor(secrets: vscode.SecretStorage, onProblem: (message: string) => void) {
    this.secrets = secrets;
    this.onProblem = onProblem;
  }

  static secretId(baseUrl: string): string {
    return `${PREFIX}.apiKey:${baseUrl}`;
  }

  /** The keys this window has seen, for masking log lines. */
  secretsSeen(): readonly string[] {
    return [...this.knownKeys];
  }

  private async read(baseUrl: string): Promise<StoredProject[]> {
    const parsed = parseStoredProjects(await this.secrets.get(ProjectStore.secretId(baseUrl)));
    if (!parsed.ok) {
      this.onProblem(`The saved Statsig connection for ${baseUrl} could not be read (${parsed.reason}). Set the API key again.`);
      return [];
    }
    for (const p of parsed.projects) this.knownKeys.add(p.key);
    return parsed.projects;
  }

  private update<T>(baseUrl: string, change: (projects: StoredProject[]) => { projects: StoredProject[]; result: T }): Promise<T> {
    const next = this.writes.then(async () => {
      const { projects, result } = change(await this.read(baseUrl));
      const id = ProjectStore.secretId(baseUrl);
      if (projects.length === 0) await this.secrets.delete(id);
      else await this.secrets.store(id, serializeProjects(projects));
      for (const p of projects) this.knownKeys.add(p.key);
      return result;
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  async list(baseUrl: string): Promise<Project[]> {
    return (await this.read(baseUrl)).map((p) => ({ id: p.id, label: p.label, baseUrl, ...(p.dialect ? { dialect: p.dialect } : {}) }));
  }

  async key(baseUrl: string, projectId: string): Promise<string | undefined> {
    return (await this.read(baseUrl)).find((p) => p.id === projectId)?.key;
  }

  /**
   * Connects the Statsig project `id` with `key`. When it is connected already (another key, a
   * reconnect after sign-out or lost secrets), its key is replaced and its label kept, so its
   * drafts stay attached.
   */
  add(baseUrl: string, id: string, label: string, key: string): Promise<Project> {
    return this.update(baseUrl, (projects) => {
      const existing = projects.find((p) => p.id === id);
      if (existing) return { projects: projects.map((p) => (p.id === id ? { ...p, key } : p)), result: { id, label: existing.label, baseUrl } };
      return { projects: [...projects, { id, label, key }], result: { id, label, baseUrl } };
    });
  }

  rename(baseUrl: string, projectId: string, label: string): Promise<boolean> {
    return this.update(baseUrl, (projects) => {
      const found = projects.some((p) => p.id === projectId);
      return { projects: projects.map((p) => (p.id === projectId ? { ...p, label } : p)), result: found };
    });
  }

  /** The project's SQL dialect (undefined: follow the setting). */
  setDialect(baseUrl: string, projectId: string, dialect: SqlDialect | undefined): Promise<boolean> {
    return this.update(baseUrl, (projects) => {
      const found = projects.some((p) => p.id === projectId);
      const next = projects.map((p) => {
        if (p.id !== projectId) return p;
        const { dialect: _old, ...rest } = p;
        return dialect ? { ...rest, dialect } : rest;
      });
      return { projects: next, result: found };
    });
  }

  remove(baseUrl: string, projectId: string): Promise<boolean> {
    return this.update(baseUrl, (projects) => {
      const kept = projects.filter((p) => p.id !== projectId);
      return { projects: kept, result: kept.length !== projects.length };
    });
  }

  /** Fires with the base URL whose projects changed (in this window or another one). */
  onDidChange(listener: (baseUrl: string) => void): vscode.Disposable {
    const prefix = `${PREFIX}.apiKey:`;
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(prefix)) listener(e.key.slice(prefix.length));
    });
  }
}
