// The SQL field of the form: its label, help and diagnostics slot around the CodeMirror editor.
// Typing is debounced like any other field; the document's SQL is applied as a minimal change.
import { getAt, pathKey, type JsonPath } from '../shared/jsonPath.ts';
import { h } from './dom.ts';
import { fieldFrame } from './controls.ts';
import { FOCUS_ATTR, PRIMARY_ATTR, REMOVE, type Control, type FormContext } from './formContext.ts';
import type { SqlFieldModel } from './formModel.ts';
import { SqlEditor } from './sqlEditor.ts';

export class SqlField implements Control {
  readonly element: HTMLElement;
  readonly editor: SqlEditor;
  readonly path: JsonPath;
  readonly #model: SqlFieldModel;
  readonly #ctx: Pick<FormContext, 'edit' | 'debouncer'>;
  readonly #note = h('p', { class: 'note', hidden: true });

  constructor(model: SqlFieldModel, ctx: Pick<FormContext, 'edit' | 'debouncer'>, options: { nonce: string | undefined; dialect: string }) {
    this.#model = model;
    this.path = model.path;
    this.#ctx = ctx;
    const frame = fieldFrame(model, 'caption');
    const host = h('div', { class: 'sql-host' });
    frame.place(host, this.#note);
    const key = pathKey(model.path);
    this.editor = new SqlEditor({
      parent: host,
      nonce: options.nonce,
      dialect: options.dialect,
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
    });
    // A contenteditable cannot be the target of <label for>: clicking the caption focuses the editor.
    frame.element.querySelector(`#${frame.labelId}`)?.addEventListener('click', () => this.editor.focus());
    this.element = frame.element;
  }

  update(root: unknown): void {
    if (this.#ctx.debouncer.isPending(pathKey(this.#model.path))) return;
    const value = getAt(root, this.#model.path);
    const text = typeof value === 'string' || value === undefined;
    this.editor.setText(text ? (value ?? '') : JSON.stringify(value, null, 2));
    // A non-string SQL value is shown but not edited here: typing would silently change its type.
    this.editor.setEditable(text && !this.#model.readOnly);
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
