// Open as JSON: the mapped column fields (the kind descriptor's `mappedColumns`) complete the
// query's output columns, and hovering one's value shows that column's expression from the SQL.
// The SQL is analysed in the project's dialect; the parser loads on first use (the validator
// configures where its WebAssembly is; nothing is read at activation). The pure part is
// src/core/columnCompletion.ts.
import * as vscode from 'vscode';
import { SOURCE_SCHEME } from '../../constants.ts';
import { codeBlock, columnHoverAt, columnHoverMarkdown, columnSlotAt, outputColumnChoices } from '../../core/columnCompletion.ts';
import type { Feature } from '../services.ts';
import { parseSourceUri } from './uris.ts';

const SELECTOR: vscode.DocumentSelector = { scheme: SOURCE_SCHEME, language: 'json' };

/** Server and user text as a code block only: never a link, a command or HTML. */
function untrusted(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

const oneLine = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
};

export const registerColumnCompletion: Feature = ({ connections }) => vscode.Disposable.from(
  vscode.languages.registerCompletionItemProvider(SELECTOR, {
    provideCompletionItems(document, position) {
      const parsed = parseSourceUri(document.uri);
      if (!parsed) return undefined;
      const text = document.getText();
      const slot = columnSlotAt(parsed.ref.kind, text, document.offsetAt(position));
      if (!slot) return undefined;
      const choices = outputColumnChoices(parsed.ref.kind, text, connections.dialectOf(parsed.projectId));
      if (choices.length === 0) return undefined;
      const range = slot.replace ? new vscode.Range(document.positionAt(slot.replace.start), document.positionAt(slot.replace.end)) : undefined;
      return choices.map((c, i) => {
        const item = new vscode.CompletionItem(c.name, vscode.CompletionItemKind.Field);
        item.insertText = JSON.stringify(c.name);
        // The filter matches what is typed inside the quotes, the quote included.
        item.filterText = JSON.stringify(c.name);
        item.detail = c.expression === c.name ? 'Column of this query' : oneLine(c.expression);
        item.documentation = untrusted().appendMarkdown(codeBlock(c.expression, 'sql'));
        item.sortText = String(i).padStart(4, '0');
        if (range) item.range = range;
        return item;
      });
    },
  }, '"'),
  vscode.languages.registerHoverProvider(SELECTOR, {
    provideHover(document, position) {
      const parsed = parseSourceUri(document.uri);
      if (!parsed) return undefined;
      const hover = columnHoverAt(parsed.ref.kind, document.getText(), document.offsetAt(position), connections.dialectOf(parsed.projectId));
      if (!hover) return undefined;
      const md = untrusted().appendMarkdown(columnHoverMarkdown(hover));
      return new vscode.Hover(md, new vscode.Range(document.positionAt(hover.range.start), document.positionAt(hover.range.end)));
    },
  }),
);
