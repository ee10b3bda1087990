// The dropdown of a column field: the query's output columns (kept in a <datalist> the app fills
// from the typing analysis), drawn by the page itself rather than by the browser's native datalist
// popup, so it takes VS Code's colours, filters as the person types, and is the same everywhere.
// An ARIA combobox: the input keeps the focus, ArrowDown/ArrowUp move through the list, Enter or a
// click picks, Escape closes (and stays in the webview, or the workbench would act on it too).
import { h, replaceChildren, uniqueId } from './dom.ts';

/** `listId`: the datalist to offer, now (undefined: this field offers nothing at the moment). */
export function attachColumnPicker(input: HTMLInputElement, listId: () => string | undefined): void {
  const popup = h('ul', { id: uniqueId('columns'), class: 'column-picker', role: 'listbox', hidden: true });
  let active = -1;
  let shown: HTMLLIElement[] = [];
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', popup.id);

  const options = (): { value: string; label: string }[] => {
    const id = listId();
    const list = id === undefined ? null : input.ownerDocument.getElementById(id);
    if (!(list instanceof HTMLDataListElement)) return [];
    return [...list.options].map((o) => ({ value: o.value, label: o.label }));
  };
  const close = () => {
    popup.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const open = (filter: boolean) => {
    const typed = filter ? input.value.trim().toLowerCase() : '';
    const matching = options().filter((o) => o.value.toLowerCase().includes(typed));
    if (matching.length === 0) return close();
    shown = matching.map((o) => {
      const item = h('li', { id: uniqueId('column'), role: 'option', class: 'column-picker-option', 'aria-selected': 'false' },
        h('span', { class: 'column-picker-name' }, o.value),
        o.label !== o.value && o.label !== '' ? h('span', { class: 'column-picker-detail' }, o.label.replace(`${o.value} — `, '')) : null);
      // Picking must not take the focus from the input (its blur would close the list first).
      item.addEventListener('mousedown', (event) => event.preventDefault());
      item.addEventListener('click', () => pick(o.value));
      return item;
    });
    replaceChildren(popup, ...shown);
    // Right after the input (it had no parent yet when this was attached): drawn over what follows.
    if (popup.previousElementSibling !== input) input.after(popup);
    // Fixed under the input (CSSOM, not a style attribute: the CSP allows it), so a table's
    // scrolling box does not clip it; a scroll of the page closes it.
    const box = input.getBoundingClientRect();
    popup.style.setProperty('top', `${box.bottom + 2}px`);
    popup.style.setProperty('left', `${box.left}px`);
    popup.style.setProperty('min-width', `${Math.max(box.width, 160)}px`);
    popup.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    move(matching.findIndex((o) => o.value === input.value));
  };
  const move = (index: number) => {
    shown[active]?.setAttribute('aria-selected', 'false');
    active = index;
    const item = shown[active];
    if (!item) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    item.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', item.id);
    item.scrollIntoView({ block: 'nearest' });
  };
  const pick = (value: string) => {
    close();
    if (input.value === value) return;
    input.value = value;
    // As if typed: the field's own listener sends the edit.
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  input.addEventListener('input', (event) => {
    if (event.isTrusted) open(true);
  });
  input.addEventListener('blur', close);
  const doc = input.ownerDocument;
  const onScroll = (event: Event) => {
    // A form re-rendered without this field: the listener goes with it.
    if (!input.isConnected) doc.removeEventListener('scroll', onScroll, true);
    else if (!popup.hidden && event.target !== popup) close();
  };
  doc.addEventListener('scroll', onScroll, true);
  input.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (popup.hidden) open(false);
      else if (shown.length > 0) move(event.key === 'ArrowDown' ? (active + 1) % shown.length : (active <= 0 ? shown.length : active) - 1);
    } else if (event.key === 'Enter' && !popup.hidden && shown[active]) {
      event.preventDefault();
      pick(shown[active]?.querySelector('.column-picker-name')?.textContent ?? '');
    } else if (event.key === 'Escape' && !popup.hidden) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
}
