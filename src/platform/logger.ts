// One LogOutputChannel for the extension; every line passes through the key mask.
import type * as vscode from 'vscode';
import type { LogLevel, Logger } from '../core/client.ts';
import { maskSecrets } from '../core/mask.ts';

export function channelLogger(channel: vscode.LogOutputChannel, secrets: () => readonly string[]): Logger {
  return (level: LogLevel, message: string) => {
    const text = maskSecrets(message, secrets());
    switch (level) {
      case 'trace': channel.trace(text); break;
      case 'debug': channel.debug(text); break;
      case 'info': channel.info(text); break;
      case 'warn': channel.warn(text); break;
      case 'error': channel.error(text); break;
    }
  };
}
