// When to re-read a drafted source from Statsig to notice that a colleague changed or deleted it
// (drift), decided pure against a clock the caller passes in (src/features/sources/drift.ts reads,
// this only says when). The rules:
// - a periodic check every `intervalMs` while the window is focused; it counts from the start, so
//   activation itself sends nothing; an unfocused window skips it until it is focused again;
// - one source is read at most once per `intervalMs` by automatic checks (periodic, an editor
//   gaining focus); a forced check (the user's Refresh) still waits `minForcedMs` since its last read;
// - at most `maxConcurrent` reads at a time: a project with hundreds of drafts never floods Statsig;
// - `intervalMs` 0 switches the automatic checks off (a forced check still reads).
// Reads are GETs (outside Statsig's mutation limit), but this keeps them polite anyway.

export interface DriftScheduleOptions {
  /** Between two periodic checks, and between two automatic reads of one source; 0: no automatic checks. */
  readonly intervalMs: number;
  /** The least time between two reads of one source, even forced. */
  readonly minForcedMs: number;
  /** Reads in flight at most. */
  readonly maxConcurrent: number;
}

export const DEFAULT_DRIFT_SCHEDULE: DriftScheduleOptions = { intervalMs: 5 * 60_000, minForcedMs: 10_000, maxConcurrent: 4 };

export class DriftSchedule {
  private options: DriftScheduleOptions;
  /** When each source was last read (started), while that still holds a read back. */
  private readonly lastRead = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  /** Sources waiting for a slot, in the order asked; true when forced. */
  private readonly queue = new Map<string, boolean>();
  private lastTick: number;

  constructor(options: DriftScheduleOptions, now: number) {
    this.options = options;
    this.lastTick = now;
  }

  get settings(): DriftScheduleOptions {
    return this.options;
  }

  configure(options: Partial<DriftScheduleOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Asks for a read of each source. An automatic ask is dropped while automatic checks are off. */
  request(keys: Iterable<string>, force = false): void {
    if (!force && this.options.intervalMs <= 0) return;
    for (const key of keys) {
      if (this.inFlight.has(key)) continue; // the read in flight answers this ask too
      this.queue.set(key, (this.queue.get(key) ?? false) || force);
    }
  }

  /** Whether a read of this source is asked for or running. */
  pending(key: string): boolean {
    return this.queue.has(key) || this.inFlight.has(key);
  }

  /**
   * The reads to start at `now`, each counted as read now: queued sources whose last read is old
   * enough, as many as there are free slots. Sources read too recently leave the queue unread
   * (what that read found still stands); the rest wait for a slot.
   */
  take(now: number): string[] {
    this.prune(now);
    const started: string[] = [];
    for (const [key, force] of [...this.queue]) {
      if (!this.mayRead(key, now, force)) {
        this.queue.delete(key);
        continue;
      }
      if (this.inFlight.size >= Math.max(1, this.options.maxConcurrent)) continue;
      this.queue.delete(key);
      this.inFlight.add(key);
      this.lastRead.set(key, now);
      started.push(key);
    }
    return started;
  }

  /** A read ended (whatever it found): its slot is free. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  get running(): number {
    return this.inFlight.size;
  }

  /** Milliseconds until the periodic check is due (0: now); undefined when automatic checks are off. */
  untilTick(now: number): number | undefined {
    if (this.options.intervalMs <= 0) return undefined;
    return Math.max(0, this.lastTick + this.options.intervalMs - now);
  }

  /** True when the periodic check runs now (due, and the window focused); the next one counts from now. */
  tick(now: number, focused: boolean): boolean {
    const until = this.untilTick(now);
    if (!focused || until === undefined || until > 0) return false;
    this.lastTick = now;
    return true;
  }

  private mayRead(key: string, now: number, force: boolean): boolean {
    if (!force && this.options.intervalMs <= 0) return false;
    const last = this.lastRead.get(key);
    return last === undefined || now - last >= this.gap(force);
  }

  private gap(force: boolean): number {
    return force ? this.options.minForcedMs : Math.max(this.options.intervalMs, this.options.minForcedMs);
  }

  /** Forgets reads too old to hold anything back, so the map stays as small as the recent reads. */
  private prune(now: number): void {
    const longest = this.gap(false);
    for (const [key, at] of this.lastRead) if (now - at >= longest && !this.inFlight.has(key)) this.lastRead.delete(key);
  }
}
