// Client-side limiter for mutations. Statsig documents ~100 mutations / 10 s and ~900 / 15 min per
// project; the defaults stay a little under both so clock skew never costs a 429.

export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export const DEFAULT_MUTATION_WINDOWS: readonly RateWindow[] = [
  { limit: 90, windowMs: 10_000 },
  { limit: 850, windowMs: 15 * 60_000 },
];

export interface LimiterOptions {
  readonly windows?: readonly RateWindow[];
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ThrottleListener = (waitMs: number) => void;

/**
 * One admitted mutation. Its slot is stamped when admitted and re-stamped by `done()` when the
 * answer arrives: the server counted the request at some moment in between, so measuring the
 * window from the later moment keeps us under the server's limit whatever the network delay.
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
  private readonly stamps: { t: number }[] = [];
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
        const stamp = { t: this.now() };
        this.stamps.push(stamp);
        return { done: () => { stamp.t = Math.max(stamp.t, this.now()); } };
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
    for (let i = this.stamps.length - 1; i >= 0; i--) {
      if ((this.stamps[i]?.t ?? 0) <= now - longest) this.stamps.splice(i, 1);
    }
    const times = this.stamps.map((s) => s.t).sort((x, y) => x - y);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit] ?? now;
        wait = Math.max(wait, oldest + w.windowMs - now + 1);
      }
    }
    return wait;
  }

  private emit(waitMs: number): void {
    for (const l of this.listeners) l(waitMs);
  }
}
