// Controls for arrays and maps: tags (array of strings), tables (array of objects) and key/value
// maps (read-only ones never get here: they are shown as text). Structural edits (add, remove, rename) send the whole array or object at its path, built
// from the latest document value after flushing any typing, so nothing typed is lost or reordered.
import { getAt, isPlainObject, jsonEqual, pathKey, type JsonPath } from '../shared/jsonPath.ts';
import { h, replaceChildren, setAttributes, uniqueId } from './dom.ts';
import { createLeaf, fieldFrame, messagesBox, setInputValue } from './controls.ts';
import { attachColumnPicker } from './columnPicker.ts';
import { FOCUS_ATTR, PRIMARY_ATTR, slotAttributes, type Control, type FormContext } from './formContext.ts';
import { stringEntries, type MapField, type TableField, type TagsField } from './formModel.ts';

function stringsAt(root: unknown, path: JsonPath): string[] {
  const value = getAt(root, path);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// ------------------------------------------------------------------ tags

export function tagsField(field: TagsField, ctx: FormContext): Control {
  const frame = fieldFrame(field, 'label');
  const key = pathKey(field.path);
  const hintId = uniqueId('hint');
  const list = h('ul', { class: 'tag-list', 'aria-label': `${field.label}: tags` });
  const input = h('input', {
    id: frame.inputId, type: 'text', class: 'tag-input', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Add a tag…', [FOCUS_ATTR]: `${key}#input`, [PRIMARY_ATTR]: true,
    'aria-required': field.required ? 'true' : undefined,
    'aria-describedby': [hintId, ...frame.describedBy].join(' '),
  });
  frame.place(
    h('div', { class: 'tags' }, list, input),
    h('p', { id: hintId, class: 'visually-hidden' }, 'Enter or comma adds a tag; Backspace in the empty box removes the last one.'),
  );

  const tags = () => stringsAt(ctx.current(), field.path);
  const commit = (text: string): void => {
    const existing = tags();
    const added = text.split(',').map((t) => t.trim()).filter((t, i, all) => t !== '' && !existing.includes(t) && all.indexOf(t) === i);
    if (added.length > 0) ctx.edit(field.path, { value: [...existing, ...added] });
  };
  const remove = (index: number): void => {
    const next = tags().filter((_, i) => i !== index);
    // The chip that takes this one's place, else the box.
    ctx.requestFocus(`${key}#remove:${index < next.length ? index : index - 1}`, `${key}#input`);
    ctx.edit(field.path, { value: next });
  };

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      commit(input.value);
      input.value = '';
    } else if (event.key === 'Backspace' && input.value === '' && tags().length > 0) {
      event.preventDefault();
      ctx.edit(field.path, { value: tags().slice(0, -1) });
    }
  });
  input.addEventListener('input', () => {
    // A pasted "a, b, c": everything before the last comma becomes tags.
    const cut = input.value.lastIndexOf(',');
    if (cut < 0) return;
    commit(input.value.slice(0, cut));
    input.value = input.value.slice(cut + 1).trimStart();
  });
  input.addEventListener('blur', () => {
    if (input.value.trim() === '') return;
    commit(input.value);
    input.value = '';
  });

  let shown: string[] | undefined;
  return {
    element: frame.element,
    update(root) {
      const value = stringsAt(root, field.path);
      if (shown && jsonEqual(shown, value)) return;
      shown = value;
      replaceChildren(list, ...value.map((tag, i) => {
        const button = h('button', { type: 'button', class: 'tag-remove', 'aria-label': `Remove tag ${tag}`, [FOCUS_ATTR]: `${key}#remove:${i}` }, '×');
        button.addEventListener('click', () => remove(i));
        return h('li', { class: 'tag' }, h('span', { class: 'tag-text' }, tag), button);
      }));
    },
  };
}

// ------------------------------------------------------------------ tables

export function tableField(field: TableField, ctx: FormContext): Control {
  const frame = fieldFrame(field, 'fieldset');
  const key = pathKey(field.path);
  const columns = field.columns;
  const columnHelp = columns.map((column) => (column.description !== undefined ? h('span', { id: uniqueId('help'), class: 'visually-hidden' }, column.description) : null));
  const head = h('tr', {},
    ...columns.map((column, c) => h('th', { scope: 'col' },
      column.label,
      column.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
      h('code', { class: 'json-key', 'aria-hidden': 'true' }, column.key),
      columnHelp[c] ?? null)),
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Row actions')));

  const rows = (): unknown[] => {
    const value = getAt(ctx.current(), field.path);
    return Array.isArray(value) ? (value as unknown[]) : [];
  };
  const addRow = (): void => {
    ctx.debouncer.flushAll();
    const current = rows();
    const first = columns.find((c) => c.kind !== 'json');
    ctx.requestFocus(first ? pathKey([...field.path, current.length, first.key]) : `${key}#add`, `${key}#add`);
    ctx.edit(field.path, { value: [...current, { ...field.newRow }] });
  };
  const removeRow = (index: number): void => {
    ctx.debouncer.flushAll();
    const next = rows().filter((_, i) => i !== index);
    ctx.requestFocus(pathKey([...field.path, index < next.length ? index : index - 1]) + '#remove', `${key}#add`);
    ctx.edit(field.path, { value: next });
  };

  const cells: Control[] = [];
  const body = h('tbody', {}, ...Array.from({ length: field.rowCount }, (_, row) => {
    const rowPath = [...field.path, row];
    const tds = columns.map((column, c) => {
      const cellField = { ...column, path: [...rowPath, ...column.path] };
      const label = `${column.label} (row ${row + 1})`;
      const messages = messagesBox();
      const help = columnHelp[c];
      const control = createLeaf(cellField, ctx, { id: uniqueId('input'), ariaLabel: label, describedBy: [help?.id, messages.id].filter((id): id is string => id !== undefined) });
      cells.push(control);
      return h('td', slotAttributes(cellField.path, label, messages.id), control.element, messages);
    });
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove row ${row + 1}`, [FOCUS_ATTR]: `${pathKey(rowPath)}#remove` }, 'Remove');
    remove.addEventListener('click', () => removeRow(row));
    const rowMessages = messagesBox();
    return h('tr', slotAttributes(rowPath, `${field.label} (row ${row + 1})`, rowMessages.id), ...tds, h('td', { class: 'row-actions' }, remove, rowMessages));
  }));
  const add = h('button', { type: 'button', class: 'secondary', [FOCUS_ATTR]: `${key}#add`, [PRIMARY_ATTR]: true }, 'Add row');
  add.addEventListener('click', addRow);
  frame.place(
    h('div', { class: 'grid-scroll' }, h('table', { class: 'grid', 'aria-labelledby': frame.labelId }, h('thead', {}, head), body)),
    field.rowCount === 0 ? h('p', { class: 'empty' }, 'No rows yet.') : null,
    add,
  );
  return { element: frame.element, update: (root) => { for (const cell of cells) cell.update(root); } };
}

// ------------------------------------------------------------------ maps

export function mapField(field: MapField, ctx: FormContext): Control {
  const frame = fieldFrame(field, 'fieldset');
  const key = pathKey(field.path);
  const object = (): Record<string, unknown> => {
    const value = getAt(ctx.current(), field.path);
    return isPlainObject(value) ? value : {};
  };
  const keyAt = (index: number) => stringEntries(object())[index]?.[0];
  const send = (next: Record<string, unknown>) => ctx.edit(field.path, { value: next });

  const rows = Array.from({ length: field.entryCount }, (_, index) => mapRow(index));
  const add = h('button', { type: 'button', class: 'secondary', [FOCUS_ATTR]: `${key}#add`, [PRIMARY_ATTR]: true }, 'Add entry');
  add.addEventListener('click', () => {
    ctx.debouncer.flushAll();
    const current = object();
    let name = 'key';
    for (let n = 2; Object.hasOwn(current, name); n++) name = `key${n}`;
    ctx.requestFocus(`${key}#key:${stringEntries(current).length}`);
    send({ ...current, [name]: '' });
  });
  const nested = field.nested.map((child) => ctx.render(child));
  frame.place(
    field.entryCount > 0
      ? h('div', { class: 'grid-scroll' }, h('table', { class: 'grid', 'aria-labelledby': frame.labelId },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Row actions')))),
        h('tbody', {}, ...rows.map((r) => r.element))))
      : h('p', { class: 'empty' }, 'No entries yet.'),
    add,
    ...nested.map((n) => n.element),
  );

  function mapRow(index: number): Control {
    const focusBase = `${key}#`;
    const error = h('div', { id: uniqueId('error'), class: 'local-error' });
    const keyInput = h('input', {
      type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-label': `Key (entry ${index + 1})`,
      [FOCUS_ATTR]: `${focusBase}key:${index}`, 'aria-describedby': error.id,
    });
    const valueInput = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', [FOCUS_ATTR]: `${focusBase}value:${index}`, [PRIMARY_ATTR]: true });
    const valueMessages = messagesBox();
    valueInput.setAttribute('aria-describedby', valueMessages.id);
    const valueCell = h('td', {}, valueInput, valueMessages);
    // A value that names a column (column_mapping.timestamp, ids.userID) offers the query's output
    // columns; the key can change under it, so it is asked each time the list opens.
    if (ctx.columnsFor) {
      const columnsFor = ctx.columnsFor.bind(ctx);
      attachColumnPicker(valueInput, () => {
        const name = keyAt(index);
        return name === undefined || name === '' ? undefined : columnsFor([...field.path, name]);
      });
    }
    const remove = h('button', { type: 'button', class: 'secondary', [FOCUS_ATTR]: `${focusBase}remove:${index}` }, 'Remove');

    const rename = (): void => {
      const before = keyAt(index);
      const after = keyInput.value;
      if (before === undefined || after === before) return showError('');
      if (after === '') return showError('A key cannot be empty.');
      if (Object.hasOwn(object(), after)) return showError(`“${after}” is already a key here.`);
      showError('');
      // Same position, new name: the object is rebuilt in order.
      send(Object.fromEntries(Object.entries(object()).map(([k, v]) => [k === before ? after : k, v])));
    };
    const showError = (message: string): void => {
      replaceChildren(error, message === '' ? null : h('p', { class: 'message message--error', role: 'alert' }, message));
      if (message === '') keyInput.removeAttribute('aria-invalid');
      else keyInput.setAttribute('aria-invalid', 'true');
    };
    keyInput.addEventListener('input', () => ctx.debouncer.schedule(`${focusBase}key:${index}`, rename));
    keyInput.addEventListener('blur', () => ctx.debouncer.flush(`${focusBase}key:${index}`));
    valueInput.addEventListener('input', () => ctx.debouncer.schedule(`${focusBase}value:${index}`, () => {
      const name = keyAt(index);
      if (name !== undefined) ctx.edit([...field.path, name], { value: valueInput.value });
    }));
    valueInput.addEventListener('blur', () => ctx.debouncer.flush(`${focusBase}value:${index}`));
    remove.addEventListener('click', () => {
      ctx.debouncer.flushAll();
      const name = keyAt(index);
      if (name === undefined) return;
      ctx.requestFocus(index + 1 < field.entryCount ? `${focusBase}remove:${index}` : `${focusBase}remove:${index - 1}`, `${key}#add`);
      send(Object.fromEntries(Object.entries(object()).filter(([k]) => k !== name)));
    });
    return {
      element: h('tr', {}, h('td', {}, keyInput, error), valueCell, h('td', { class: 'row-actions' }, remove)),
      update(root) {
        const [name, value] = stringEntries(getAt(root, field.path))[index] ?? ['', ''];
        if (!ctx.debouncer.isPending(`${focusBase}key:${index}`)) setInputValue(keyInput, name);
        if (!ctx.debouncer.isPending(`${focusBase}value:${index}`)) setInputValue(valueInput, value);
        const entry = name || `entry ${index + 1}`;
        valueInput.setAttribute('aria-label', `Value of ${entry}`);
        remove.setAttribute('aria-label', `Remove ${entry}`);
        // Diagnostics on `path.key` land in this cell; the key can change under it.
        setAttributes(valueCell, slotAttributes([...field.path, name], `${field.label}: ${name}`, valueMessages.id));
      },
    };
  }

  return {
    element: frame.element,
    update(root) {
      for (const row of rows) row.update(root);
      for (const child of nested) child.update(root);
    },
  };
}
