// The report documents of Validate All and Push All (`statsig-report:`), read-only, one per project:
// a later run of either command replaces it; the document reopens with its latest text.
import * as vscode from 'vscode';
import { REPORT_SCHEME } from '../../constants.ts';
import { projectAuthority } from '../../core/projects.ts';

export class BatchReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'No report yet in this window: run Validate All Drafts or Push All Drafts… first.\n';
  }

  /** The report's document of a project (its name shows the project's label). */
  uriOf(project: { readonly id: string; readonly label: string }): vscode.Uri {
    const name = `Statsig report — ${project.label}`.replace(/[/\\]/g, '∕');
    return vscode.Uri.from({ scheme: REPORT_SCHEME, authority: projectAuthority(project.id), path: `/${name}.txt` });
  }

  set(project: { readonly id: string; readonly label: string }, text: string): vscode.Uri {
    const uri = this.uriOf(project);
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  has(project: { readonly id: string; readonly label: string }): boolean {
    return this.texts.has(this.uriOf(project).toString());
  }

  async show(uri: vscode.Uri): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
