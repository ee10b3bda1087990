// Shared helpers for the integration tests (bundled into each test file that imports them).
import * as vscode from 'vscode';
import { PREFIX } from '../../src/constants.ts';

export const EXTENSION_ID = 'statsig-whn-tools.statsig-whn-sources';
export const COMMAND_PREFIX = `${PREFIX}.`;

/** What the launchers hand to the extension host (see scripts/vscode/workbench.mjs). */
export const testEnv = {
  apiUrl: process.env.STATSIG_WHN_TEST_API_URL,
  apiKey: process.env.STATSIG_WHN_TEST_API_KEY,
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
