// Parser diagnostics while typing: the SQL is sent to the host a moment after the typing pauses,
// and only the answer to the latest request, about the text still in the editor, is used. Its
// problems replace the last validation's marks in the SQL editor once the text differs from the
// one that validation saw; the next validation (a save) replaces them again.

export const ANALYSIS_DELAY_MS = 350;

export interface AnalysisVerdict {
  /** The answer's problems are about a text the last validation did not see: show them. */
  readonly showProblems: boolean;
}

export class TypingAnalysis {
  readonly #send: (seq: number, sql: string) => void;
  readonly #delay: number;
  #seq = 0;
  #sent: { readonly seq: number; readonly text: string } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The SQL text when the last validation's diagnostics arrived (undefined: none yet). */
  #validated: string | undefined;

  constructor(send: (seq: number, sql: string) => void, delayMs = ANALYSIS_DELAY_MS) {
    this.#send = send;
    this.#delay = delayMs;
  }

  /** The SQL text changed: analyse it once the typing pauses. */
  changed(text: string): void {
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#seq++;
      this.#sent = { seq: this.#seq, text };
      this.#send(this.#seq, text);
    }, this.#delay);
  }

  /** A validation's diagnostics arrived while the editor held `text`: they stand for that text. */
  validated(text: string): void {
    this.#validated = text;
  }

  /** What to do with the answer to request `seq` while the editor holds `current`; undefined: stale, ignore it. */
  accept(seq: number, current: string): AnalysisVerdict | undefined {
    const sent = this.#sent;
    if (!sent || seq !== sent.seq || sent.text !== current) return undefined;
    return { showProblems: sent.text !== this.#validated };
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A new document (init): forget the last one's validation and requests. */
  reset(): void {
    this.cancel();
    this.#sent = undefined;
    this.#validated = undefined;
  }
}
