// Completion of `idTypeMapping[].statsigUnitID` in Open as JSON: the project's unit ID types.
import * as vscode from 'vscode';
import { SOURCE_SCHEME } from '../../constants.ts';
import { unitIdSlotAt } from '../../core/unitIdCompletion.ts';
import type { Feature } from '../services.ts';
import { parseSourceUri } from './uris.ts';

export const registerUnitIdCompletion: Feature = ({ connections }) => vscode.languages.registerCompletionItemProvider({ scheme: SOURCE_SCHEME, language: 'json' }, {
  async provideCompletionItems(document, position) {
    const parsed = parseSourceUri(document.uri);
    if (!parsed || !connections.current.some((p) => p.id === parsed.projectId)) return undefined;
    const slot = unitIdSlotAt(document.getText(), document.offsetAt(position));
    if (!slot) return undefined;
    const types = await connections.unitIdTypes(parsed.projectId);
    if (!types) return undefined;
    const range = slot.replace ? new vscode.Range(document.positionAt(slot.replace.start), document.positionAt(slot.replace.end)) : undefined;
    return types.map((name, i) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.EnumMember);
      item.insertText = JSON.stringify(name);
      item.detail = 'Unit ID type of this Statsig project';
      item.sortText = String(i).padStart(4, '0');
      if (range) item.range = range;
      return item;
    });
  },
}, '"');
