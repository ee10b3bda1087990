// Quick picks that can be followed: every quick pick of Show Push History and Go to Source is
// created here, and the one on screen is `current`, so the extension's integration tests can read
// its items and answer it with VS Code's own commands (the e2e tests click the real one).
import * as vscode from 'vscode';
import { Disposable } from './lifecycle.ts';

export interface PickOptions {
  readonly title: string;
  readonly placeholder?: string;
  readonly matchOnDescription?: boolean;
  readonly matchOnDetail?: boolean;
  /**
   * Stays open when the focus moves (a step of a multi-step flow): a source editor that regains the
   * focus once its webview has loaded (after a push, say) would otherwise close it under the user's
   * hand. Escape still closes it.
   */
  readonly ignoreFocusOut?: boolean;
}

export class QuickPicks extends Disposable {
  private shown: vscode.QuickPick<vscode.QuickPickItem> | undefined;
  private readonly opened = this._register(new vscode.EventEmitter<vscode.QuickPick<vscode.QuickPickItem>>());
  /** A quick pick was shown. */
  readonly onDidShow = this.opened.event;

  /** The quick pick on screen now, if one of ours is. */
  get current(): vscode.QuickPick<vscode.QuickPickItem> | undefined {
    return this.shown;
  }

  /** A new quick pick (shown with `show`, which follows it until it is hidden). */
  create<T extends vscode.QuickPickItem>(options: PickOptions): vscode.QuickPick<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    if (options.placeholder) pick.placeholder = options.placeholder;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.matchOnDetail = options.matchOnDetail ?? false;
    pick.ignoreFocusOut = options.ignoreFocusOut ?? false;
    return pick;
  }

  show<T extends vscode.QuickPickItem>(pick: vscode.QuickPick<T>): void {
    const followed = pick as unknown as vscode.QuickPick<vscode.QuickPickItem>;
    this.shown = followed;
    pick.onDidHide(() => {
      if (this.shown === followed) this.shown = undefined;
    });
    pick.show();
    this.opened.fire(followed);
  }

  /** Closes a pick for good once it has been answered (its onDidHide may come late, or not at all after an accept). */
  done<T extends vscode.QuickPickItem>(pick: vscode.QuickPick<T>): void {
    if (this.shown === (pick as unknown as vscode.QuickPick<vscode.QuickPickItem>)) this.shown = undefined;
    pick.dispose();
  }

  /** One item of a fixed list; undefined when the pick is dismissed. */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    const pick = this.create<T>(options);
    pick.items = items;
    return new Promise<T | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0] ?? pick.activeItems[0]);
        this.done(pick);
      });
      pick.onDidHide(() => {
        resolve(undefined);
        this.done(pick);
      });
      this.show(pick);
    });
  }
}
