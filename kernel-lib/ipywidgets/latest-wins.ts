/**
 * Latest-wins scheduling of a (possibly async) task, for re-running work when controls change.
 * The task never runs twice at once and always sees the latest state:
 * - a request after a quiet spell starts a run at once (leading edge);
 * - requests arriving while a run is in progress, or right after it, are merged into one
 *   follow-up run that starts once requests pause for `quietMs`, or at the latest `maxWaitMs`
 *   after the first of them (so a long slider drag still shows intermediate results).
 * A burst of events (e.g. 50 slider updates arriving over ~100 ms) therefore costs at most two
 * runs: the leading one and one follow-up.
 */

/** Timing of {@link LatestWinsRunner}. */
export interface LatestWinsOptions {
  /** A follow-up run waits until no request came for this many ms. Default 30. */
  quietMs?: number;
  /** ...but starts at most this many ms after the first request it serves. Default 300. */
  maxWaitMs?: number;
}

/** Runs a task on request, coalescing bursts of requests. */
export class LatestWinsRunner {
  private running = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private lastRequestAt = 0;
  private lastRunEnd = -Infinity;
  private disposed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  /** Number of runs started so far. */
  runs = 0;

  /**
   * @param task the work; errors are caught and logged (the task should report them itself).
   * @param options timing, or just `quietMs` as a number.
   */
  constructor(
    private readonly task: () => unknown,
    options: number | LatestWinsOptions = {},
  ) {
    const o = typeof options === 'number' ? { quietMs: options } : options;
    this.quietMs = o.quietMs ?? 30;
    this.maxWaitMs = o.maxWaitMs ?? 300;
    if (!(this.quietMs >= 0) || !(this.maxWaitMs >= this.quietMs)) {
      throw new Error(`LatestWinsRunner needs 0 <= quietMs <= maxWaitMs, got quietMs ${this.quietMs}, maxWaitMs ${this.maxWaitMs}`);
    }
  }

  /** Ask for a run with the latest state; returns at once. */
  request(): void {
    if (this.disposed) return;
    const now = Date.now();
    if (!this.pending) this.firstPendingAt = now;
    this.pending = true;
    this.lastRequestAt = now;
    this.kick();
  }

  /** True while a run is in progress or scheduled. */
  get busy(): boolean {
    return this.running || this.pending;
  }

  /** Resolves when no run is in progress or pending. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancel pending runs; later requests are ignored. A run in progress finishes. */
  dispose(): void {
    this.disposed = true;
    this.pending = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) this.settle();
  }

  /** When the pending run may start: at once after a quiet spell, else when requests pause. */
  private dueAt(): number {
    if (this.firstPendingAt - this.lastRunEnd >= this.quietMs) return this.firstPendingAt;
    return Math.min(this.lastRequestAt + this.quietMs, this.firstPendingAt + this.maxWaitMs);
  }

  private kick(): void {
    if (this.running || this.timer) return;
    if (!this.pending) return this.settle();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return this.settle();
      // Requests that came meanwhile may have moved the start later.
      if (Date.now() < this.dueAt()) return this.kick();
      void this.start();
    }, Math.max(0, this.dueAt() - Date.now()));
  }

  private async start(): Promise<void> {
    this.pending = false;
    this.running = true;
    this.runs++;
    try {
      await this.task();
    } catch (e) {
      console.error('convlens: re-run failed:', e);
    } finally {
      this.running = false;
      this.lastRunEnd = Date.now();
      this.kick();
    }
  }

  private settle(): void {
    if (this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
