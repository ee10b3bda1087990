// The host's diagnostics, shown next to the field they are about and listed in a summary at the
// top. An item goes to the deepest rendered field whose path is a prefix of its path; SQL items with
// a range also become CodeMirror lint marks.
import type { SourceDiagnostic, SqlProblemItem } from '../shared/editorProtocol.ts';
import { problemCount, problemCountOf, type ProblemCounts } from '../shared/format.ts';
import { formatPath, isPathPrefix, pathKey } from '../shared/jsonPath.ts';
import { h, replaceChildren } from './dom.ts';
import { LABEL_ATTR, MESSAGES_ATTR, PATH_ATTR, PRIMARY_ATTR } from './formContext.ts';
import type { SqlField } from './sqlField.ts';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' } as const;

export class DiagnosticsView {
  /** The summary ("2 problems (1 error, 1 warning)", worded as the status line words it) with one button per item. */
  readonly element = h('nav', { class: 'problems', 'aria-label': 'Problems', hidden: true });
  readonly #scope: HTMLElement;
  readonly #sql: () => SqlField | undefined;
  #items: readonly SourceDiagnostic[] = [];
  #counts: ProblemCounts | undefined;
  /** Problems of the SQL as typed since the last validation; shown in the SQL editor in place of the validation's. */
  #typing: readonly SqlProblemItem[] | undefined;

  constructor(scope: HTMLElement, sql: () => SqlField | undefined) {
    this.#scope = scope;
    this.#sql = sql;
  }

  /** `counts`: the host's count of all problems (a capped list leaves some out); else the items are counted. */
  set(items: readonly SourceDiagnostic[], counts?: ProblemCounts): void {
    this.#items = items;
    this.#counts = counts;
    this.refresh();
  }

  /**
   * The typing analysis of the SQL as it is now (undefined: the text is the one the last validation
   * saw, so its problems stand). Only the SQL editor's marks change; the list keeps the saved version's.
   */
  setTyping(problems: readonly SqlProblemItem[] | undefined): void {
    this.#typing = problems;
    const sql = this.#sql();
    if (sql) sql.editor.setDiagnostics(this.#editorItems(sql));
  }

  #editorItems(sql: SqlField): readonly SourceDiagnostic[] {
    if (!this.#typing) return this.#items;
    return this.#typing.map((p) => ({ path: [...sql.path], message: p.message, severity: p.severity, sqlRange: { from: p.from, to: p.to } }));
  }

  /** Re-applies the current items (after the form was re-rendered). */
  refresh(): void {
    const slots = this.#slots();
    for (const slot of slots.values()) {
      const messages = this.#messagesOf(slot);
      if (messages) replaceChildren(messages);
      this.#primaryOf(slot)?.removeAttribute('aria-invalid');
    }
    const sql = this.#sql();
    if (sql) sql.editor.setDiagnostics(this.#editorItems(sql));
    const entries = this.#items.map((item) => {
      const slot = this.#slotFor(item, slots);
      const line = item.sqlRange && sql && this.#isSql(item, sql) ? sql.editor.lineAt(item.sqlRange.from) : undefined;
      const text = line !== undefined ? `Line ${line}: ${item.message}` : item.message;
      if (slot) {
        this.#messagesOf(slot)?.append(h('p', { class: `message message--${item.severity}` },
          h('span', { class: 'severity' }, `${SEVERITY_LABEL[item.severity]}: `), text));
        if (item.severity !== 'info') this.#primaryOf(slot)?.setAttribute('aria-invalid', 'true');
      }
      const label = slot?.getAttribute(LABEL_ATTR) ?? (formatPath(item.path) || 'Source');
      const button = h('button', { type: 'button', class: `problem problem--${item.severity}` },
        h('span', { class: 'severity' }, `${SEVERITY_LABEL[item.severity]}: `), `${label} — ${text}`);
      button.addEventListener('click', () => this.#focus(item));
      return h('li', {}, button);
    });
    this.element.hidden = entries.length === 0;
    replaceChildren(this.element,
      h('p', { class: 'problems-count' }, this.#counts ? problemCountOf(this.#counts) : problemCount(this.#items)),
      h('ul', {}, ...entries));
  }

  #isSql(item: SourceDiagnostic, sql: SqlField): boolean {
    return isPathPrefix(sql.path, item.path);
  }

  #slots(): Map<string, HTMLElement> {
    const slots = new Map<string, HTMLElement>();
    for (const slot of this.#scope.querySelectorAll<HTMLElement>(`[${PATH_ATTR}]`)) slots.set(slot.getAttribute(PATH_ATTR) ?? '', slot);
    return slots;
  }

  #slotFor(item: SourceDiagnostic, slots: ReadonlyMap<string, HTMLElement>): HTMLElement | undefined {
    for (let length = item.path.length; length >= 0; length--) {
      const slot = slots.get(pathKey(item.path.slice(0, length)));
      if (slot) return slot;
    }
    return undefined;
  }

  #messagesOf(slot: HTMLElement): HTMLElement | undefined {
    const id = slot.getAttribute(MESSAGES_ATTR);
    return (id !== null ? slot.querySelector<HTMLElement>(`[id="${id}"]`) : null) ?? undefined;
  }

  /** The slot's own control (not one of a nested field's). */
  #primaryOf(slot: HTMLElement): HTMLElement | undefined {
    for (const candidate of slot.querySelectorAll<HTMLElement>(`[${PRIMARY_ATTR}]`)) {
      if (candidate.closest(`[${PATH_ATTR}]`) === slot) return candidate;
    }
    return undefined;
  }

  /** Takes the person to the item's field (looked up again: the form may have been re-rendered). */
  #focus(item: SourceDiagnostic): void {
    const sql = this.#sql();
    if (sql && this.#isSql(item, sql)) {
      sql.editor.focus(item.sqlRange);
      sql.element.scrollIntoView({ block: 'nearest' });
      return;
    }
    const slot = this.#slotFor(item, this.#slots());
    if (!slot) return;
    const target = this.#primaryOf(slot) ?? slot;
    if (!target.hasAttribute('tabindex') && !target.matches('input, select, textarea, button, [contenteditable]')) target.tabIndex = -1;
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }
}
