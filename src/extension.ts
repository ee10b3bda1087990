// Composition root: build the services, register the features, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants.ts';
import { registerAuth } from './features/auth/auth.ts';
import { channelLogger } from './platform/logger.ts';
import { KeyStore } from './platform/secrets.ts';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  // Keys are masked by shape (console-…) in every line; no network and no secret read here.
  const log = channelLogger(channel, () => []);
  const keys = new KeyStore(context.secrets);
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand(Commands.showLog, () => channel.show()),
    ...registerAuth(keys, log),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
