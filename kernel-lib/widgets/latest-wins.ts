/**
 * Latest-wins scheduling of a (possibly async) task, for re-running work when controls change:
 * requests that arrive while the task runs, or within `minIntervalMs` of its last start, are
 * merged into one follow-up run that sees the latest state. A burst of events therefore costs at
 * most two runs (the leading one and one trailing one), however long the burst.
 */

/** Runs a task on request, coalescing bursts of requests. */
export class LatestWinsRunner {
  private running = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private lastStart = -Infinity;
  private disposed = false;
  private idleWaiters: Array<() => void> = [];
  /** Number of runs started so far. */
  runs = 0;

  /**
   * @param task the work; errors are caught and logged (the task should report them itself).
   * @param minIntervalMs minimum time between the starts of two runs (default 50 ms).
   */
  constructor(
    private readonly task: () => unknown,
    private readonly minIntervalMs = 50,
  ) {
    if (!(minIntervalMs >= 0)) throw new Error(`minIntervalMs must be >= 0, got ${minIntervalMs}`);
  }

  /** Ask for a run with the latest state; returns at once. */
  request(): void {
    if (this.disposed) return;
    this.pending = true;
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

  private kick(): void {
    if (this.running || this.timer) return;
    if (!this.pending) return this.settle();
    const wait = Math.max(0, this.lastStart + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, wait);
  }

  private async start(): Promise<void> {
    if (this.disposed || !this.pending) return this.settle();
    this.pending = false;
    this.running = true;
    this.lastStart = Date.now();
    this.runs++;
    try {
      await this.task();
    } catch (e) {
      console.error('convlens: re-run failed:', e);
    } finally {
      this.running = false;
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
