// sqlparser-rs counts positions as 1-based lines (split at \n only) and 1-based columns in Unicode
// code points (a tab is one column, an emoji one). JavaScript strings count UTF-16 code units.
// This converts, in O(log lines) per position when the line has no character outside the BMP.

export class CodePointLines {
  readonly #text: string;
  readonly #starts: number[] = [0];
  /** Whether the text holds any surrogate pair at all (else a column is an offset). */
  readonly #astral: boolean;

  constructor(text: string) {
    this.#text = text;
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.#starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.#astral = /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text);
  }

  /** The UTF-16 offset of (line, column), clamped to the text. */
  offset(line: number, column: number): number {
    const text = this.#text;
    const index = Math.min(Math.max(1, Math.trunc(line)), this.#starts.length) - 1;
    const start = this.#starts[index] ?? 0;
    const end = index + 1 < this.#starts.length ? (this.#starts[index + 1] ?? text.length) - 1 : text.length;
    const steps = Math.max(0, Math.trunc(column) - 1);
    if (!this.#astral) return Math.min(start + steps, end);
    let at = start;
    for (let k = 0; k < steps && at < end; k++) at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
    return Math.min(at, end);
  }
}
