// The only way text reaches a notification, a progress title or a status-bar message: everything
// passes through `plainText` (src/core/plainText.ts), because server text (names, messages, errors)
// could otherwise become a clickable `command:` link or an icon. Lint forbids calling
// `vscode.window.show*Message`, `withProgress` and `setStatusBarMessage` anywhere else.
import * as vscode from 'vscode';
import { maskSecrets } from '../core/mask.ts';
import { plainText as defuse } from '../core/plainText.ts';

/** Masked (anything key-shaped) and defused. */
function plainText(text: string, maxChars?: number): string {
  return defuse(maskSecrets(text), maxChars);
}

function items(list: readonly string[]): string[] {
  return list.map((i) => plainText(i));
}

function options(o: vscode.MessageOptions): vscode.MessageOptions {
  return o.detail === undefined ? o : { ...o, detail: plainText(o.detail, 8_000) };
}

export function showInformation(message: string, ...choices: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(plainText(message), ...items(choices));
}

export function showWarning(message: string, opts: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(plainText(message), options(opts), ...items(choices));
}

/**
 * A modal question whose first button is a safe choice (Cancel, Keep…): VS Code makes the first
 * button the default one (Enter), so a destructive choice is never a single keypress away.
 */
export async function askModal(message: string, detail: string, safe: string, ...choices: string[]): Promise<string | undefined> {
  const picked = await vscode.window.showWarningMessage<vscode.MessageItem>(
    plainText(message),
    { modal: true, detail: plainText(detail, 8_000) },
    { title: plainText(safe), isCloseAffordance: safe === 'Cancel' },
    ...choices.map((title) => ({ title: plainText(title) })),
  );
  if (!picked) return undefined;
  const index = [safe, ...choices].map((t) => plainText(t)).indexOf(picked.title);
  // Cancel answers like Escape (undefined), as VS Code's own Cancel button does.
  if (index < 0 || (index === 0 && safe === 'Cancel')) return undefined;
  return [safe, ...choices][index];
}

export function showError(message: string, ...choices: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(plainText(message), ...items(choices));
}

/**
 * A quick pick whose texts may come from the network (a field's value): its labels would turn
 * `$(name)` into an icon, so every text is defused. The label picked, as given, or undefined.
 */
export async function showPick(
  choices: readonly { readonly label: string; readonly description?: string; readonly detail?: string }[],
  opts: { readonly title: string; readonly placeHolder?: string },
): Promise<string | undefined> {
  const shown = choices.map((c, index) => ({
    label: plainText(c.label, 200), index,
    ...(c.description !== undefined ? { description: plainText(c.description, 200) } : {}),
    ...(c.detail !== undefined ? { detail: plainText(c.detail, 500) } : {}),
  }));
  const picked = await vscode.window.showQuickPick(shown, {
    title: plainText(opts.title, 200), ignoreFocusOut: true, matchOnDescription: true,
    ...(opts.placeHolder !== undefined ? { placeHolder: plainText(opts.placeHolder, 200) } : {}),
  });
  return picked ? choices[picked.index]?.label : undefined;
}

export function withProgress<R>(
  opts: vscode.ProgressOptions,
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress({ ...opts, ...(opts.title !== undefined ? { title: plainText(opts.title, 200) } : {}) }, (progress, token) => task({
    report: (value) => progress.report(value.message === undefined ? value : { ...value, message: plainText(value.message, 200) }),
  }, token));
}

/** `icon` is ours (a codicon name); `text` is escaped. */
export function statusBarMessage(text: string, hideAfterMs: number, icon?: string): vscode.Disposable {
  return vscode.window.setStatusBarMessage(`${icon ? `$(${icon}) ` : ''}${plainText(text, 200)}`, hideAfterMs);
}
