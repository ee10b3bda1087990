// The one error boundary every command runs through: cancellations stay silent, auth errors offer
// "Set API Key", details go to the log, a short sentence goes to the toast.
import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import { apiErrorIn, errorMessage, isCancellation } from '../core/errors.ts';
import type { Logger } from '../core/client.ts';
import { showError } from './notify.ts';

export type CommandRegistrar = (id: string, run: (...args: unknown[]) => unknown) => vscode.Disposable;

let registrar: CommandRegistrar = (id, run) => vscode.commands.registerCommand(id, run);

/**
 * The loader (src/extension.ts) registers every command id at activation and routes calls to the
 * handlers the implementation registers here once it is loaded.
 */
export function routeCommandsThrough(r: CommandRegistrar): void {
  registrar = r;
}

export function registerCommand(id: string, log: Logger, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return registrar(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError || isCancellation(error)) return undefined;
      const message = errorMessage(error);
      log('error', `${id}: ${error instanceof Error && error.stack ? error.stack : message}`);
      // Follow `cause`: a 401 inside a wrapped failure (a push, say) still offers Set API Key.
      if (apiErrorIn(error)?.kind === 'auth') {
        const choice = await showError(message, 'Set API Key');
        if (choice) await vscode.commands.executeCommand(Commands.setApiKey);
      } else {
        void showError(message, 'Show Log').then((c) => c && vscode.commands.executeCommand(Commands.showLog));
      }
      return undefined;
    }
  });
}
