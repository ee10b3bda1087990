// The custom editor's webview: renders what the host sends and sends edits back. The host's text
// document is the truth; `#value` is only the latest document value with the edits this webview
// sent since applied on top, so an edit of a whole array builds on everything already sent.
import {
  parseHostMessage, type EditorCommand, type HostMessage, type InitMessage, type SqlAnalysisMessage, type SqlVocabulary, type WebviewMessage,
} from '../shared/editorProtocol.ts';
import { getAt, jsonEqual, removeAt, setAt, type JsonPath } from '../shared/jsonPath.ts';
import { ExtrasPanel, InvalidBanner, StatusLine, toolbar } from './chrome.ts';
import { Debouncer } from './debounce.ts';
import { DiagnosticsView } from './diagnosticsView.ts';
import { IS_MAC, h, replaceChildren } from './dom.ts';
import type { EditValue } from './formContext.ts';
import { buildFormModel } from './formModel.ts';
import { FormView } from './formView.ts';
import { SqlField } from './sqlField.ts';
import { parseSourceText } from './sourceText.ts';
import { EMPTY_NAMES } from './sqlCompletion.ts';
import { TypingAnalysis } from './typingAnalysis.ts';
import { matchesPattern } from './columnFields.ts';

export interface HostChannel {
  postMessage(message: WebviewMessage): void;
}

interface Session {
  readonly init: InitMessage;
  readonly sql: SqlField;
  readonly form: FormView;
}

export class App {
  readonly #host: HostChannel;
  readonly #nonce: string | undefined;
  readonly #debouncer = new Debouncer();
  readonly #header = h('div', { class: 'header' });
  readonly #status = new StatusLine();
  readonly #banner = new InvalidBanner(() => this.#command('openAsText'));
  readonly #main = h('main', { class: 'editor', hidden: true });
  readonly #unitIdList = h('datalist', { id: 'statsig-unit-id-types' });
  /** The query's output columns (the host's typing analysis), offered in every column field. */
  readonly #columnList = h('datalist', { id: 'statsig-output-columns' });
  readonly #analysis = new TypingAnalysis((seq, sql) => this.#host.postMessage({ type: 'analyzeSql', seq, sql }));
  #vocabulary: SqlVocabulary = EMPTY_NAMES.vocabulary;
  #outputColumns: readonly string[] = [];
  readonly #diagnostics = new DiagnosticsView(this.#main, () => this.#session?.sql);
  readonly #extras = new ExtrasPanel();
  #session: Session | undefined;
  #value: Record<string, unknown> | undefined;
  /** The document text as the host last sent it. */
  #lastText: string | undefined;

  constructor(root: HTMLElement, host: HostChannel, nonce: string | undefined) {
    this.#host = host;
    this.#nonce = nonce;
    replaceChildren(root, this.#header, this.#status.element, this.#diagnostics.element, this.#banner.element, this.#main, this.#extras.element);
    // Typing must reach the document before VS Code acts on it: Ctrl/Cmd+S saves (through the host,
    // after the typing, when some is pending), Y and Shift+Z redo
    // (the workbench handles them, after this capture-phase listener), and a hidden webview is torn
    // down (retainContextWhenHidden is off). Undo is different: typing not sent yet is not in VS
    // Code's undo history, so Ctrl/Cmd+Z with pending typing takes back exactly that typing, here,
    // and does not reach the workbench (whose Undo would take back the change before it instead).
    // Select All in a field is also done here and kept from the workbench: VS Code answers a
    // forwarded Ctrl/Cmd+A by selecting all in the webview a moment later, when the first
    // characters typed after it are already there, so the next keystroke replaced them.
    //
    // Format SQL (Shift+Alt+F, as VS Code's Format Document) is handled here too, anywhere in the
    // page, and kept from the workbench: sent as a message after the typing, it formats what was
    // typed (the key itself would reach the host before that typing does).
    window.addEventListener('keydown', (event) => {
      if (isFormatKey(event)) {
        event.preventDefault();
        event.stopPropagation();
        if (this.#session) this.#command('formatSql');
        return;
      }
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'a' && selectAllIn(event)) {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      if (key === 'z' && !event.shiftKey && this.#debouncer.hasPending) {
        event.preventDefault();
        event.stopPropagation();
        this.#debouncer.cancelAll();
        if (this.#lastText !== undefined) this.#show(this.#lastText);
        return;
      }
      // Save with typing not sent yet: the workbench's Save would run before the host has applied
      // that typing (it saved the text without it, and the tab stayed dirty). Sent after the
      // typing instead, through the same queue as the toolbar's Save.
      if (key === 's' && !event.shiftKey && !event.altKey && this.#debouncer.hasPending && this.#session) {
        event.preventDefault();
        event.stopPropagation();
        this.#debouncer.flushAll();
        this.#command('save');
        return;
      }
      if (['s', 'z', 'y'].includes(key)) this.#debouncer.flushAll();
    }, true);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.#debouncer.flushAll();
    });
  }

  /** Entry point for every `message` event. Invalid messages are ignored; nothing here throws. */
  receive(data: unknown): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      console.warn(`Ignoring an invalid message from the extension:\n${parsed.error}`);
      return;
    }
    try {
      this.#handle(parsed.message);
    } catch (error) {
      console.error(error);
      this.#banner.show(`This source could not be shown: ${error instanceof Error ? error.message : String(error)}. Open it as JSON instead.`);
    }
  }

  #handle(message: HostMessage): void {
    if (message.type === 'init') return this.#start(message);
    if (message.type === 'status') return this.#status.show(message);
    if (message.type === 'extras') return this.#extras.show(message.sections);
    if (message.type === 'editorSettings') {
      // Before init there is no editor yet; init carries the settings as they are then.
      this.#session?.sql.editor.setSettings(message.settings);
      return;
    }
    if (!this.#session) {
      console.warn(`Ignoring "${message.type}" before "init".`);
      return;
    }
    if (message.type === 'document') return this.#show(message.text);
    if (message.type === 'suggestions') {
      if (message.unitIdTypes) replaceChildren(this.#unitIdList, ...message.unitIdTypes.map((name) => h('option', { value: name })));
      if (message.sql) {
        this.#vocabulary = message.sql;
        this.#updateNames();
      }
      return;
    }
    if (message.type === 'sqlAnalysis') return this.#analysed(message);
    // A validation: its problems replace those found while typing.
    this.#analysis.validated(this.#session.sql.editor.text);
    this.#diagnostics.setTyping(undefined);
    this.#diagnostics.set(message.items, message.counts);
  }

  #analysed(message: SqlAnalysisMessage): void {
    const sql = this.#session?.sql;
    if (!sql) return;
    const verdict = this.#analysis.accept(message.seq, sql.editor.text);
    if (!verdict) return;
    // A query that does not parse (half typed) keeps the columns last known.
    if (message.columns) {
      const columns = message.columns;
      this.#outputColumns = [...new Set(columns.map((c) => c.name))];
      replaceChildren(this.#columnList, ...columns.map((c) => h('option', { value: c.name, label: c.expression !== c.name ? `${c.name} — ${c.expression}` : c.name })));
      this.#updateNames();
    }
    this.#diagnostics.setTyping(verdict.showProblems ? message.problems : undefined);
  }

  #updateNames(): void {
    this.#session?.sql.editor.setNames({ vocabulary: this.#vocabulary, outputColumns: this.#outputColumns });
  }

  #start(init: InitMessage): void {
    this.#debouncer.cancelAll();
    this.#analysis.reset();
    this.#session?.sql.destroy();
    const unitIdList = this.#unitIdList;
    const columnList = this.#columnList;
    const columnFields = init.columnFields ?? [];
    this.#outputColumns = [];
    replaceChildren(columnList);
    const ctx = {
      current: () => this.#value ?? {},
      edit: (path: JsonPath, change: EditValue) => this.#edit(path, change),
      debouncer: this.#debouncer,
      // The project's unit ID types (filled by a 'suggestions' message), offered in every idTypeMapping[].statsigUnitID cell.
      suggestionsFor: (path: JsonPath) => (path.length === 3 && path[0] === 'idTypeMapping' && path[2] === 'statsigUnitID' ? unitIdList.id : undefined),
      // The query's output columns (from the typing analysis), in every field that names one (init's columnFields).
      columnsFor: (path: JsonPath) => (columnFields.some((pattern) => matchesPattern(path, pattern)) ? columnList.id : undefined),
    };
    const model = buildFormModel(init.schema, {}, init);
    const sql = new SqlField(model.sql, ctx, {
      nonce: this.#nonce, dialect: init.sqlDialect, settings: init.editorSettings, onFormat: () => this.#command('formatSql'),
      onSqlChanged: (text) => this.#analysis.changed(text),
    });
    const form = new FormView(ctx);
    this.#session = { init, sql, form };
    replaceChildren(this.#header, toolbar(init, (command) => this.#command(command)));
    replaceChildren(this.#main, sql.element, form.element, unitIdList, columnList);
    document.title = init.title;
    this.#diagnostics.setTyping(undefined);
    this.#diagnostics.set([]);
    this.#show(init.text);
    this.#updateNames();
  }

  #show(text: string): void {
    const session = this.#session;
    if (!session) return;
    this.#lastText = text;
    const parsed = parseSourceText(text);
    if (!parsed.ok) {
      // Nothing typed can be applied to a document that does not parse.
      this.#debouncer.cancelAll();
      this.#value = undefined;
      session.form.clear();
      this.#main.hidden = true;
      this.#banner.show(`This source's JSON is not valid: ${parsed.message} (line ${parsed.line}, column ${parsed.column}). Fix it in the text editor.`);
      return;
    }
    this.#value = parsed.value;
    this.#banner.show(undefined);
    this.#main.hidden = false;
    session.sql.update(parsed.value);
    session.form.render(buildFormModel(session.init.schema, parsed.value, session.init), parsed.value);
    this.#diagnostics.refresh();
  }

  #edit(path: JsonPath, change: EditValue): void {
    if (!this.#value) return;
    const before = getAt(this.#value, path);
    if ('remove' in change) {
      if (before === undefined) return;
      this.#value = removeAt(this.#value, path) as Record<string, unknown>;
      this.#host.postMessage({ type: 'edit', path: [...path], remove: true });
    } else {
      if (jsonEqual(before, change.value)) return;
      this.#value = setAt(this.#value, path, change.value) as Record<string, unknown>;
      this.#host.postMessage({ type: 'edit', path: [...path], value: change.value });
    }
  }

  #command(command: EditorCommand): void {
    // Whatever was typed goes to the document before it is saved, pushed or shown as text.
    this.#debouncer.flushAll();
    this.#host.postMessage({ type: 'command', command });
  }
}

/** Inputs whose text can be selected (`select()`); not checkboxes. */
const TEXT_INPUTS = new Set(['text', 'search', 'number', 'url', 'email', 'tel', 'password']);

/** Shift+Alt+F, by the key's place (macOS types "Ï" with it), with no other modifier. */
function isFormatKey(event: KeyboardEvent): boolean {
  return event.shiftKey && event.altKey && !event.ctrlKey && !event.metaKey && (event.code === 'KeyF' || event.key.toLowerCase() === 'f');
}

/**
 * Select All (Cmd+A on macOS, Ctrl+A elsewhere) in a text field: selects the field's text now and
 * says so, so the caller can keep the key from the workbench. The SQL editor does the same in its
 * own keymap (sqlEditor.ts); anywhere else the workbench's Select All is left alone.
 */
function selectAllIn(event: KeyboardEvent): boolean {
  if (event.altKey || event.shiftKey || (IS_MAC ? !event.metaKey || event.ctrlKey : !event.ctrlKey || event.metaKey)) return false;
  const target = event.target;
  const field = target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type)) ? target : undefined;
  if (!field) return false;
  field.select();
  return true;
}
