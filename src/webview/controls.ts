// Leaf controls (text, number, checkbox, select), read-only values, and the labelled wrapper every
// field sits in. Each control reads its value from the document by path and sends edits through
// the form context; none keeps a value of its own beyond what the person is typing.
import { getAt, pathKey, type JsonPath } from '../shared/jsonPath.ts';
import { append, h, prettyJson, uniqueId, type Child } from './dom.ts';
import {
  FOCUS_ATTR, MESSAGES_CLASS, PRIMARY_ATTR, REMOVE, slotAttributes,
  type Control, type EditValue, type FormContext,
} from './formContext.ts';
import type { EnumField, FieldCommon, FieldModel, LeafField, NumberField, TextField } from './formModel.ts';
import { attachColumnPicker } from './columnPicker.ts';

export interface LeafOptions {
  readonly id: string;
  /** For table cells, which have no `<label>` of their own. */
  readonly ariaLabel?: string;
  readonly describedBy: readonly string[];
}

/** The control alone, without a label: for table cells, and inside leafField. */
export function createLeaf(field: LeafField, ctx: FormContext, options: LeafOptions): Control {
  if (field.readOnly || field.kind === 'json') return readOnlyValue(field, options);
  switch (field.kind) {
    case 'text': return textInput(field, ctx, options);
    case 'number': return numberInput(field, ctx, options);
    case 'boolean': return checkbox(field.path, ctx, options);
    case 'enum': return select(field, ctx, options);
  }
}

function inputAttributes(path: JsonPath, required: boolean, options: LeafOptions) {
  return {
    id: options.id,
    [FOCUS_ATTR]: pathKey(path),
    [PRIMARY_ATTR]: true,
    'aria-label': options.ariaLabel,
    'aria-required': required ? 'true' : undefined,
    'aria-describedby': options.describedBy.join(' ') || undefined,
  };
}

/** What clearing a text or number field means: unset when optional, else null or "". */
function cleared(field: TextField | NumberField): EditValue {
  if (!field.required) return REMOVE;
  if (field.nullable) return { value: null };
  return field.kind === 'text' ? { value: '' } : REMOVE;
}

/** Typing is debounced per control and flushed when the control loses focus. */
function debounced(element: HTMLElement, ctx: FormContext, key: string, send: () => void): void {
  element.addEventListener('input', () => ctx.debouncer.schedule(key, send));
  element.addEventListener('blur', () => ctx.debouncer.flush(key));
}

/** Replaces an input's value, keeping the caret where it was when the person is in it. */
export function setInputValue(input: HTMLInputElement | HTMLTextAreaElement, next: string): void {
  if (input.value === next) return;
  const focused = input.ownerDocument.activeElement === input;
  const start = focused ? input.selectionStart : null;
  const end = focused ? input.selectionEnd : null;
  input.value = next;
  if (focused && start !== null && end !== null) {
    try {
      input.setSelectionRange(Math.min(start, next.length), Math.min(end, next.length));
    } catch {
      // number inputs have no selection API
    }
  }
}

function textInput(field: TextField, ctx: FormContext, options: LeafOptions): Control {
  const attributes = { ...inputAttributes(field.path, field.required, options), spellcheck: field.multiline ? 'true' : 'false' };
  const list = field.multiline ? undefined : ctx.suggestionsFor?.(field.path);
  const input = field.multiline ? h('textarea', { ...attributes, rows: 3 }) : h('input', { ...attributes, type: 'text', autocomplete: 'off', ...(list ? { list } : {}) });
  const key = pathKey(field.path);
  const columns = field.multiline ? undefined : ctx.columnsFor?.(field.path);
  if (columns && input instanceof HTMLInputElement) attachColumnPicker(input, () => columns);
  debounced(input, ctx, key, () => ctx.edit(field.path, input.value === '' ? cleared(field) : { value: input.value }));
  return {
    element: input,
    update(root) {
      if (ctx.debouncer.isPending(key)) return;
      const value = getAt(root, field.path);
      input.placeholder = value === null ? 'null' : '';
      setInputValue(input, value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
    },
  };
}

function numberInput(field: NumberField, ctx: FormContext, options: LeafOptions): Control {
  const input = h('input', { ...inputAttributes(field.path, field.required, options), type: 'number', step: field.integer ? 1 : 'any' });
  const key = pathKey(field.path);
  debounced(input, ctx, key, () => {
    if (input.validity.badInput) return; // half-typed ("-", "1e"): wait for a number
    ctx.edit(field.path, input.value === '' ? cleared(field) : { value: Number(input.value) });
  });
  return {
    element: input,
    update(root) {
      if (ctx.debouncer.isPending(key)) return;
      const value = getAt(root, field.path);
      if (input.validity.badInput && value === undefined) return;
      setInputValue(input, typeof value === 'number' ? String(value) : '');
    },
  };
}

function checkbox(path: JsonPath, ctx: FormContext, options: LeafOptions): Control {
  const input = h('input', { ...inputAttributes(path, false, options), type: 'checkbox' });
  input.addEventListener('change', () => ctx.edit(path, { value: input.checked }));
  return {
    element: input,
    update(root) {
      const value = getAt(root, path);
      input.checked = value === true;
      // Unset is not false: the dash says "not in the document".
      input.indeterminate = typeof value !== 'boolean';
    },
  };
}

const NOT_SET = '';
const NOT_ALLOWED = 'current';

function select(field: EnumField, ctx: FormContext, options: LeafOptions): Control {
  const input = h('select', inputAttributes(field.path, field.required, options),
    // Always present so an unset value never shows as the first option; only optional fields may pick it.
    h('option', { value: NOT_SET, disabled: field.required }, '(not set)'),
    ...field.options.map((option, i) => h('option', { value: String(i) }, String(option))));
  input.addEventListener('change', () => {
    if (input.value === NOT_SET) ctx.edit(field.path, REMOVE);
    else if (input.value !== NOT_ALLOWED) ctx.edit(field.path, { value: field.options[Number(input.value)] });
  });
  let outsider: HTMLOptionElement | undefined;
  return {
    element: input,
    update(root) {
      const value = getAt(root, field.path);
      const index = field.options.findIndex((option) => option === value);
      outsider?.remove();
      outsider = undefined;
      if (value !== undefined && index < 0) {
        // A value the schema does not allow is still shown as it is, not replaced by an allowed one.
        outsider = h('option', { value: NOT_ALLOWED }, `${JSON.stringify(value)} (not allowed)`);
        input.append(outsider);
      }
      input.value = value === undefined ? NOT_SET : index >= 0 ? String(index) : NOT_ALLOWED;
    },
  };
}

/** Any field shown as plain text: schema `readOnly`, listed by the host, or not editable here. */
export function readOnlyValue(field: FieldModel, options: ReadOnlyOptions): Control {
  const element = h('div', {
    id: options.id,
    class: 'readonly-value',
    // Focusable by script only: the problems summary can take a person here.
    tabindex: -1,
    [PRIMARY_ATTR]: true,
    'aria-label': options.ariaLabel,
    'aria-labelledby': options.labelledBy,
    'aria-describedby': options.describedBy.join(' ') || undefined,
  });
  return {
    element,
    update(root) {
      const value = getAt(root, field.path);
      const text = typeof value === 'string' ? value : prettyJson(value);
      element.classList.toggle('readonly-value--json', typeof value === 'object' && value !== null);
      element.classList.toggle('readonly-value--unset', value === undefined);
      if (element.textContent !== text) element.textContent = text;
    },
  };
}

export interface ReadOnlyOptions extends LeafOptions {
  readonly labelledBy?: string;
}

export interface FieldFrame {
  readonly element: HTMLElement;
  /** For the control: what the `<label for>` points at. */
  readonly inputId: string;
  readonly labelId: string;
  /** Help and message ids, for the control's aria-describedby. */
  readonly describedBy: readonly string[];
  /** Puts the control(s) between the label and the help text. */
  place(...children: Child[]): void;
}

/**
 * The wrapper of one field: label (bound to the control), required marker, JSON key, the schema's
 * description as help, and the slot its diagnostics go to. A fieldset for composite controls; a
 * plain caption for read-only values, which have no control to label.
 */
export function fieldFrame(field: FieldCommon & { readonly kind: string }, kind: 'label' | 'fieldset' | 'caption'): FieldFrame {
  const inputId = uniqueId('input');
  const labelId = uniqueId('label');
  const messages = messagesBox();
  const help = field.description !== undefined ? h('p', { id: uniqueId('help'), class: 'help' }, field.description) : null;
  const caption: Child[] = [
    field.label,
    field.required ? h('span', { class: 'required', 'aria-hidden': 'true', title: 'required' }, ' *') : null,
    // The JSON key, for people who know the document; not part of the accessible name.
    h('code', { class: 'json-key', 'aria-hidden': 'true' }, field.key),
  ];
  const heading = kind === 'fieldset' ? h('legend', { id: labelId }, ...caption)
    : kind === 'label' ? h('label', { id: labelId, for: inputId, class: 'label' }, ...caption)
      : h('span', { id: labelId, class: 'label' }, ...caption);
  const attributes = {
    class: `field field--${field.kind}${field.readOnly ? ' field--readonly' : ''}`,
    ...slotAttributes(field.path, field.label, messages.id),
  };
  const element = kind === 'fieldset' ? h('fieldset', attributes, heading, help, messages) : h('div', attributes, heading, help, messages);
  const anchor = help ?? messages;
  return {
    element, inputId, labelId,
    describedBy: [help?.id, messages.id].filter((id): id is string => id !== undefined),
    place: (...children) => {
      const fragment = document.createDocumentFragment();
      append(fragment, ...children);
      element.insertBefore(fragment, anchor);
    },
  };
}

/** Where a field's diagnostics go (see DiagnosticsView). */
export function messagesBox(): HTMLElement {
  return h('div', { id: uniqueId('messages'), class: MESSAGES_CLASS });
}

/** An editable leaf field with its label. */
export function leafField(field: LeafField, ctx: FormContext): Control {
  const frame = fieldFrame(field, 'label');
  const control = createLeaf(field, ctx, { id: frame.inputId, describedBy: frame.describedBy });
  frame.place(control.element);
  return { element: frame.element, update: (root) => control.update(root) };
}

/** Any field shown as text under its caption: read-only, or a shape the form does not edit. */
export function readOnlyField(field: FieldModel): Control {
  const frame = fieldFrame(field, 'caption');
  const value = readOnlyValue(field, { id: frame.inputId, labelledBy: frame.labelId, describedBy: frame.describedBy });
  frame.place(value.element);
  return { element: frame.element, update: (root) => value.update(root) };
}
