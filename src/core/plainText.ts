// Text that reaches VS Code's notifications, progress titles, status bar and markdown tooltips is
// rendered, not just shown: a notification turns `[label](command:id?args)` into a link that runs
// any command, and the status bar turns `$(name)` into an icon. Source names, the server's
// `message` and `errors[].errorMessage` can hold either, so every such string passes through
// `plainText` on its way out (src/platform/notify.ts). Pure, so it is unit- and fuzz-tested.

/** Zero-width space: invisible, and enough to break the link and icon syntaxes. */
const ZWSP = '\u200B';

/** The longest text a notification shows; a server can send megabytes. */
export const MAX_NOTIFICATION_CHARS = 2_000;

/**
 * The text with every link (`](`, autolink `<…:…>`) and icon (`$(`) syntax broken by an invisible
 * character, control characters (other than newline and tab) removed, and bounded in length.
 * Visible characters are unchanged.
 */
export function plainText(text: string, maxChars = MAX_NOTIFICATION_CHARS): string {
  const bounded = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  let out = '';
  for (let i = 0; i < bounded.length; i++) {
    const c = bounded[i] as string;
    const code = c.charCodeAt(0);
    if ((code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f) continue;
    if (c === '(' && (bounded[i - 1] === ']' || bounded[i - 1] === '$')) out += ZWSP;
    if (c === '<') out += `<${ZWSP}`;
    else out += c;
  }
  return out;
}
