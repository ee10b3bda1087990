// Shared helpers for the integration tests (bundled into each test file that imports them).
import * as vscode from 'vscode';
import { PREFIX } from '../../src/constants.ts';
import type { TestingExports } from '../../src/extension.ts';
import type { TestingApi } from '../../src/main.ts';
import type { Faults } from '../emulator/server.ts';

export const EXTENSION_ID = 'statsig-whn-tools.statsig-whn-sources';
export const COMMAND_PREFIX = `${PREFIX}.`;

/** What the launchers hand to the extension host (see scripts/vscode/workbench.mjs). */
export const testEnv = {
  apiUrl: process.env.STATSIG_WHN_TEST_API_URL,
  apiKey: process.env.STATSIG_WHN_TEST_API_KEY,
  controlToken: process.env.STATSIG_WHN_TEST_CONTROL_TOKEN,
};

export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`Extension ${EXTENSION_ID} is not loaded (non-builtin extensions: ${ids.join(', ') || 'none'})`);
  }
  return extension;
}

/** Activates the extension explicitly; rejects with activate()'s error if activation throws. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = getExtension();
  await extension.activate();
  return extension;
}

/** The extension's testing API (activate() exposes it in ExtensionMode.Test only), once the implementation has loaded. */
export async function testingApi(): Promise<TestingApi> {
  const extension = await activateExtension();
  const exports = extension.exports as TestingExports | undefined;
  if (!exports?.testing) throw new Error('activate() did not return the testing API (is the extension host in Test mode?)');
  return exports.testing();
}

/** The command ids in the loaded extension's package.json `contributes.commands`. */
export function manifestCommandIds(extension: vscode.Extension<unknown> = getExtension()): string[] {
  const manifest: unknown = extension.packageJSON;
  const commands: unknown = (manifest as { contributes?: { commands?: unknown } }).contributes?.commands ?? [];
  if (!Array.isArray(commands)) throw new Error('package.json contributes.commands is not an array');
  return commands.map((entry: unknown) => {
    const id: unknown = (entry as { command?: unknown } | null)?.command;
    if (typeof id !== 'string') throw new Error(`package.json command entry without a string id: ${JSON.stringify(entry)}`);
    return id;
  });
}

/** The view ids in package.json `contributes.views` (every container). */
export function manifestViewIds(extension: vscode.Extension<unknown> = getExtension()): string[] {
  const views = (extension.packageJSON as { contributes?: { views?: Record<string, { id: string }[]> } }).contributes?.views ?? {};
  return Object.values(views).flat().map((v) => v.id);
}

const NO_FAULTS: Faults = {
  latencyMs: 0, errorRate: 0, dropRate: 0, failNext: null, dropNext: 0, force429: 0, faultMethods: null, lieNextPage: false, omitTotalItems: false,
};

async function control(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.url()}/__emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'x-emulator-token': testEnv.controlToken ?? '' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The Statsig project id a key belongs to (GET /console/v1/project), as Set API Key reads it. */
export async function projectIdOfKey(key = testEnv.apiKey ?? ''): Promise<string> {
  const response = await fetch(`${emulator.url()}/console/v1/project`, { headers: { 'STATSIG-API-KEY': key }, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { data?: { id?: unknown } };
  if (typeof body.data?.id !== 'string') throw new Error(`GET /console/v1/project answered ${response.status}: ${JSON.stringify(body)}`);
  return body.data.id;
}

/** The emulator the launcher started for this run (loopback only), through its control endpoint. */
export const emulator = {
  url(): string {
    if (!testEnv.apiUrl) throw new Error('STATSIG_WHN_TEST_API_URL is not set in the extension host');
    return testEnv.apiUrl;
  },
  reset: (seed = 'default') => control('reset', { seed }),
  /** A key of another Statsig project `id` (added to the emulator once, seed default); `readOnly`: its read-only key. */
  async projectKey(id: string, { readOnly = false }: { readOnly?: boolean } = {}): Promise<string> {
    const key = `console-fake-${id}`;
    const known = (await control('projects')) as { id: string }[];
    if (!known.some((p) => p.id === id)) await control('projects', { id, key, readOnlyKey: `${key}-ro` });
    return readOnly ? `${key}-ro` : key;
  },
  setFaults: (faults: Partial<Faults>) => control('faults', faults),
  /** Requests and mutations (POST, PATCH, DELETE: dry runs included) the emulator has served since its last reset. */
  stats: async () => (await control('stats')) as { requests: number; mutations: number },
  clearFaults: () => control('faults', NO_FAULTS),
  /** `pagination.totalItems` of a list endpoint, read straight from the emulator. */
  async countOf(path: string): Promise<number> {
    const response = await fetch(`${emulator.url()}${path}?page=1&limit=1`, {
      headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { pagination?: { totalItems?: number } };
    if (typeof body.pagination?.totalItems !== 'number') throw new Error(`no totalItems from ${path}: ${JSON.stringify(body)}`);
    return body.pagination.totalItems;
  },
};

// ---------------------------------------------------------------- suites on one connected project

/** Every question answered with nothing (Escape), so no test waits on a dialog it did not expect. */
export const silentPrompts = {
  warning: () => Promise.resolve(undefined),
  info: () => Promise.resolve(undefined),
  error: () => Promise.resolve(undefined),
};

/** Forgets every stored project and connects only the emulator's, as "Emulator"; its project id. */
export async function connectEmulatorOnly(api: TestingApi): Promise<string> {
  for (const p of await api.store.list(api.connections.baseUrl)) await api.store.remove(p.baseUrl, p.id);
  const { id } = await api.store.add(api.connections.baseUrl, await projectIdOfKey(), 'Emulator', testEnv.apiKey ?? '');
  await api.connections.reload();
  return id;
}

export async function disconnect(api: TestingApi, projectId: string): Promise<void> {
  await api.store.remove(api.connections.baseUrl, projectId);
  await api.connections.reload();
}

/** Closes every editor (the active one reverted first, so nothing asks to save) and drops every draft. */
export async function closeEditorsAndDrafts(api: TestingApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const d of await api.drafts.all()) await api.drafts.delete(vscode.Uri.parse(d.uri));
}

/** Polls `probe` until it gives a value (every `everyMs`, at most `tries` times); fails naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false, { tries = 100, everyMs = 50 } = {}): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
