// A unified line diff (the `diff -u` format) of two texts, for the CLI's plan: what push would
// change in a source's files, Statsig's version → the files. The longest common subsequence is
// node-diff3's (already the merge's); this only groups its changes into hunks with context.
import { diffIndices } from 'node-diff3';

export interface UnifiedDiffOptions {
  /** The `---` and `+++` labels. */
  readonly from: string;
  readonly to: string;
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
}

/** Marks a last line without a final newline, so that it differs from the same line with one. */
const NO_EOL = '\u0000';

/** Lines of a text; a final newline ends the last line rather than starting an empty one. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

const printed = (mark: string, line: string) => (line.endsWith(NO_EOL) ? `${mark}${line.slice(0, -1)}\n\\ No newline at end of file\n` : `${mark}${line}\n`);
const range = (start: number, length: number) => (length === 1 ? `${start + 1}` : `${length === 0 ? start : start + 1},${length}`);

/** `''` when the texts are equal; else the unified diff, each line ending with `\n`; a missing final newline is marked as diff(1) marks it. */
export function unifiedDiff(a: string, b: string, options: UnifiedDiffOptions): string {
  if (a === b) return '';
  const context = options.context ?? 3;
  const la = linesOf(a);
  const lb = linesOf(b);
  const changes = diffIndices(la, lb);
  const out: string[] = [`--- ${options.from}\n`, `+++ ${options.to}\n`];
  let i = 0;
  while (i < changes.length) {
    // Changes whose context would touch go into one hunk.
    let j = i;
    for (;;) {
      const cur = changes[j];
      const next = changes[j + 1];
      if (!cur || !next || next.buffer1[0] - (cur.buffer1[0] + cur.buffer1[1]) > 2 * context) break;
      j++;
    }
    const first = changes[i];
    const last = changes[j];
    if (!first || !last) break;
    const startA = Math.max(0, first.buffer1[0] - context);
    const startB = startA + first.buffer2[0] - first.buffer1[0];
    const endA = Math.min(la.length, last.buffer1[0] + last.buffer1[1] + context);
    const endB = endA + (last.buffer2[0] + last.buffer2[1]) - (last.buffer1[0] + last.buffer1[1]);
    const body: string[] = [];
    let pa = startA;
    for (let k = i; k <= j; k++) {
      const c = changes[k];
      if (!c) continue;
      for (; pa < c.buffer1[0]; pa++) body.push(printed(' ', la[pa] ?? ''));
      for (let x = c.buffer1[0]; x < c.buffer1[0] + c.buffer1[1]; x++) body.push(printed('-', la[x] ?? ''));
      for (let y = c.buffer2[0]; y < c.buffer2[0] + c.buffer2[1]; y++) body.push(printed('+', lb[y] ?? ''));
      pa = c.buffer1[0] + c.buffer1[1];
    }
    for (; pa < endA; pa++) body.push(printed(' ', la[pa] ?? ''));
    out.push(`@@ -${range(startA, endA - startA)} +${range(startB, endB - startB)} @@\n`, ...body);
    i = j + 1;
  }
  return out.join('');
}
