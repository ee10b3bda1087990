// Everything around the form: the toolbar, the status line, the "JSON is not valid" banner and the
// read-only panels the host sends (ingestion schedule, latest runs).
import type { EditorCommand, ExtrasSection, InitMessage, StatusMessage } from '../shared/editorProtocol.ts';
import { h, replaceChildren, uniqueId } from './dom.ts';
import { humanize } from './formModel.ts';

export function toolbar(init: InitMessage, onCommand: (command: EditorCommand) => void): HTMLElement {
  const button = (command: EditorCommand, label: string, title: string, primary = false) => {
    const b = h('button', { type: 'button', class: primary ? 'primary' : 'secondary', title, 'data-command': command }, label);
    b.addEventListener('click', () => onCommand(command));
    return b;
  };
  return h('header', { class: 'toolbar' },
    h('div', { class: 'toolbar-title' },
      h('h1', {}, init.title),
      h('span', { class: 'badge' }, humanize(init.kind)),
      init.isNew ? h('span', { class: 'badge badge--new' }, 'new') : null),
    h('div', { class: 'toolbar-actions', role: 'toolbar', 'aria-label': 'Source actions' },
      button('save', 'Save', init.capabilities.dryRun ? 'Save the draft and validate it (schema, SQL checks, Statsig dry run)' : 'Save the draft and validate it locally', true),
      // Always offered: the host decides whether a push can go ahead (and says why not).
      button('push', 'Push', 'Publish this source to Statsig (shows the diff first)'),
      button('openAsText', 'Open as JSON', 'Open the source in the text editor')));
}

export class StatusLine {
  readonly element = h('p', { class: 'status status--idle', role: 'status', 'aria-live': 'polite' });

  show(status: Pick<StatusMessage, 'tone' | 'text'>): void {
    this.element.className = `status status--${status.tone}`;
    this.element.setAttribute('aria-busy', status.tone === 'busy' ? 'true' : 'false');
    this.element.textContent = status.text;
  }
}

export class InvalidBanner {
  readonly element: HTMLElement;
  readonly #text = h('p', {});

  constructor(onOpenAsText: () => void) {
    const open = h('button', { type: 'button', class: 'primary' }, 'Open as JSON');
    open.addEventListener('click', onOpenAsText);
    this.element = h('div', { class: 'banner banner--error', role: 'alert', hidden: true }, this.#text, open);
  }

  show(message: string | undefined): void {
    this.element.hidden = message === undefined;
    this.#text.textContent = message ?? '';
  }
}

export class ExtrasPanel {
  readonly element = h('div', { class: 'extras' });

  show(sections: readonly ExtrasSection[]): void {
    replaceChildren(this.element, ...sections.map((section) => {
      const headingId = uniqueId('heading');
      return h('section', { class: 'extras-section', 'aria-labelledby': headingId },
        h('h2', { id: headingId }, section.title),
        section.rows.length === 0
          ? h('p', { class: 'empty' }, 'Nothing to show.')
          : h('dl', {}, ...section.rows.flatMap((row) => [h('dt', {}, row.label), h('dd', {}, row.value)])));
    }));
  }
}
