// Connect and sign out: the key is asked for in a password box, checked with one cheap list call,
// and stored in SecretStorage under the API base URL. A context key drives the welcome view.
import * as vscode from 'vscode';
import { Commands, ContextKeys, Settings } from '../../constants.ts';
import { SourcesApi } from '../../core/api.ts';
import { ConsoleClient, type Logger } from '../../core/client.ts';
import { AuthError } from '../../core/errors.ts';
import { readConfig } from '../../platform/config.ts';
import { registerCommand } from '../../platform/commands.ts';
import type { KeyStore } from '../../platform/secrets.ts';

export function registerAuth(keys: KeyStore, log: Logger): vscode.Disposable[] {
  const refreshContext = async () => {
    const { apiBaseUrl } = readConfig();
    await vscode.commands.executeCommand('setContext', ContextKeys.hasApiKey, Boolean(await keys.get(apiBaseUrl)));
  };
  void refreshContext();

  return [
    registerCommand(Commands.setApiKey, log, async () => {
      const config = readConfig();
      const key = await vscode.window.showInputBox({
        title: 'Statsig: Set Console API Key',
        prompt: `Console API key for ${config.apiBaseUrl} (Statsig console → Project Settings → Keys & Environments)`,
        placeHolder: 'console-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim().length === 0 ? 'Enter the key.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
      });
      if (key === undefined) return;
      const apiKey = key.trim();
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Checking the key against ${config.apiBaseUrl}…`, cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const api = new SourcesApi(new ConsoleClient({ baseUrl: config.apiBaseUrl, apiKey, timeoutMs: config.requestTimeoutMs, log, retry: { limit: 1 } }));
          try {
            await api.checkKey({ signal: abort.signal });
          } catch (error) {
            if (error instanceof AuthError) throw new AuthError(error.request, 'Statsig rejected this key; nothing was stored');
            throw error;
          }
        },
      );
      await keys.set(config.apiBaseUrl, apiKey);
      log('info', `API key stored for ${config.apiBaseUrl}.`);
      await refreshContext();
      void vscode.window.showInformationMessage(`Connected to Statsig (${config.apiBaseUrl}).`);
    }),
    registerCommand(Commands.signOut, log, async () => {
      const { apiBaseUrl } = readConfig();
      await keys.delete(apiBaseUrl);
      log('info', `API key removed for ${apiBaseUrl}.`);
      await refreshContext();
      void vscode.window.showInformationMessage(`Signed out of Statsig (${apiBaseUrl}).`);
    }),
    // A sign-in or sign-out in another window, or a change of base URL, updates this one.
    keys.onDidChange(() => void refreshContext()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.apiBaseUrl}`)) void refreshContext();
    }),
  ];
}
