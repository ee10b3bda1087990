// The one error boundary every command runs through: cancellations stay silent, auth errors offer
// "Set API Key", details go to the log, a short sentence goes to the toast (through the Prompts
// seam, like every message to the user).
import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import type { Handler } from '../contributions.ts';
import { apiErrorIn, errorMessage, isCancellation } from '../core/errors.ts';
import type { Logger } from '../core/client.ts';
import type { Prompts } from './prompts.ts';

export function guarded(id: string, handler: Handler, { log, prompts }: { readonly log: Logger; readonly prompts: Prompts }): Handler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError || isCancellation(error)) return undefined;
      const message = errorMessage(error);
      log('error', `${id}: ${error instanceof Error && error.stack ? error.stack : message}`);
      // Follow `cause`: a 401 inside a wrapped failure (a push, say) still offers Set API Key.
      if (apiErrorIn(error)?.kind === 'auth') {
        const choice = await prompts.error(message, 'Set API Key');
        if (choice) await vscode.commands.executeCommand(Commands.setApiKey);
      } else {
        void Promise.resolve(prompts.error(message, 'Show Log')).then((c) => c && vscode.commands.executeCommand(Commands.showLog));
      }
      return undefined;
    }
  };
}
