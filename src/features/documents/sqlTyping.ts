// A `.sql` view is checked as it is typed: a pause of 400 ms after the last change, its SQL is parsed
// in the project's dialect and the problems (syntax on the exact token, unknown macros) replace the
// view's diagnostics until it is saved — then the full validation (and Statsig's dry run) speaks again.
import * as vscode from 'vscode';
import { analyzeSql } from '../../core/sql/index.ts';
import type { Feature } from '../services.ts';
import { sourceOfSqlView } from './uris.ts';

const PAUSE_MS = 400;

export const registerSqlTypingCheck: Feature = ({ connections, validator }) => {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const cancel = (key: string) => {
    clearTimeout(timers.get(key));
    timers.delete(key);
  };
  const check = (doc: vscode.TextDocument) => {
    const view = sourceOfSqlView(doc.uri);
    if (!view || doc.isClosed) return;
    if (!doc.isDirty) {
      validator.showSaved(view.uri);
      return;
    }
    const sql = doc.getText();
    const analysis = analyzeSql(sql, connections.dialectOf(view.projectId));
    validator.showAsTyped(view.uri, sql, analysis.problems);
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!sourceOfSqlView(e.document.uri) || e.contentChanges.length === 0) return;
      const key = e.document.uri.toString();
      cancel(key);
      timers.set(key, setTimeout(() => {
        timers.delete(key);
        check(e.document);
      }, PAUSE_MS));
    }),
    // Saved: what the save's validation found speaks again, also when the pause ran out while the
    // save was still under way (the view was dirty then, and its as-typed check came last).
    vscode.workspace.onDidSaveTextDocument((doc) => {
      const view = sourceOfSqlView(doc.uri);
      if (!view) return;
      cancel(doc.uri.toString());
      validator.showSaved(view.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => cancel(doc.uri.toString())),
    { dispose: () => [...timers.keys()].forEach(cancel) },
  );
};
