// Connect, replace a key, rename and sign out. The key is asked for in a password box, checked with
// one cheap list call against the configured base URL, and only then stored in SecretStorage.
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { SourcesApi, refLabel } from '../../core/api.ts';
import { ConsoleClient, type Logger } from '../../core/client.ts';
import { AuthError } from '../../core/errors.ts';
import { labelProblem, suggestLabel, type Project } from '../../core/projects.ts';
import { readConfig } from '../../platform/config.ts';
import { registerCommand } from '../../platform/commands.ts';
import type { ProjectStore } from '../../platform/projectStore.ts';
import type { Prompts } from '../../platform/prompts.ts';
import type { DraftStore } from '../documents/drafts.ts';
import { parseSourceUri } from '../documents/uris.ts';
import { projectIdOf, type Connections } from '../projects/connections.ts';
import { showInformation, withProgress } from '../../platform/notify.ts';

function askKey(title: string, baseUrl: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: `Console API key for ${baseUrl} (Statsig console → Project Settings → Keys & Environments)`,
    placeHolder: 'console-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length === 0 ? 'Enter the key.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
  });
}

async function checkKey(baseUrl: string, apiKey: string, log: Logger): Promise<void> {
  const config = readConfig();
  await withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the key against ${baseUrl}…`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const api = new SourcesApi(new ConsoleClient({ baseUrl, apiKey, timeoutMs: config.requestTimeoutMs, log, retry: { limit: 1 } }));
      try {
        await api.checkKey({ signal: abort.signal });
      } catch (error) {
        if (error instanceof AuthError) throw new AuthError(error.request, 'Statsig rejected this key; nothing was stored. Check that it is a Console API key of this project.');
        throw error;
      }
    },
  );
}

export function registerAuth(store: ProjectStore, connections: Connections, log: Logger, prompts: Prompts, drafts: DraftStore): vscode.Disposable[] {
  return [
    // Adds a project, or (with a project argument, e.g. the "Key rejected" node) replaces its key.
    registerCommand(Commands.setApiKey, log, async (arg?: unknown) => {
      const baseUrl = connections.baseUrl;
      const projects = await connections.list();
      const target: Project | undefined = projects.find((p) => p.id === projectIdOf(arg));
      const key = await askKey(target ? `Statsig: New API Key for "${target.label}"` : 'Statsig: Set Console API Key', baseUrl);
      if (key === undefined) return;
      const apiKey = key.trim();
      const existing = await store.findByKey(baseUrl, apiKey);
      if (existing && existing.id !== target?.id) {
        void showInformation(`This key is already connected as "${existing.label}".`);
        return;
      }
      await checkKey(baseUrl, apiKey, log);
      if (target) {
        await store.replaceKey(baseUrl, target.id, apiKey);
        await connections.reload();
        log('info', `API key replaced for project "${target.label}" (${baseUrl}).`);
        void showInformation(`Connected to Statsig project "${target.label}" with the new key.`);
        return;
      }
      const label = await vscode.window.showInputBox({
        title: 'Statsig: Label for this project',
        prompt: 'Shown in the Sources tree and the status bar. Press Enter to accept.',
        value: suggestLabel(projects),
        ignoreFocusOut: true,
        validateInput: (v) => labelProblem(v, projects),
      });
      if (label === undefined) {
        void showInformation('Nothing was stored: the label was cancelled.');
        return;
      }
      const project = await store.add(baseUrl, label.trim(), apiKey);
      await connections.reload();
      log('info', `API key stored for project "${project.label}" (${baseUrl}).`);
      void showInformation(`Connected to Statsig project "${project.label}" (${baseUrl}).`);
    }),
    registerCommand(Commands.signOut, log, async (arg?: unknown) => {
      const project = await connections.pick(arg, 'Sign out of which project?');
      if (!project) return;
      // Drafts belong to the project's connection: a later key connects as a new project, so they
      // would be stranded. Say so, and let the user push them first.
      const mine = (await drafts.all()).map((dr) => vscode.Uri.parse(dr.uri)).filter((uri) => uri.authority === project.id);
      if (mine.length > 0) {
        const names = mine.map((uri) => {
          const parsed = parseSourceUri(uri);
          return parsed ? refLabel(parsed.ref) : uri.toString();
        });
        const sure = 'Sign Out and Delete Drafts';
        const choice = await prompts.warning(
          `Sign out of "${project.label}"? ${mine.length} saved draft${mine.length === 1 ? ' was' : 's were'} never pushed: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}.`,
          { modal: true, detail: 'Signing out deletes them (a key set later connects as a new project). Cancel and push them first to keep them.' },
          sure,
        );
        if (choice !== sure) return;
        for (const uri of mine) await drafts.delete(uri);
        log('info', `Deleted ${mine.length} unpushed draft(s) of "${project.label}" on sign-out.`);
      }
      await store.remove(project.baseUrl, project.id);
      await connections.reload();
      log('info', `API key removed for project "${project.label}" (${project.baseUrl}).`);
      void showInformation(`Signed out of Statsig project "${project.label}" (${project.baseUrl}).`);
    }),
    registerCommand(Commands.renameProject, log, async (arg?: unknown) => {
      const project = await connections.pick(arg, 'Rename which project?');
      if (!project) return;
      const projects = await connections.list();
      const label = await vscode.window.showInputBox({
        title: `Statsig: Rename "${project.label}"`,
        value: project.label,
        validateInput: (v) => labelProblem(v, projects, project.id),
      });
      if (label === undefined || label.trim() === project.label) return;
      await store.rename(project.baseUrl, project.id, label.trim());
      await connections.reload();
    }),
  ];
}

/** Set only by `npm run demo` (scripts/vscode/demo.mjs) so the demo opens already connected. */
export const DEV_SEED_KEY_ENV = 'STATSIG_WHN_DEV_SEED_KEY';

/**
 * In an Extension Development Host only: when the demo launcher hands over the emulator's key and
 * no project is connected yet, store it as "Emulator (demo)". A packaged install never reads it.
 */
export async function seedDevelopmentKey(mode: vscode.ExtensionMode, store: ProjectStore, connections: Connections, log: Logger): Promise<void> {
  const key = process.env[DEV_SEED_KEY_ENV]?.trim();
  if (mode !== vscode.ExtensionMode.Development || !key) return;
  const projects = await connections.list();
  if (projects.length > 0) return;
  await store.add(connections.baseUrl, 'Emulator (demo)', key);
  await connections.reload();
  log('info', `Development host: stored the demo key from ${DEV_SEED_KEY_ENV} as "Emulator (demo)" for ${connections.baseUrl}.`);
}
