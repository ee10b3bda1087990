// The user's editor settings the SQL editor follows: `editor.fontFamily`, `editor.fontSize` and
// `editor.tabSize`, read for the SQL language (so a `[sql]` override wins) and for the source's
// document. Parsed here, at the one place they enter: a value VS Code itself would not accept is
// left out (the webview then uses the theme's editor font) or replaced by VS Code's default.
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { EditorSettings } from '../../shared/editorProtocol.ts';

/** VS Code's default `editor.tabSize`. */
const DEFAULT_TAB_SIZE = 4;

// The ranges VS Code's own editor clamps to (fontSize 6–100; tabSize at least 1).
const FontFamily = z.string().check(z.trim(), z.minLength(1), z.maxLength(1_000));
const FontSize = z.number().check(z.gte(6), z.lte(100));
const TabSize = z.int().check(z.gte(1), z.lte(100));

const SETTINGS = ['fontFamily', 'fontSize', 'tabSize'] as const;

/** Where the settings are read: the SQL language, in the folder of `uri` if it has one. */
export function sqlScope(uri: vscode.Uri): vscode.ConfigurationScope {
  return { uri, languageId: 'sql' };
}

export function readEditorSettings(scope: vscode.ConfigurationScope): EditorSettings {
  const c = vscode.workspace.getConfiguration('editor', scope);
  const fontFamily = FontFamily.safeParse(c.get('fontFamily'));
  const fontSize = FontSize.safeParse(c.get('fontSize'));
  const tabSize = TabSize.safeParse(c.get('tabSize'));
  return EditorSettings.parse({
    ...(fontFamily.success ? { fontFamily: fontFamily.data } : {}),
    ...(fontSize.success ? { fontSize: fontSize.data } : {}),
    tabSize: tabSize.success ? tabSize.data : DEFAULT_TAB_SIZE,
  });
}

/** Whether a configuration change touches one of the settings above for `scope`. */
export function affectsEditorSettings(event: vscode.ConfigurationChangeEvent, scope: vscode.ConfigurationScope): boolean {
  return SETTINGS.some((name) => event.affectsConfiguration(`editor.${name}`, scope));
}
