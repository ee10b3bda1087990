// The SQL field of the form: its label, a small toolbar (Find, Format SQL), help and diagnostics
// slot around the CodeMirror editor. Typing is debounced like any other field; the document's SQL
// is applied as a minimal change.
import type { EditorSettings } from '../shared/editorProtocol.ts';
import { getAt, pathKey, type JsonPath } from '../shared/jsonPath.ts';
import { IS_MAC, h } from './dom.ts';
import { fieldFrame } from './controls.ts';
import { FOCUS_ATTR, PRIMARY_ATTR, REMOVE, type Control, type FormContext } from './formContext.ts';
import type { SqlFieldModel } from './formModel.ts';
import { SqlEditor } from './sqlEditor.ts';

export interface SqlFieldOptions {
  readonly nonce: string | undefined;
  readonly dialect: string;
  readonly settings: EditorSettings;
  /** Format SQL was asked for (the host formats and sends the document back). */
  readonly onFormat: () => void;
  /** The SQL text changed (typed, or from the host), when the field holds SQL text. */
  readonly onSqlChanged?: (text: string) => void;
}

export class SqlField implements Control {
  readonly element: HTMLElement;
  readonly editor: SqlEditor;
  readonly path: JsonPath;
  readonly #model: SqlFieldModel;
  readonly #ctx: Pick<FormContext, 'edit' | 'debouncer'>;
  readonly #note = h('p', { class: 'note', hidden: true });
  readonly #format: HTMLButtonElement;
  /** The value is SQL text (not a number or object shown as JSON). */
  #isText = true;

  constructor(model: SqlFieldModel, ctx: Pick<FormContext, 'edit' | 'debouncer'>, options: SqlFieldOptions) {
    this.#model = model;
    this.path = model.path;
    this.#ctx = ctx;
    const frame = fieldFrame(model, 'caption');
    const host = h('div', { class: 'sql-host' });
    const button = (label: string, title: string, onClick: () => void) => {
      const b = h('button', { type: 'button', class: 'secondary', title }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const find = button('Find', `Find and replace in the SQL (${IS_MAC ? 'Cmd+F, Cmd+Alt+F' : 'Ctrl+F, Ctrl+H'})`, () => this.editor.openFind());
    this.#format = button('Format SQL', `Format the SQL: layout only, macros kept as typed (Shift+Alt+F)`, options.onFormat);
    const tools = h('div', { class: 'sql-toolbar', role: 'toolbar', 'aria-label': 'SQL tools' }, find, this.#format);
    frame.place(tools, host, this.#note);
    const key = pathKey(model.path);
    this.editor = new SqlEditor({
      parent: host,
      nonce: options.nonce,
      dialect: options.dialect,
      settings: options.settings,
      contentAttributes: {
        'aria-labelledby': frame.labelId,
        'aria-describedby': frame.describedBy.join(' '),
        'aria-multiline': 'true',
        [FOCUS_ATTR]: key,
        [PRIMARY_ATTR]: '',
        ...(model.required ? { 'aria-required': 'true' } : {}),
      },
      onChange: (text) => ctx.debouncer.schedule(key, () => this.#send(text)),
      onBlur: () => ctx.debouncer.flush(key),
      onTextChanged: (text) => {
        if (this.#isText) options.onSqlChanged?.(text);
      },
    });
    // A contenteditable cannot be the target of <label for>: clicking the caption focuses the editor.
    frame.element.querySelector(`#${frame.labelId}`)?.addEventListener('click', () => this.editor.focus());
    this.element = frame.element;
  }

  update(root: unknown): void {
    if (this.#ctx.debouncer.isPending(pathKey(this.#model.path))) return;
    const value = getAt(root, this.#model.path);
    const text = typeof value === 'string' || value === undefined;
    this.#isText = text;
    this.editor.setText(text ? (value ?? '') : JSON.stringify(value, null, 2));
    // A non-string SQL value is shown but not edited here: typing would silently change its type.
    this.editor.setEditable(text && !this.#model.readOnly);
    this.#format.disabled = !(text && !this.#model.readOnly);
    this.#note.hidden = text;
    this.#note.textContent = text ? '' : `This field holds ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not SQL text. Open as JSON to fix it.`;
  }

  #send(text: string): void {
    this.#ctx.edit(this.#model.path, text === '' && !this.#model.required ? REMOVE : { value: text });
  }

  destroy(): void {
    this.#ctx.debouncer.cancel(pathKey(this.#model.path));
    this.editor.destroy();
  }
}
