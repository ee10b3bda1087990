// The questions commands ask (modal confirmations, warnings with buttons). Commands ask through
// this interface; the extension's integration tests swap in scripted answers, because a modal
// dialog cannot be clicked from inside the extension host (the e2e tests click the real ones).
import * as vscode from 'vscode';

export interface Prompts {
  warning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  info(message: string, ...items: string[]): Thenable<string | undefined>;
  error(message: string, ...items: string[]): Thenable<string | undefined>;
}

export const windowPrompts: Prompts = {
  warning: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
  info: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  error: (message, ...items) => vscode.window.showErrorMessage(message, ...items),
};

/** Delegates to VS Code's dialogs unless a test replaced them. */
export class SwitchablePrompts implements Prompts {
  current: Prompts = windowPrompts;
  warning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined> {
    return this.current.warning(message, options, ...items);
  }
  info(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.current.info(message, ...items);
  }
  error(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.current.error(message, ...items);
  }
}
