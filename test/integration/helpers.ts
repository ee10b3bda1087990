// Shared helpers for the integration tests (bundled into each test file that imports them).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, PREFIX } from '../../src/constants.ts';
import type { Prompts } from '../../src/platform/prompts.ts';
import type { TestingExports } from '../../src/extension.ts';
import type { TestingApi } from '../../src/main.ts';
import type { Faults, Stats } from '../emulator/server.ts';

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
  clearFaults: () => control('faults', NO_FAULTS),
  /** Requests the emulator answered since its last reset (by route; mutations: dry runs and refused ones included), and the most in flight at once. */
  stats: () => control('stats') as Promise<Stats>,
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

/** Closes every editor (the active one reverted first, so nothing asks to save) and drops every draft (its documents follow). */
export async function closeEditorsAndDrafts(api: TestingApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const d of await api.drafts.all()) {
    const uri = vscode.Uri.parse(d.uri);
    await api.drafts.delete(uri);
    // A document still in memory (closed editors keep it a while) shows Statsig's version again,
    // as after Discard, so the next suite does not read this one's draft.
    api.state.forget(uri);
    api.fs.notifyChanged(uri);
  }
}

/** Polls `probe` until it gives a value (every `everyMs`, at most `tries` times); fails naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false, { tries = 100, everyMs = 50 } = {}): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = probe();
    // A promise is always truthy: an async probe would pass at once without ever being checked.
    if (value instanceof Promise) throw new Error(`until(${what}): the probe returned a promise; await it in a loop instead`);
    if (value) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---------------------------------------------------------------- questions, sources, the emulator's state

export interface Asked { kind: 'warning' | 'info' | 'error'; message: string; detail: string | undefined; modal: boolean; items: string[] }

/** The notification a push shows while its diff is read (Push… / Create… here or in the diff's title bar, or Cancel). */
export const isReview = (q: Asked) => !q.modal && q.message.startsWith('Read the diff of');

/**
 * Answers every question with `answer(asked)` and records it. The push diff's notification is
 * answered apart (`review`): 'go' (its Push… / Create…, the default: the user read the diff), 'cancel',
 * or 'wait' (no answer: the test clicks the diff's title bar or closes the diff).
 */
export function scriptPrompts(api: TestingApi, answer: (q: Asked) => string | undefined | Promise<string | undefined> = () => undefined, review: 'go' | 'cancel' | 'wait' = 'go'): Asked[] {
  const asked: Asked[] = [];
  const respond = (q: Asked) => {
    asked.push(q);
    if (isReview(q)) return review === 'wait' ? new Promise<undefined>(() => undefined) : Promise.resolve(review === 'go' ? q.items[0] : 'Cancel');
    return Promise.resolve(answer(q));
  };
  const prompts: Prompts = {
    warning: (message, options, ...items) => respond({ kind: 'warning', message, detail: options.detail, modal: options.modal === true, items }),
    info: (message, ...items) => respond({ kind: 'info', message, detail: undefined, modal: false, items }),
    error: (message, ...items) => respond({ kind: 'error', message, detail: undefined, modal: false, items }),
  };
  api.prompts.current = prompts;
  return asked;
}

/** The document of a named source of `projectId`. */
export function sourceUriIn(projectId: string, kind: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/${kind}/${encodeURIComponent(name)}.json` });
}

/** A source as the emulator has it now (`path`: its Console API path). */
export async function remote(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url()}${path}`, { headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '' } });
  const body = (await response.json()) as { data: Record<string, unknown> };
  return body.data;
}

/** A change made on Statsig by someone else (straight to the emulator). */
export async function behindTheBack(method: 'PATCH' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${emulator.url()}${path}`, {
    method, headers: { 'STATSIG-API-KEY': testEnv.apiKey ?? '', 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.ok, `emulator ${method} ${path}: ${response.status}`);
}

/** A source as a full update sends it back: without `owner` (the server sets it). */
export function withoutOwner(data: Record<string, unknown>): Record<string, unknown> {
  const { owner: _owner, ...rest } = data;
  return rest;
}

export async function openSource(uri: vscode.Uri): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand(Commands.open, uri);
  return vscode.workspace.openTextDocument(uri);
}

/** Replaces the whole text, saves (which validates), and waits for the validation to finish. */
export async function saveDocumentWith(api: TestingApi, doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'save failed');
  await api.validator.settled(doc.uri);
}
