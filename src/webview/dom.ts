// The only way this webview builds DOM: createElement, setAttribute and text nodes. Strings from
// the server (descriptions, values, messages) therefore always land as text, never as markup.

export type Child = Node | string | null | undefined | false;
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, ...children);
  return element;
}

/** `true` sets an empty attribute; `false`, null and undefined leave it out. */
export function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    // Handlers are attached with addEventListener; an inline handler would also break the CSP.
    if (/^on/i.test(name)) throw new Error(`Inline event handler attribute "${name}" is not allowed.`);
    if (value === false || value === null || value === undefined) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** macOS (and iPadOS): Cmd where other systems have Ctrl. */
export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Pretty JSON for read-only display (as text). */
export function prettyJson(value: unknown): string {
  return value === undefined ? '(not set)' : JSON.stringify(value, null, 2);
}
