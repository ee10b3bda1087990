// Client-side limiter for mutations (dry runs included). Statsig documents ~100 mutations / 10 s
// and ~900 / 15 min per project. The defaults are exactly those numbers: a mutation counts in every
// window from the moment it is admitted until a window after its answer (while in flight it counts
// as "now"), and the server counted it at some moment in between, so no window the server looks
// at can hold more than the limit, whatever the network delay (CONTRIBUTING.md, the client).
// Other clients of the same project share Statsig's budget: a 429 can still come, and is waited out.

export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export const DEFAULT_MUTATION_WINDOWS: readonly RateWindow[] = [
  { limit: 100, windowMs: 10_000 },
  { limit: 900, windowMs: 15 * 60_000 },
];

/** How often a wait re-checks when what blocks it is a mutation still waiting for its answer. */
const IN_FLIGHT_POLL_MS = 100;
/**
 * A ticket never marked done (a bug, not a path the client takes) stops counting as "now" this
 * long after it was admitted: longer than any request with its retries, so it never blocks forever.
 */
const MAX_IN_FLIGHT_MS = 180_000;

export interface LimiterOptions {
  readonly windows?: readonly RateWindow[];
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ThrottleListener = (waitMs: number) => void;

/**
 * One admitted mutation. Until `done()` (its answer arrived, or it failed) its slot counts as "now"
 * in every window; then it is stamped with that moment: the server counted the request at some
 * moment in between, so measuring the window from the later moment keeps us under the server's
 * limit whatever the network delay.
 */
export interface LimiterTicket {
  done(): void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sliding-window limiter; acquisitions are served in order. */
export class MutationLimiter {
  private readonly windows: readonly RateWindow[];
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Admitted mutations: `t` is when answered, undefined while in flight (since `admitted`). */
  private readonly stamps: { t: number | undefined; readonly admitted: number }[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<ThrottleListener>();
  private waiting = 0;

  constructor(options: LimiterOptions = {}) {
    this.windows = options.windows ?? DEFAULT_MUTATION_WINDOWS;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Called with the wait in ms each time a mutation has to wait, and with 0 when the queue drains. */
  onThrottle(listener: ThrottleListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get isThrottling(): boolean {
    return this.waiting > 0;
  }

  /** Resolves when one more mutation may be sent now (and records it). */
  acquire(signal?: AbortSignal): Promise<LimiterTicket> {
    const turn = this.queue.then(() => this.take(signal));
    this.queue = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private async take(signal?: AbortSignal): Promise<LimiterTicket> {
    for (;;) {
      const wait = this.waitMs();
      if (wait <= 0) {
        const stamp: { t: number | undefined; admitted: number } = { t: undefined, admitted: this.now() };
        this.stamps.push(stamp);
        return { done: () => { stamp.t ??= this.now(); } };
      }
      this.waiting++;
      this.emit(wait);
      try {
        await this.sleep(wait, signal);
      } finally {
        this.waiting--;
        if (this.waiting === 0) this.emit(0);
      }
    }
  }

  private waitMs(): number {
    const now = this.now();
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    for (const stamp of this.stamps) if (stamp.t === undefined && now - stamp.admitted > MAX_IN_FLIGHT_MS) stamp.t = stamp.admitted + MAX_IN_FLIGHT_MS;
    for (let i = this.stamps.length - 1; i >= 0; i--) {
      const t = this.stamps[i]?.t;
      if (t !== undefined && t <= now - longest) this.stamps.splice(i, 1);
    }
    // In flight counts as now (Infinity sorts last: it leaves no window before its answer).
    const times = this.stamps.map((s) => s.t ?? Infinity).sort((x, y) => x - y);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit] ?? now;
        wait = Math.max(wait, oldest === Infinity ? IN_FLIGHT_POLL_MS : oldest + w.windowMs - now + 1);
      }
    }
    return wait;
  }

  private emit(waitMs: number): void {
    for (const l of this.listeners) l(waitMs);
  }
}
