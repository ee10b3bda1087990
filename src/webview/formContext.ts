// What every control of the form shares: how to read the document, send edits, debounce typing and
// ask for focus after a re-render. The DOM attributes that tie controls to document paths are
// defined here once, because diagnostics and focus restoration look them up.
import { pathKey, type JsonPath } from '../shared/jsonPath.ts';
import type { Debouncer } from './debounce.ts';
import type { FieldModel } from './formModel.ts';

/** On the element that shows the field at a path (a diagnostics "slot"). */
export const PATH_ATTR = 'data-path';
/** On a slot: the id of the element its diagnostics messages go into. */
export const MESSAGES_ATTR = 'data-messages';
/** Label of that field for the problems summary ("Column (row 2)"). */
export const LABEL_ATTR = 'data-label';
/** Stable identity of a focusable control across re-renders (also its debounce key). */
export const FOCUS_ATTR = 'data-focus-key';
/** The control that a slot's diagnostics mark invalid and that the problems summary focuses. */
export const PRIMARY_ATTR = 'data-primary';
export const MESSAGES_CLASS = 'messages';

/** The attributes that make an element the diagnostics slot of the field at `path`. */
export function slotAttributes(path: JsonPath, label: string, messagesId: string): Record<string, string> {
  return { [PATH_ATTR]: pathKey(path), [LABEL_ATTR]: label, [MESSAGES_ATTR]: messagesId };
}

export type EditValue = { readonly value: unknown } | { readonly remove: true };
export const REMOVE: EditValue = { remove: true };

export interface FormContext {
  /** The latest document value, with the edits sent since applied on top (for whole-array edits). */
  current(): Readonly<Record<string, unknown>>;
  /** Sends an edit to the host, unless it would leave the document as it is. */
  edit(path: JsonPath, change: EditValue): void;
  readonly debouncer: Debouncer;
  /** Focus the control with this focus key after the next render (e.g. the first cell of a new row). */
  requestFocus(focusKey: string, fallbackKey?: string): void;
  /** Renders a nested field (groups, maps with nested entries). */
  render(field: FieldModel): Control;
  /** The id of a <datalist> of values to offer for a text field at `path`, if there is one. */
  suggestionsFor?(path: JsonPath): string | undefined;
  /** The id of the <datalist> of the query's output columns, for a field at `path` that names one. */
  columnsFor?(path: JsonPath): string | undefined;
}

export interface Control {
  readonly element: HTMLElement;
  /** Shows the values of `root` (a document value); leaves controls with pending typing alone. */
  update(root: unknown): void;
}
