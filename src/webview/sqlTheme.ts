// CodeMirror's look, from VS Code's theme variables only, so light, dark and high-contrast themes
// apply without a reload. VS Code does not expose syntax token colours to webviews; the debug
// console's token colours (which every built-in theme defines) are the closest, with the Dark+
// colours as fallbacks.
import { HighlightStyle } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
// @lezer/highlight ships with @codemirror/language (the tag set every CodeMirror language uses).
import { tags as t } from '@lezer/highlight';

const v = (name: string, fallback: string) => `var(--vscode-${name}, ${fallback})`;

export const vscodeHighlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier, t.controlKeyword], color: v('debugTokenExpression-name', '#c586c0') },
  { tag: [t.string, t.special(t.string)], color: v('debugTokenExpression-string', '#ce9178') },
  { tag: [t.number, t.integer, t.float], color: v('debugTokenExpression-number', '#b5cea8') },
  { tag: [t.bool, t.null, t.atom], color: v('debugTokenExpression-boolean', '#4e94ce') },
  { tag: [t.typeName, t.standard(t.name)], color: v('symbolIcon-classForeground', '#4ec9b0') },
  { tag: [t.special(t.name), t.special(t.variableName)], color: v('debugTokenExpression-value', '#9cdcfe') },
  { tag: [t.lineComment, t.blockComment, t.comment], color: v('descriptionForeground', '#6a9955'), fontStyle: 'italic' },
  { tag: t.invalid, color: v('errorForeground', '#f48771') },
]);

const underline = (color: string) => ({ textDecoration: `underline wavy ${color}`, textUnderlineOffset: '3px', backgroundImage: 'none' });

export const vscodeEditorTheme = EditorView.theme({
  '&': {
    color: v('editor-foreground', 'inherit'),
    backgroundColor: v('editor-background', 'transparent'),
    border: `1px solid ${v('input-border', v('panel-border', 'transparent'))}`,
    fontSize: v('editor-font-size', '13px'),
    maxHeight: '60vh',
  },
  '&.cm-focused': { outline: `1px solid ${v('focusBorder', 'Highlight')}`, outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: v('editor-font-family', 'monospace'), lineHeight: '1.5', overflow: 'auto' },
  '.cm-content': { caretColor: v('editorCursor-foreground', 'currentColor'), minHeight: '6em' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: v('editorCursor-foreground', 'currentColor') },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: v('editor-selectionBackground', '#264f78'),
  },
  '.cm-activeLine': { backgroundColor: v('editor-lineHighlightBackground', 'transparent') },
  '.cm-gutters': {
    backgroundColor: v('editorGutter-background', v('editor-background', 'transparent')),
    color: v('editorLineNumber-foreground', 'inherit'),
    border: 'none',
  },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: v('editorLineNumber-activeForeground', 'inherit') },
  '.cm-matchingBracket': { backgroundColor: v('editorBracketMatch-background', 'transparent'), outline: `1px solid ${v('editorBracketMatch-border', 'transparent')}` },
  '.cm-tooltip': {
    backgroundColor: v('editorHoverWidget-background', 'Canvas'),
    color: v('editorHoverWidget-foreground', 'CanvasText'),
    border: `1px solid ${v('editorHoverWidget-border', 'GrayText')}`,
  },
  // Statsig macros: their own colour (VS Code's "constant" symbol colour), bold, whatever the token around them.
  '.cm-statsig-macro': { color: v('symbolIcon-constantForeground', '#4fc1ff'), fontWeight: 'bold' },
  '.cm-statsig-macro *': { color: 'inherit' },
  // Completion: VS Code's suggest widget colours.
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: v('editor-font-family', 'monospace') },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    backgroundColor: v('editorSuggestWidget-selectedBackground', v('list-activeSelectionBackground', '#04395e')),
    color: v('editorSuggestWidget-selectedForeground', v('list-activeSelectionForeground', 'inherit')),
  },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: 'bold', color: v('editorSuggestWidget-highlightForeground', '#2aaaff') },
  '.cm-completionDetail': { color: v('descriptionForeground', 'GrayText'), fontStyle: 'normal', marginLeft: '1em' },
  '.cm-lintRange-error': underline(v('editorError-foreground', '#f14c4c')),
  '.cm-lintRange-warning': underline(v('editorWarning-foreground', '#cca700')),
  '.cm-lintRange-info': underline(v('editorInfo-foreground', '#3794ff')),
  '.cm-diagnostic-error': { borderLeftColor: v('editorError-foreground', '#f14c4c') },
  '.cm-diagnostic-warning': { borderLeftColor: v('editorWarning-foreground', '#cca700') },
  '.cm-diagnostic-info': { borderLeftColor: v('editorInfo-foreground', '#3794ff') },
  // Find and replace: VS Code's find widget colours (editorWidget, input, button, findMatch).
  '.cm-panels': {
    backgroundColor: v('editorWidget-background', 'Canvas'),
    color: v('editorWidget-foreground', v('foreground', 'CanvasText')),
    fontFamily: v('font-family', 'system-ui, sans-serif'),
  },
  '.cm-panels-top': { borderBottom: `1px solid ${v('editorWidget-border', v('widget-border', 'transparent'))}` },
  '.cm-panels-bottom': { borderTop: `1px solid ${v('editorWidget-border', v('widget-border', 'transparent'))}` },
  '.cm-textfield': {
    color: v('input-foreground', 'inherit'),
    backgroundColor: v('input-background', 'transparent'),
    border: `1px solid ${v('input-border', 'transparent')}`,
    borderRadius: '2px',
    padding: '2px 4px',
    fontSize: 'inherit',
  },
  '.cm-textfield::placeholder': { color: v('input-placeholderForeground', 'GrayText') },
  '.cm-textfield:focus': { outline: `1px solid ${v('focusBorder', 'Highlight')}`, outlineOffset: '-1px' },
  '.cm-button': {
    color: v('button-secondaryForeground', 'inherit'),
    backgroundColor: v('button-secondaryBackground', 'transparent'),
    backgroundImage: 'none',
    border: `1px solid ${v('button-border', 'transparent')}`,
    borderRadius: '2px',
    padding: '2px 8px',
    fontSize: 'inherit',
  },
  '.cm-button:hover': { backgroundColor: v('button-secondaryHoverBackground', 'transparent') },
  '.cm-button:active': { backgroundImage: 'none' },
  '.cm-panel.cm-search label': { fontSize: '90%', color: v('editorWidget-foreground', 'inherit') },
  '.cm-panel.cm-search [name=close]': { color: v('icon-foreground', 'inherit'), fontSize: '120%', cursor: 'pointer' },
  '.cm-searchMatch': {
    backgroundColor: v('editor-findMatchHighlightBackground', '#ea5c0055'),
    outline: `1px solid ${v('editor-findMatchHighlightBorder', 'transparent')}`,
  },
  '.cm-searchMatch.cm-searchMatch-selected': {
    backgroundColor: v('editor-findMatchBackground', '#515c6a'),
    outline: `1px solid ${v('editor-findMatchBorder', 'transparent')}`,
  },
  '.cm-selectionMatch': { backgroundColor: v('editor-selectionHighlightBackground', '#add6ff26') },
});
