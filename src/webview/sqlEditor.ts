// The SQL field: CodeMirror 6 with the warehouse's SQL dialect, VS Code's colours, the user's editor
// font and tab size, find and replace, and the host's SQL diagnostics as lint marks. No history
// extension and no undo keymap: VS Code forwards Ctrl+Z / Ctrl+Shift+Z from the webview to the
// workbench, which undoes the text document and sends the result back like any other change.
import { sql } from '@codemirror/lang-sql';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { defaultKeymap, selectAll } from '@codemirror/commands';
import { highlightSelectionMatches, openSearchPanel, search, searchKeymap } from '@codemirror/search';
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers,
  type Command, type KeyBinding,
} from '@codemirror/view';
import type { EditorSettings, SourceDiagnostic } from '../shared/editorProtocol.ts';
import { completionKeymap } from '@codemirror/autocomplete';
import { Prec } from '@codemirror/state';
import { setSqlNames, sqlAssist, type SqlNames } from './sqlCompletion.ts';
import { sqlDialectFor } from './sqlDialect.ts';
import { vscodeEditorTheme, vscodeHighlightStyle } from './sqlTheme.ts';
import { minimalChange } from './textDiff.ts';

/** Marks transactions that apply the host's document, so they are not sent back as edits. */
const fromHost = Annotation.define<boolean>();

export interface SqlEditorOptions {
  readonly parent: HTMLElement;
  /** The page's CSP nonce: CodeMirror injects its styles in nonce'd style elements. */
  readonly nonce: string | undefined;
  readonly dialect: string;
  readonly contentAttributes: Readonly<Record<string, string>>;
  readonly settings: EditorSettings;
  readonly onChange: (text: string) => void;
  readonly onBlur: () => void;
  /** The text changed, by typing or from the host (for the typing analysis). */
  readonly onTextChanged?: (text: string) => void;
}

export class SqlEditor {
  readonly view: EditorView;
  readonly #editable = new Compartment();
  readonly #tabSize = new Compartment();

  constructor(options: SqlEditorOptions) {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      // Select All stays in the editor: were the key to reach the workbench, its Select All would
      // come back a moment later and select the text typed since (see app.ts).
      keymap.of([{ key: 'Mod-a', run: selectAll, preventDefault: true, stopPropagation: true }]),
      // Find and replace: the panel at the top, as VS Code's find widget; its keys stay in the webview.
      search({ top: true }),
      EditorState.phrases.of(SEARCH_PHRASES),
      highlightSelectionMatches(),
      keymap.of(SEARCH_KEYS),
      // Tab is not bound, so it still moves focus to the next control.
      keymap.of(defaultKeymap),
      sql({ dialect: sqlDialectFor(options.dialect) }),
      // Completion (the vocabulary set with setNames) and the macros' colour. Its keys stop in the
      // webview: Escape or Enter forwarded to the workbench would act there too.
      sqlAssist(),
      Prec.highest(keymap.of(completionKeymap.map((binding) => ({ ...binding, stopPropagation: true })))),
      syntaxHighlighting(vscodeHighlightStyle),
      vscodeEditorTheme,
      lintGutter(),
      EditorView.contentAttributes.of({ ...options.contentAttributes }),
      EditorView.domEventHandlers({ beforeinput: typeOverLines }),
      this.#editable.of(editable(true)),
      this.#tabSize.of(tabSize(options.settings.tabSize)),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromHost) === true)) {
          options.onChange(update.state.doc.toString());
        }
        if (update.docChanged) options.onTextChanged?.(update.state.doc.toString());
        if (update.focusChanged && !update.view.hasFocus) options.onBlur();
      }),
    ];
    if (options.nonce) extensions.push(EditorView.cspNonce.of(options.nonce));
    this.view = new EditorView({ parent: options.parent, state: EditorState.create({ doc: '', extensions }) });
    // Keys typed in the find panel's fields stay there: Ctrl/Cmd+Z undoes the field's own typing,
    // not the document (the workbench would otherwise take the key and undo the source).
    this.view.dom.addEventListener('keydown', (event) => {
      if (!(event.target instanceof HTMLInputElement) || !event.target.closest('.cm-search')) return;
      if ((event.ctrlKey || event.metaKey) && ['z', 'y'].includes(event.key.toLowerCase())) event.stopPropagation();
    });
    this.setSettings(options.settings);
  }

  /**
   * The user's editor font and tab size. Applied through the CSSOM, one property at a time: a value
   * the browser does not accept is ignored (the theme's editor font stays), and a setting can never
   * add CSS of its own.
   */
  setSettings(settings: EditorSettings): void {
    const setOrClear = (style: CSSStyleDeclaration, property: string, value: string | undefined) => {
      if (value === undefined) style.removeProperty(property);
      else style.setProperty(property, value);
    };
    setOrClear(this.view.scrollDOM.style, 'font-family', settings.fontFamily);
    setOrClear(this.view.dom.style, 'font-size', settings.fontSize === undefined ? undefined : `${settings.fontSize}px`);
    if (this.view.state.tabSize !== settings.tabSize) this.view.dispatch({ effects: this.#tabSize.reconfigure(tabSize(settings.tabSize)) });
    this.view.requestMeasure();
  }

  /** Opens the find panel (`replace`: with the focus in its Replace field, when the SQL is editable). */
  openFind(replace = false): void {
    (replace ? openReplace : openSearchPanel)(this.view);
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Applies the host's text as one minimal change, so the caret and selection stay put. */
  setText(text: string): void {
    const change = minimalChange(this.text, text);
    if (change) this.view.dispatch({ changes: change, annotations: fromHost.of(true) });
  }

  setEditable(value: boolean): void {
    if (this.view.state.facet(EditorView.editable) === value) return;
    this.view.dispatch({ effects: this.#editable.reconfigure(editable(value)) });
  }

  /** Diagnostics with an `sqlRange`; ranges are clamped to the current text. */
  setDiagnostics(items: readonly SourceDiagnostic[]): void {
    const length = this.view.state.doc.length;
    const diagnostics: Diagnostic[] = items.flatMap((item) => {
      if (!item.sqlRange) return [];
      const from = Math.min(item.sqlRange.from, length);
      const to = Math.min(Math.max(item.sqlRange.to, from), length);
      return [{ from, to, severity: item.severity, message: item.message }];
    });
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  /** What completion offers besides the keywords of the text itself. */
  setNames(names: SqlNames): void {
    this.view.dispatch({ effects: setSqlNames.of(names) });
  }

  /** 1-based line of an offset, for messages shown outside the editor. */
  lineAt(offset: number): number {
    return this.view.state.doc.lineAt(Math.min(offset, this.view.state.doc.length)).number;
  }

  focus(range?: { from: number; to: number }): void {
    this.view.focus();
    if (!range) return;
    const length = this.view.state.doc.length;
    this.view.dispatch({ selection: { anchor: Math.min(range.from, length), head: Math.min(range.to, length) }, scrollIntoView: true });
  }

  destroy(): void {
    this.view.destroy();
  }
}

/** Read-only SQL stays focusable (a tab stop), so it can still be searched, selected and copied. */
function editable(value: boolean): Extension {
  return [EditorView.editable.of(value), EditorState.readOnly.of(!value), value ? [] : EditorView.contentAttributes.of({ tabindex: '0' })];
}

function tabSize(size: number): Extension {
  return [EditorState.tabSize.of(size), indentUnit.of(' '.repeat(size))];
}

/** Find, then put the focus in the Replace field (read-only SQL has none: find only). */
const openReplace: Command = (view) => {
  openSearchPanel(view);
  const field = view.dom.querySelector<HTMLInputElement>('.cm-search input[name=replace]');
  if (field) {
    field.focus();
    field.select();
  }
  return true;
};

/** The find panel's words, as VS Code's find widget says them. */
const SEARCH_PHRASES: Readonly<Record<string, string>> = {
  next: 'Next', previous: 'Previous', all: 'Select all', 'match case': 'Match case', regexp: 'Regex', 'by word': 'Whole word',
  replace: 'Replace', 'replace all': 'Replace all', close: 'Close',
};

/**
 * CodeMirror's search keys (Ctrl/Cmd+F, F3 / Ctrl/Cmd+G and with Shift, Escape, …) plus Replace:
 * Ctrl+H, and Cmd+Alt+F on macOS as in VS Code (Cmd+H hides the application there). A key that
 * acts here stops: the webview forwards every key it does not stop to the workbench, whose own
 * bindings (Find, Replace, Escape) would act a second time.
 */
const SEARCH_KEYS: readonly KeyBinding[] = [
  ...searchKeymap,
  { key: 'Mod-h', run: openReplace, scope: 'editor search-panel', preventDefault: true },
  { mac: 'Mod-Alt-f', run: openReplace, scope: 'editor search-panel', preventDefault: true },
].map((binding) => ({ ...binding, stopPropagation: true }));

/**
 * Typing over a selection that spans lines (after Select All, say) is applied by CodeMirror itself:
 * Chromium's own edit would merge the lines with an inline `style` attribute, which the page's CSP
 * refuses (a violation report on every such keystroke). Composition (IME) input is left alone.
 */
function typeOverLines(event: InputEvent, view: EditorView): boolean {
  if (event.inputType !== 'insertText' || event.data === null || event.isComposing || view.state.readOnly) return false;
  const { doc, selection } = view.state;
  if (!selection.ranges.some((r) => doc.lineAt(r.from).number !== doc.lineAt(r.to).number)) return false;
  event.preventDefault();
  view.dispatch(view.state.replaceSelection(event.data), { userEvent: 'input.type', scrollIntoView: true });
  return true;
}
