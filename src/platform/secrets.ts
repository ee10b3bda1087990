// The Console API key lives in SecretStorage and nowhere else, one entry per API base URL.
import type * as vscode from 'vscode';
import { PREFIX } from '../constants.ts';

export class KeyStore {
  private readonly secrets: vscode.SecretStorage;

  constructor(secrets: vscode.SecretStorage) {
    this.secrets = secrets;
  }

  static secretId(baseUrl: string): string {
    return `${PREFIX}.apiKey:${baseUrl}`;
  }

  get(baseUrl: string): Thenable<string | undefined> {
    return this.secrets.get(KeyStore.secretId(baseUrl));
  }

  set(baseUrl: string, key: string): Thenable<void> {
    return this.secrets.store(KeyStore.secretId(baseUrl), key);
  }

  delete(baseUrl: string): Thenable<void> {
    return this.secrets.delete(KeyStore.secretId(baseUrl));
  }

  /** Fires with the base URL whose key changed (in this window or another one). */
  onDidChange(listener: (baseUrl: string) => void): vscode.Disposable {
    const prefix = `${PREFIX}.apiKey:`;
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(prefix)) listener(e.key.slice(prefix.length));
    });
  }
}
