/**
 * `progress(iterableOrTotal)`: progress reporting for long work, with a stop signal.
 * In a notebook (live kernel) it shows a widget bar (IntProgress, a status Label with count,
 * elapsed time, ETA and rate, and a Stop button); elsewhere a text bar on stderr.
 *
 * ```ts
 * for await (const step of lens.progress(200, { description: 'optimizing' })) { ... }
 * const bar = lens.progress(epochs, { signal });       // manual use
 * while (...) { bar.throwIfStopped(); ...; bar.tick(); } bar.done();
 * ```
 * Stopping (the Stop button, `stop()`, or the caller's `signal`) aborts `bar.signal` and ends
 * the iteration quietly after the current step; pass `bar.signal` on to long-running calls.
 */
import { HBox } from './boxes';
import { Button } from './button';
import { IntProgress } from './int-progress';
import { Label } from './text';
import { formatStatus, formatTextBar, type ProgressSnapshot } from './progress-format';
import { widgetsAreLive } from './transport';
import { toMimeBundle, type MimeBundle } from '../comm/mime-bundle';
import { throwIfInterrupted } from '../core/run-control';

/** Where the text bar is written. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of {@link progress}. */
export interface ProgressBarOptions {
  /** Label in front of the bar. */
  description?: string;
  /** Total number of steps (default: the length/size of the iterable, if it has one). */
  total?: number;
  /** Stops the run when aborted. */
  signal?: AbortSignal;
  /** `'auto'` (default): widget in a live notebook, text elsewhere. */
  display?: 'auto' | 'widget' | 'text' | 'none';
  /** Text output (default `process.stderr`). */
  stream?: TextSink;
  /** Minimum ms between two redraws (default 100; 2000 for text to a non-terminal). */
  updateIntervalMs?: number;
  /** Name of a step in the rate, e.g. `'img'` (default `'it'`). */
  unit?: string;
  /** Show a Stop button on the widget bar (default true). */
  stopButton?: boolean;
  /** Clock in ms (for tests). Default `performance.now`. */
  now?: () => number;
}

/** How a progress run ended. */
export type ProgressStatus = 'running' | 'done' | 'stopped' | 'failed';

/** An error thrown by {@link ProgressBar.throwIfStopped}. */
export class StoppedError extends Error {
  constructor(message = 'stopped') {
    super(message);
    this.name = 'AbortError';
  }
}

/** One progress run; iterate it (sync or `for await`) or drive it with `tick`/`done`. */
export class ProgressBar<T> implements Iterable<T>, AsyncIterable<T> {
  /** Aborted when the run is stopped (button, {@link ProgressBar.stop} or the caller's signal). */
  readonly signal: AbortSignal;
  /** Steps done. */
  count = 0;
  private totalSteps: number | undefined;
  /** The widget bar (an HBox of IntProgress, Label and Button), when shown as a widget. */
  readonly widget: HBox | undefined;
  private state: ProgressStatus = 'running';
  private readonly controller = new AbortController();
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastBreath = -Infinity;
  private readonly interval: number;
  private readonly mode: 'widget' | 'text' | 'none';
  private readonly stream: TextSink;
  private readonly cleanups: Array<() => void> = [];
  private readonly parts?: { bar: IntProgress; label: Label; button?: Button };

  /** @internal Use {@link progress}. */
  constructor(
    private readonly source: Iterable<T> | AsyncIterable<T> | undefined,
    total: number | undefined,
    private readonly options: ProgressBarOptions,
  ) {
    if (total !== undefined && !(Number.isInteger(total) && total >= 0)) {
      throw new Error(`progress: total must be a non-negative integer, got ${total}`);
    }
    this.totalSteps = total;
    this.signal = this.controller.signal;
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.stream = options.stream ?? process.stderr;
    const display = options.display ?? 'auto';
    if (!['auto', 'widget', 'text', 'none'].includes(display)) {
      throw new Error(`progress: display must be 'auto', 'widget', 'text' or 'none', got ${JSON.stringify(display)}`);
    }
    this.mode = display === 'auto' ? (widgetsAreLive() ? 'widget' : 'text') : display;
    this.interval = options.updateIntervalMs ?? (this.mode === 'text' && !this.stream.isTTY ? 2000 : 100);
    if (options.signal) {
      const onAbort = () => this.stop();
      if (options.signal.aborted) this.stop();
      else {
        options.signal.addEventListener('abort', onAbort, { once: true });
        this.cleanups.push(() => options.signal!.removeEventListener('abort', onAbort));
      }
    }
    if (this.mode === 'widget') {
      const bar = new IntProgress({ min: 0, max: Math.max(total ?? 1, 1), value: 0, description: options.description ?? '' });
      const label = new Label({ value: '' });
      const button = options.stopButton ?? true ? new Button({ description: 'Stop', icon: 'stop', button_style: 'danger', tooltip: 'Stop after the current step' }) : undefined;
      if (button) this.cleanups.push(button.onClick(() => this.stop()));
      this.parts = { bar, label, button };
      this.widget = new HBox(button ? [bar, label, button] : [bar, label], {}, { owns: button ? [bar, label, button] : [bar, label] });
      this.widget.display();
    }
    this.draw(true);
  }

  /** Total steps, or undefined when unknown. */
  get total(): number | undefined {
    return this.totalSteps;
  }

  /**
   * Options for a convlens technique's long run (`RunControl`): its `signal` is this bar's, and
   * its `onProgress` reports into this bar (setting the total). E.g.
   * `await lens.occlusion(model, image, { ...bar.runControl() })`.
   */
  runControl(): { signal: AbortSignal; onProgress: (p: { done: number; total: number }) => void } {
    return {
      signal: this.signal,
      onProgress: (p) => {
        if (Number.isInteger(p.total) && p.total >= 0) this.totalSteps = p.total;
        this.update(p.done);
        if (this.totalSteps !== undefined && p.done >= this.totalSteps) this.done();
      },
    };
  }

  /** As a cell's result: the status line (the widget bar, if any, is already shown). */
  [toMimeBundle](): MimeBundle {
    return { data: { 'text/plain': formatTextBar(this.snapshot()) + (this.state === 'running' ? '' : ` (${this.state})`) }, metadata: {} };
  }

  /** True once stopped. */
  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** How the run stands: running, done, stopped or failed. */
  get status(): ProgressStatus {
    return this.state;
  }

  /** Milliseconds since the start. */
  get elapsedMs(): number {
    return this.now() - this.start;
  }

  /** Average steps per second so far. */
  get rate(): number {
    const s = this.elapsedMs / 1000;
    return s > 0 ? this.count / s : 0;
  }

  /** Estimated milliseconds left (undefined when the total or the rate is unknown). */
  get etaMs(): number | undefined {
    if (this.total === undefined || this.count === 0) return undefined;
    return (Math.max(0, this.total - this.count) / this.rate) * 1000;
  }

  /** A snapshot for formatting. */
  snapshot(): ProgressSnapshot {
    return {
      description: this.options.description ?? '',
      count: this.count,
      total: this.total,
      elapsedMs: this.elapsedMs,
      rate: this.rate,
      etaMs: this.etaMs,
      unit: this.options.unit ?? 'it',
    };
  }

  /** Record `n` more steps done. */
  tick(n = 1): void {
    this.update(this.count + n);
  }

  /** Set the number of steps done. */
  update(count: number): void {
    if (!Number.isFinite(count) || count < 0) throw new Error(`progress: count must be a finite number >= 0, got ${count}`);
    this.count = count;
    this.draw(false);
  }

  /** Stop the run: aborts {@link ProgressBar.signal}; iteration ends after the current step. */
  stop(): void {
    if (this.state !== 'running') return;
    this.controller.abort(new StoppedError(`${this.options.description || 'run'} stopped at ${this.count}`));
    this.finish('stopped');
  }

  /** Throw a {@link StoppedError} (name `AbortError`) if the run was stopped, or the kernel's AbortError if it was interrupted. */
  throwIfStopped(): void {
    this.stopOnInterrupt();
    if (this.stopped) throw new StoppedError(`${this.options.description || 'run'} stopped at ${this.count}`);
  }

  /** Mark the run finished (done). Iteration does this itself. */
  done(): void {
    this.finish('done');
  }

  /** Mark the run failed (e.g. after an exception). */
  fail(): void {
    this.finish('failed');
  }

  /** Close the widget bar (if any); the run is marked done if still running. */
  close(): void {
    this.finish('done');
    this.widget?.close();
  }

  *[Symbol.iterator](): Iterator<T> {
    const src = this.iterableSource();
    if (!(Symbol.iterator in src)) throw new Error('progress: this source is async; use `for await`');
    let completed = false;
    try {
      for (const item of src) {
        this.stopOnInterrupt();
        if (this.stopped) return;
        yield item;
        this.tick();
      }
      completed = true;
    } finally {
      this.settle(completed);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let completed = false;
    try {
      for await (const item of this.iterableSource()) {
        const stopped = await this.breatheAndCheckStop();
        this.stopOnInterrupt();
        if (stopped) return;
        yield item;
        this.tick();
      }
      completed = true;
    } finally {
      this.settle(completed);
    }
  }

  /**
   * Every 50 ms, let the event loop run (comm messages, e.g. the Stop button, get handled even if
   * the loop body is synchronous). Returns whether the run was stopped.
   */
  private async breatheAndCheckStop(): Promise<boolean> {
    if (this.now() - this.lastBreath > 50) {
      await new Promise((r) => setImmediate(r));
      this.lastBreath = this.now();
    }
    return this.stopped;
  }

  /** A kernel interrupt stops the bar and throws (the iteration and the rest of the cell end). */
  private stopOnInterrupt(): void {
    try {
      throwIfInterrupted();
    } catch (e) {
      this.stop();
      throw e;
    }
  }

  /** End of an iteration: done when it ran to the end, else stopped or failed (an exception or a `break`). */
  private settle(completed: boolean): void {
    this.finish(completed ? 'done' : this.stopped ? 'stopped' : 'failed');
  }

  private iterableSource(): Iterable<T> | AsyncIterable<T> {
    if (this.source) return this.source;
    const total = this.total ?? 0;
    return (function* () {
      // Without a source the steps are numbers (progress(n) makes a ProgressBar<number>).
      for (let i = 0; i < total; i++) yield i as unknown as T;
    })();
  }

  private finish(end: Exclude<ProgressStatus, 'running'>): void {
    if (this.state !== 'running') return;
    this.state = end;
    for (const c of this.cleanups.splice(0)) c();
    this.draw(true);
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    const snap = this.snapshot();
    const suffix = this.state === 'running' || this.state === 'done' ? '' : ` (${this.state})`;
    if (this.mode === 'widget' && this.parts && !this.parts.bar.closed) {
      const { bar, label, button } = this.parts;
      const style = { running: '', done: 'success', stopped: 'warning', failed: 'danger' } as const;
      bar.set({ max: Math.max(this.total ?? 1, 1), value: this.total === undefined ? (this.state === 'done' ? 1 : 0) : Math.min(this.count, this.total), bar_style: this.total === undefined && this.state === 'running' ? 'info' : style[this.state] });
      label.set({ value: formatStatus(snap, true) + suffix });
      if (button && this.state !== 'running') button.set({ disabled: true });
    } else if (this.mode === 'text') {
      const line = formatTextBar(snap) + suffix;
      const end = this.state !== 'running';
      if (this.stream.isTTY) this.stream.write(`\r${line}${end ? '\n' : ''}`);
      else this.stream.write(`${line}\n`);
    }
  }
}

function lengthOf(source: unknown): number | undefined {
  if (Array.isArray(source) || ArrayBuffer.isView(source)) return (source as ArrayLike<unknown>).length;
  if (source instanceof Map || source instanceof Set) return source.size;
  return undefined;
}

/**
 * Report progress of long work. `progress(n)` iterates 0..n-1; `progress(iterable)` iterates
 * the items (sync or async; the total is its length when it has one). Shows a widget bar with
 * rate, ETA and a Stop button in notebooks, a text bar on stderr elsewhere.
 */
export function progress(total: number, options?: ProgressBarOptions): ProgressBar<number>;
export function progress<T>(source: Iterable<T> | AsyncIterable<T>, options?: ProgressBarOptions): ProgressBar<T>;
export function progress<T>(source: number | Iterable<T> | AsyncIterable<T>, options: ProgressBarOptions = {}): ProgressBar<T> | ProgressBar<number> {
  if (typeof source === 'number') return new ProgressBar<number>(undefined, options.total ?? source, options);
  if (source === null || typeof source !== 'object' || !(Symbol.iterator in source || Symbol.asyncIterator in source)) {
    throw new Error(`progress: expected a number of steps or an iterable, got ${source === null ? 'null' : typeof source}`);
  }
  return new ProgressBar<T>(source, options.total ?? lengthOf(source), options);
}
