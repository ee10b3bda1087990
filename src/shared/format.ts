// Words and numbers shown to people, in one place so the status line, the webview's problems box,
// push prompts and the ingestion panels say the same thing the same way. Pure (no DOM, no
// `vscode`): the host and the webview both use it, and it is unit-tested in plain Node.

/** "1 problem", "2 problems"; `pluralForm` for nouns that do not just take an "s". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';
const SEVERITY_NOUNS: readonly (readonly [ProblemSeverity, string])[] = [['error', 'error'], ['warning', 'warning'], ['info', 'info']];

/**
 * How many problems a list holds, counting every item the person is shown: "1 problem",
 * "3 problems", and when severities are mixed "3 problems (2 errors, 1 warning)". The status line
 * and the problems box must both call this with the same list, so they never disagree.
 */
export function problemCount(items: readonly { readonly severity: ProblemSeverity }[]): string {
  const total = plural(items.length, 'problem');
  const parts = SEVERITY_NOUNS
    .map(([severity, noun]) => [items.filter((i) => i.severity === severity).length, noun] as const)
    .filter(([n]) => n > 0);
  return parts.length > 1 ? `${total} (${parts.map(([n, noun]) => plural(n, noun, noun === 'info' ? 'infos' : undefined)).join(', ')})` : total;
}
