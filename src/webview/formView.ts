// Renders a FormModel and keeps it in step with the document. A new document value is applied with
// the least disruption: a field whose shape did not change only has its values updated (a control
// with pending typing keeps it); a field whose shape changed (a row added, a key appeared) is
// rebuilt on its own, and focus and caret go back to the same control if it still exists.
import { getAt } from '../shared/jsonPath.ts';
import { h, prettyJson, replaceChildren, uniqueId } from './dom.ts';
import { fieldFrame, leafField, messagesBox, readOnlyField } from './controls.ts';
import { mapField, tableField, tagsField } from './collections.ts';
import { FOCUS_ATTR, PRIMARY_ATTR, slotAttributes, type Control, type FormContext } from './formContext.ts';
import type { FieldModel, FormModel, GroupField } from './formModel.ts';

export function renderField(field: FieldModel, ctx: FormContext): Control {
  if (field.readOnly) return readOnlyField(field);
  switch (field.kind) {
    case 'json': return readOnlyField(field);
    case 'text': case 'number': case 'boolean': case 'enum':
      return leafField(field, ctx);
    case 'tags': return tagsField(field, ctx);
    case 'table': return tableField(field, ctx);
    case 'map': return mapField(field, ctx);
    case 'group': return groupField(field, ctx);
  }
}

function groupField(field: GroupField, ctx: FormContext): Control {
  const frame = fieldFrame(field, 'fieldset');
  const children = field.children.map((child) => ctx.render(child));
  const other = field.otherKeys.length > 0 ? otherFields(field.otherKeys.map((key) => [...field.path, key])) : undefined;
  frame.place(...children.map((c) => c.element), other?.element);
  return {
    element: frame.element,
    update(root) {
      for (const child of children) child.update(root);
      other?.update(root);
    },
  };
}

/** Keys the schema does not describe: shown as JSON, kept as they are, edited in the text editor. */
export function otherFields(paths: readonly (readonly (string | number)[])[]): Control {
  const headingId = uniqueId('heading');
  const values = paths.map((path) => {
    const name = String(path[path.length - 1]);
    const value = h('pre', { class: 'readonly-value readonly-value--json', tabindex: -1, [PRIMARY_ATTR]: true });
    const messages = messagesBox();
    return {
      path,
      value,
      element: h('div', { class: 'other-field', ...slotAttributes(path, name, messages.id) },
        h('dt', {}, h('code', { class: 'json-key' }, name)), h('dd', {}, value), messages),
    };
  });
  return {
    element: h('section', { class: 'other-fields', 'aria-labelledby': headingId },
      h('h3', { id: headingId }, 'Other fields'),
      h('p', { class: 'help' }, 'Not described by the schema: kept as they are. Open as JSON to change them.'),
      h('dl', {}, ...values.map((v) => v.element))),
    update(root) {
      for (const v of values) {
        const text = prettyJson(getAt(root, v.path));
        if (v.value.textContent !== text) v.value.textContent = text;
      }
    },
  };
}

const FOCUS_REQUEST_TTL_MS = 2_000;

interface FocusSnapshot {
  readonly element: HTMLElement;
  readonly key: string;
  readonly selection?: [number, number];
}

interface Mounted {
  readonly signature: string;
  readonly control: Control;
}

export class FormView {
  // The root slot: diagnostics whose path matches no field are shown here.
  readonly #messages = messagesBox();
  readonly element = h('div', { class: 'form', ...slotAttributes([], 'Source', this.#messages.id) }, this.#messages);
  readonly #ctx: FormContext;
  #mounted: Mounted[] = [];
  #focusRequest: { key: string; fallback: string | undefined; at: number } | undefined;

  constructor(ctx: Omit<FormContext, 'render' | 'requestFocus'> & Pick<FormContext, 'suggestionsFor' | 'columnsFor'>) {
    this.#ctx = {
      ...ctx,
      render: (field) => renderField(field, this.#ctx),
      requestFocus: (key, fallback) => { this.#focusRequest = { key, fallback, at: Date.now() }; },
    };
  }

  /** Shows `root` with the fields of `model`, rebuilding only fields whose shape changed. */
  render(model: FormModel, root: Readonly<Record<string, unknown>>): void {
    const focus = this.#captureFocus();
    const wanted = [
      ...model.fields.map((field) => ({ signature: JSON.stringify(field), make: () => renderField(field, this.#ctx) })),
      ...(model.otherKeys.length > 0 ? [{ signature: `other:${JSON.stringify(model.otherKeys)}`, make: () => otherFields(model.otherKeys.map((k) => [k])) }] : []),
    ];
    const next = wanted.map((w, i): Mounted => {
      const old = this.#mounted[i];
      if (old && old.signature === w.signature) return old;
      const control = w.make();
      if (old) old.control.element.replaceWith(control.element);
      else this.element.append(control.element);
      return { signature: w.signature, control };
    });
    for (const stale of this.#mounted.slice(wanted.length)) stale.control.element.remove();
    this.#mounted = next;
    for (const m of next) m.control.update(root);
    this.#restoreFocus(focus);
  }

  clear(): void {
    for (const m of this.#mounted) m.control.element.remove();
    this.#mounted = [];
    this.#focusRequest = undefined;
    replaceChildren(this.#messages);
  }

  #captureFocus(): FocusSnapshot | undefined {
    const active = this.element.ownerDocument.activeElement;
    if (!(active instanceof HTMLElement) || !this.element.contains(active)) return undefined;
    const key = active.getAttribute(FOCUS_ATTR);
    if (key === null) return undefined;
    const text = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : undefined;
    const selection: [number, number] | undefined = text && text.selectionStart !== null && text.selectionEnd !== null
      ? [text.selectionStart, text.selectionEnd] : undefined;
    return { element: active, key, ...(selection ? { selection } : {}) };
  }

  #restoreFocus(before: FocusSnapshot | undefined): void {
    // A request is for the echo of the edit that made it; a late render must not steal focus.
    const request = this.#focusRequest && Date.now() - this.#focusRequest.at < FOCUS_REQUEST_TTL_MS ? this.#focusRequest : undefined;
    this.#focusRequest = undefined;
    const requested = request && (this.#find(request.key) ?? (request.fallback !== undefined ? this.#find(request.fallback) : undefined));
    if (requested) {
      requested.focus();
      return;
    }
    if (!before || before.element.isConnected) return;
    const again = this.#find(before.key);
    if (!again) return;
    again.focus();
    if (before.selection && (again instanceof HTMLInputElement || again instanceof HTMLTextAreaElement)) {
      try {
        again.setSelectionRange(...before.selection);
      } catch {
        // inputs without a selection (number, checkbox)
      }
    }
  }

  #find(focusKey: string): HTMLElement | undefined {
    for (const candidate of this.element.querySelectorAll<HTMLElement>(`[${FOCUS_ATTR}]`)) {
      if (candidate.getAttribute(FOCUS_ATTR) === focusKey) return candidate;
    }
    return undefined;
  }
}
