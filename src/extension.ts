// Composition root: build the services, register the features, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants.ts';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
