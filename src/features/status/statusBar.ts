// One status bar item: which project(s) and base URL are connected, and when mutations are being
// held back by the client's rate limiter so a user knows why a push or a dry run is waiting.
import * as vscode from 'vscode';
import { Commands, Views } from '../../constants.ts';
import { plainText } from '../../core/plainText.ts';
import { statusText } from '../../shared/statusText.ts';
import type { Feature } from '../services.ts';

export const registerStatusBar: Feature = ({ connections }) => {
  const item = vscode.window.createStatusBarItem('statsigWhn.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Statsig connection';
  const throttled = new Map<string, number>();
  const render = () => {
    const projects = connections.current;
    const wait = Math.max(0, ...throttled.values());
    item.text = statusText(projects.map((p) => `${plainText(p.label, 80)}${connections.isReadOnly(p.id) ? ' (read-only)' : ''}`), wait);
    item.backgroundColor = wait > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, false);
    if (projects.length === 0) {
      md.appendText(`No Statsig project connected to ${connections.baseUrl}. Click to set an API key.`);
      item.command = Commands.setApiKey;
    } else {
      md.appendText(`Statsig Console API: ${connections.baseUrl}`);
      for (const p of projects) {
        md.appendMarkdown('\n- ');
        md.appendText(p.label);
      }
      if (wait > 0) {
        md.appendMarkdown('\n\n');
        md.appendText(`Changes are queued for ${Math.ceil(wait / 1000)} s to stay under Statsig's rate limit.`);
      }
      item.command = { command: `${Views.sources}.focus`, title: 'Show Statsig sources' };
    }
    item.tooltip = md;
    item.show();
  };
  render();
  return vscode.Disposable.from(
    item,
    connections.onDidChange(render),
    connections.onDidChangeAccess(render),
    connections.onDidThrottle(({ project, waitMs }) => {
      if (waitMs > 0) throttled.set(project.id, waitMs);
      else throttled.delete(project.id);
      render();
    }),
  );
};
