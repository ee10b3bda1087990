// Typing is sent to the host ~250 ms after the last keystroke, per control, and at once when the
// control loses focus. A control with a pending edit ignores document updates for its own value:
// the host's echo would otherwise overwrite what was typed since the last send.

export const TYPING_DELAY_MS = 250;

export class Debouncer {
  readonly #delay: number;
  readonly #pending = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>();

  constructor(delayMs = TYPING_DELAY_MS) {
    this.#delay = delayMs;
  }

  /** Replaces any pending run for `key`. */
  schedule(key: string, run: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => this.flush(key), this.#delay);
    this.#pending.set(key, { timer, run });
  }

  flush(key: string): void {
    const entry = this.#pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#pending.delete(key);
    entry.run();
  }

  /** Sends every pending edit, in the order they were typed (before an edit of a whole array or map). */
  flushAll(): void {
    for (const key of [...this.#pending.keys()]) this.flush(key);
  }

  cancel(key: string): void {
    const entry = this.#pending.get(key);
    if (entry) clearTimeout(entry.timer);
    this.#pending.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.#pending.keys()]) this.cancel(key);
  }

  isPending(key: string): boolean {
    return this.#pending.has(key);
  }

  get hasPending(): boolean {
    return this.#pending.size > 0;
  }
}
