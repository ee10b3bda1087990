// Connect, replace a key, rename and sign out. The key is asked for in a password box, checked with
// one cheap call (GET /console/v1/project, which also names the project) against the configured
// base URL, and only then stored in SecretStorage, under the Statsig project's id.
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { SourcesApi } from '../../core/api.ts';
import { refLabel } from '../../core/kinds.ts';
import { ConsoleClient, type Logger } from '../../core/client.ts';
import { AuthError, CancelledError, errorMessage, ForbiddenError } from '../../core/errors.ts';
import { plainText } from '../../core/plainText.ts';
import type { ProjectInfo } from '../../core/schemas/common.ts';
import { defaultLabel, labelProblem, type Project } from '../../core/projects.ts';
import { readConfig } from '../../platform/config.ts';
import { DIALECTS, SQL_DIALECTS } from '../../core/sql/dialects.ts';
import type { ProjectStore } from '../../platform/projectStore.ts';
import { parseSourceUri } from '../documents/uris.ts';
import { projectIdOf, type Connections } from '../projects/connections.ts';
import type { CommandFactory } from '../services.ts';

/** Local shape check of a key (the server has the last word). */
function keyShapeProblem(v: string): string | undefined {
  return v.trim().length === 0 ? 'Enter the key.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined;
}

/** What to say in the key box when the server check failed; the box stays open. */
function keyCheckProblem(error: unknown, baseUrl: string): string {
  if (error instanceof AuthError) return 'Statsig rejected this key (401); nothing was stored. Paste a Console API key of the project, or press Escape.';
  if (error instanceof ForbiddenError) return 'This key may not read the project (403); nothing was stored. Use a Console API key with read access.';
  const reason = errorMessage(error);
  return `The key could not be checked against ${baseUrl}: ${reason} Press Enter to try again.`;
}

/**
 * Asks for a key in a password box and checks it against the server (GET /console/v1/project)
 * before anything is stored. A rejected key keeps the box open with the reason as its validation
 * message, so the user can paste another one. Resolves with the key and its project, or undefined
 * when the user gives up (Escape). Never logs or echoes the key.
 */
function askAndCheckKey(title: string, baseUrl: string, log: Logger): Promise<{ key: string; project: ProjectInfo } | undefined> {
  const config = readConfig();
  const box = vscode.window.createInputBox();
  box.title = title;
  box.prompt = `Console API key for ${baseUrl} (Statsig console → Project Settings → Keys & Environments)`;
  box.placeholder = 'console-…';
  box.password = true;
  box.ignoreFocusOut = true;
  let checking: AbortController | undefined;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: { key: string; project: ProjectInfo } | undefined) => {
      if (settled) return;
      settled = true;
      checking?.abort();
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((v) => { box.validationMessage = v === '' ? undefined : keyShapeProblem(v); });
    box.onDidAccept(async () => {
      const key = box.value.trim();
      const shape = keyShapeProblem(key);
      if (shape) { box.validationMessage = shape; return; }
      if (checking) return;
      checking = new AbortController();
      box.busy = true;
      box.enabled = false;
      box.validationMessage = undefined;
      box.prompt = `Checking the key against ${baseUrl}…`;
      try {
        const api = new SourcesApi(new ConsoleClient({ baseUrl, apiKey: key, timeoutMs: config.requestTimeoutMs, log, retry: { limit: 1 } }));
        const project = await api.checkKey({ signal: checking.signal });
        finish({ key, project });
      } catch (error) {
        if (settled) return;
        if (!(error instanceof CancelledError)) log('info', `Key check failed: ${errorMessage(error)}`);
        box.validationMessage = plainText(keyCheckProblem(error, baseUrl), 500);
        box.prompt = `Console API key for ${baseUrl}`;
      } finally {
        checking = undefined;
        if (!settled) {
          box.busy = false;
          box.enabled = true;
        }
      }
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export const authCommands: CommandFactory<typeof Commands.setApiKey | typeof Commands.signOut | typeof Commands.renameProject | typeof Commands.setDialect> = ({ store, connections, log, prompts, drafts, validator }) => ({
  // Adds a project, or (with a project argument, e.g. the "Key rejected" node) replaces its key.
  [Commands.setApiKey]: async (arg?: unknown) => {
    const baseUrl = connections.baseUrl;
    const projects = await connections.list();
    const target: Project | undefined = projects.find((p) => p.id === projectIdOf(arg));
    const checked = await askAndCheckKey(target ? `Statsig: New API Key for "${target.label}"` : 'Statsig: Set Console API Key', baseUrl, log);
    if (!checked) return;
    const { key: apiKey, project: info } = checked;
    // The Statsig project decides: a key of a project that is connected already replaces its key
    // (its drafts stay attached); a key of another project never replaces this one's.
    if (target && info.id !== target.id) {
      void prompts.error(`That key belongs to another Statsig project (${info.id}), not to "${target.label}" (${target.id}). Nothing was stored.`);
      return;
    }
    const known = target ?? projects.find((p) => p.id === info.id);
    if (known) {
      const same = (await store.key(baseUrl, known.id)) === apiKey;
      if (same && !target) {
        void prompts.info(`This key is already connected as "${known.label}".`);
        return;
      }
      await store.add(baseUrl, known.id, known.label, apiKey);
      await connections.reload();
      log('info', `API key replaced for project "${known.label}" (${known.id}, ${baseUrl}).`);
      void prompts.info(`Connected to Statsig project "${known.label}" with the new key.`);
      return;
    }
    const label = await vscode.window.showInputBox({
      title: 'Statsig: Label for this project',
      prompt: `Statsig project ${info.id}. The label is shown in the Sources tree and the status bar. Press Enter to accept.`,
      value: defaultLabel(info.id, projects),
      ignoreFocusOut: true,
      validateInput: (v) => labelProblem(v, projects),
    });
    if (label === undefined) {
      void prompts.info('Nothing was stored: the label was cancelled.');
      return;
    }
    const project = await store.add(baseUrl, info.id, label.trim(), apiKey);
    await connections.reload();
    log('info', `API key stored for project "${project.label}" (${project.id}, ${baseUrl}).`);
    void prompts.info(`Connected to Statsig project "${project.label}" (${baseUrl}).`);
  },
  [Commands.signOut]: async (arg?: unknown) => {
    const project = await connections.pick(arg, 'Sign out of which project?');
    if (!project) return;
    // Drafts belong to the Statsig project, not to the key: they stay (listed under "Not
    // connected" with Connect…) and re-attach when any key of the project connects again.
    // Deleting them is an explicit, non-default choice.
    const mine = (await drafts.all()).map((dr) => vscode.Uri.parse(dr.uri)).filter((uri) => parseSourceUri(uri)?.projectId === project.id);
    if (mine.length > 0) {
      const names = mine.map((uri) => {
        const parsed = parseSourceUri(uri);
        return parsed ? refLabel(parsed.ref) : uri.toString();
      });
      const keep = 'Sign Out, Keep Drafts';
      const remove = 'Sign Out and Delete Drafts';
      const choice = await prompts.warning(
        `Sign out of "${project.label}"? ${mine.length} saved draft${mine.length === 1 ? ' was' : 's were'} never pushed: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}.`,
        { modal: true, detail: 'Kept drafts stay on this machine and come back when you connect this Statsig project again, with any of its keys.' },
        keep, remove,
      );
      if (choice !== keep && choice !== remove) return;
      if (choice === remove) {
        for (const uri of mine) await drafts.delete(uri);
        log('info', `Deleted ${mine.length} unpushed draft(s) of "${project.label}" on sign-out.`);
      }
    }
    await store.remove(project.baseUrl, project.id);
    await connections.reload();
    log('info', `API key removed for project "${project.label}" (${project.baseUrl}).`);
    void prompts.info(`Signed out of Statsig project "${project.label}" (${project.baseUrl}).`);
  },
  [Commands.renameProject]: async (arg?: unknown) => {
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
  },
  // Each Statsig project sits on one warehouse: its SQL is parsed (and formatted) in that dialect.
  [Commands.setDialect]: async (arg?: unknown) => {
    const project = await connections.pick(arg, 'Set the SQL dialect of which project?');
    if (!project) return;
    const setting = readConfig().sqlDialect;
    const current = connections.dialectOf(project.id);
    const items = [
      { label: `Follow the setting (${DIALECTS[setting].label})`, description: project.dialect ? undefined : 'current', dialect: undefined },
      ...SQL_DIALECTS.map((d) => ({ label: DIALECTS[d].label, description: project.dialect === d ? 'current' : undefined, dialect: d })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Statsig: SQL Dialect of "${project.label}"`,
      placeHolder: `The warehouse this project's sources run on (now ${DIALECTS[current].label})`,
    });
    if (!picked) return;
    await store.setDialect(project.baseUrl, project.id, picked.dialect);
    await connections.reload();
    log('info', `SQL dialect of "${project.label}": ${picked.dialect ?? `the setting's (${setting})`}.`);
    validator.recheckOpen(project.id);
  },
});

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
  // The key's project id, so a reload that lost the secrets re-attaches the demo's drafts.
  const api = new SourcesApi(new ConsoleClient({ baseUrl: connections.baseUrl, apiKey: key, log, retry: { limit: 2 } }));
  const info = await api.getProject();
  await store.add(connections.baseUrl, info.id, 'Emulator (demo)', key);
  await connections.reload();
  log('info', `Development host: stored the demo key from ${DEV_SEED_KEY_ENV} as "Emulator (demo)" (project ${info.id}) for ${connections.baseUrl}.`);
}
