// Many sources, one after another at the rate Statsig allows (Validate All, Push All): items start
// in order, a few at a time (the client's limiter paces the mutations, so a small concurrency only
// hides the round trips); each item runs once; a rate-limit answer (the server did nothing) is
// waited out and the same item tried again, never reported as a failure; an error that would fail
// every other item too (a revoked or read-only key) stops the batch; cancelling stops starting new
// items, and the ones in flight finish (a mutation is never abandoned half-way).
import { abortableSleep } from './limiter.ts';

export interface BatchOptions<T, R> {
  readonly items: readonly T[];
  /** Items in flight at once (at least 1). */
  readonly concurrency: number;
  /** One item. Throws to fail it; must not throw a rate-limit error after it changed anything. */
  run(item: T): Promise<R>;
  /** When `error` says "too many requests": how long to wait before the same item runs again. */
  retryAfterMs(error: unknown): number | undefined;
  /** When `error` would fail every other item too: the batch stops starting new ones. */
  stops(error: unknown): boolean;
  /** After each item finished (done or failed). */
  onProgress?(finished: number, total: number): void;
  /** While a rate-limit wait is in progress (ms), and 0 when it ended. */
  onWait?(ms: number): void;
  /** Cancels the items not started yet (and a rate-limit wait). */
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type BatchOutcome<T, R> =
  | { readonly item: T; readonly status: 'done'; readonly value: R }
  | { readonly item: T; readonly status: 'failed'; readonly error: unknown }
  /** Not run: the user cancelled, or an error stopped the batch. */
  | { readonly item: T; readonly status: 'notRun'; readonly reason: 'cancelled' | 'stopped' };

export interface BatchReport<T, R> {
  /** One per item, in the items' order. */
  readonly outcomes: readonly BatchOutcome<T, R>[];
  /** How many rate-limit answers were waited out. */
  readonly rateLimited: number;
  /** The error that stopped the batch, if one did. */
  readonly stoppedBy?: unknown;
  readonly cancelled: boolean;
}

export async function runBatch<T, R>(options: BatchOptions<T, R>): Promise<BatchReport<T, R>> {
  const { items, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const outcomes: (BatchOutcome<T, R> | undefined)[] = items.map(() => undefined);
  let next = 0;
  let finished = 0;
  let rateLimited = 0;
  let stoppedBy: { error: unknown } | undefined;
  const halted = () => stoppedBy !== undefined || signal?.aborted === true;

  async function runOne(item: T): Promise<BatchOutcome<T, R>> {
    for (;;) {
      try {
        return { item, status: 'done', value: await options.run(item) };
      } catch (error) {
        const wait = options.retryAfterMs(error);
        if (wait === undefined) return { item, status: 'failed', error };
        rateLimited++;
        options.onWait?.(wait);
        try {
          await sleep(wait, signal);
        } catch {
          // Cancelled while waiting: this item never reached Statsig (the answer was 429).
          return { item, status: 'notRun', reason: 'cancelled' };
        } finally {
          options.onWait?.(0);
        }
      }
    }
  }

  async function worker(): Promise<void> {
    while (!halted() && next < items.length) {
      const index = next++;
      const outcome = await runOne(items[index] as T);
      outcomes[index] = outcome;
      if (outcome.status === 'failed' && !stoppedBy && options.stops(outcome.error)) stoppedBy = { error: outcome.error };
      finished++;
      options.onProgress?.(finished, items.length);
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  const reason = stoppedBy ? 'stopped' : 'cancelled';
  return {
    outcomes: items.map((item, i) => outcomes[i] ?? { item, status: 'notRun', reason }),
    rateLimited,
    ...(stoppedBy ? { stoppedBy: stoppedBy.error } : {}),
    cancelled: signal?.aborted === true,
  };
}
