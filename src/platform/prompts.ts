// Every message to the user and every question (modal confirmations, warnings with buttons, the
// command boundary's errors) goes through this interface; the extension's integration tests swap
// in scripted answers, because a modal dialog cannot be clicked from inside the extension host
// (the e2e tests click the real ones).
import type * as vscode from 'vscode';
import { askModal, showError, showInformation, showPick, showWarning } from './notify.ts';

/** One choice of a quick pick: `label` is what is returned; the rest is shown next to it. */
export interface PickItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
}

export interface Prompts {
  warning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  info(message: string, ...items: string[]): Thenable<string | undefined>;
  error(message: string, ...items: string[]): Thenable<string | undefined>;
  /** A quick pick; the label picked, or undefined on Escape. Prompts without it answer Escape. */
  pick?(items: readonly PickItem[], options: { readonly title: string; readonly placeHolder?: string }): Thenable<string | undefined>;
}

/** A modal question's first button is Cancel, so Enter never confirms a push, delete or sign-out. */
export const windowPrompts: Prompts = {
  warning: (message, options, ...items) => (options.modal ? askModal(message, options.detail ?? '', 'Cancel', ...items) : showWarning(message, options, ...items)),
  info: (message, ...items) => showInformation(message, ...items),
  error: (message, ...items) => showError(message, ...items),
  pick: (items, options) => showPick(items, options),
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
  pick(items: readonly PickItem[], options: { readonly title: string; readonly placeHolder?: string }): Thenable<string | undefined> {
    return this.current.pick ? this.current.pick(items, options) : Promise.resolve(undefined);
  }
}
