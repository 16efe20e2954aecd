/**
 * The Output widget (@jupyter-widgets/output 1.0.0 OutputModel): captures a cell's output.
 *
 * Captured output is kept in the model's `outputs` state (nbformat output dicts), which both
 * live frontends (JupyterLab / Notebook 7 / VS Code) and saved widget state (nbconvert, static
 * HTML) render; `msg_id`-based capture would only work in live frontends.
 *
 * ```ts
 * const out = new Output();
 * out.display();
 * await out.capture(async () => { console.log('inside'); slider.display(); });
 * ```
 */
import { DOMWidget, type ControlInit, type DOMWidgetState } from './dom-widget';
import { runCapturingOutput, type OutputSink } from './output-capture';
import { modelIdentity, OUTPUT_MODULE } from './protocol';

/** One nbformat output (`stream`, `display_data`, `error`...). */
export type NbOutput = Record<string, unknown> & { output_type: string };

/** OutputModel state. */
export interface OutputState extends DOMWidgetState {
  /** Parent msg_id whose outputs frontends route here; unused by convlens (kept ''). */
  msg_id: string;
  /** The captured outputs, in nbformat. */
  outputs: NbOutput[];
}

/** An area that shows captured output: stdout/stderr text, rich displays, errors. */
export class Output extends DOMWidget<OutputState> implements OutputSink {
  private items: NbOutput[] = [];
  private readonly byDisplayId = new Map<string, NbOutput>();
  private clearOnNext = false;
  private flushScheduled = false;

  constructor(init: ControlInit<OutputState> = {}) {
    super(modelIdentity(OUTPUT_MODULE, 'OutputModel', 'OutputView'), { msg_id: '', outputs: [], ...init });
    this.items = [...this.get('outputs')];
    this.observe('outputs', (c) => {
      if (c.source === 'frontend') this.items = [...c.new];
    });
  }

  /**
   * Run `fn` (sync or async) with its console output and displays going into this widget.
   * An error thrown by `fn` is shown here as an error output and then rethrown.
   */
  capture<T>(fn: () => T): T {
    const fail = (e: unknown): never => {
      this.appendError(e);
      throw e;
    };
    try {
      const result = runCapturingOutput(this, fn);
      if (result instanceof Promise) return result.catch(fail) as T;
      return result;
    } catch (e) {
      return fail(e);
    }
  }

  /** Clear the outputs now, or (`wait`) when the next output arrives or on {@link Output.flush}. */
  clear(wait = false): void {
    if (wait) {
      this.clearOnNext = true;
      return;
    }
    this.clearOnNext = false;
    this.items = [];
    this.byDisplayId.clear();
    this.scheduleFlush();
  }

  /** Append text to the `stdout` or `stderr` stream (merged with the previous chunk of that stream). */
  appendStream(name: 'stdout' | 'stderr', text: string): void {
    this.takePendingClear();
    const last = this.items[this.items.length - 1];
    if (last && last.output_type === 'stream' && last.name === name) {
      this.items[this.items.length - 1] = { ...last, text: String(last.text) + text };
    } else {
      this.items.push({ output_type: 'stream', name, text });
    }
    this.scheduleFlush();
  }

  /**
   * Append a rich display (a MIME bundle such as `{ 'text/html': '<b>hi</b>' }`). With a
   * `displayId`, a later call with that id and `update: true` replaces it in place.
   */
  appendDisplayData(data: Record<string, unknown>, metadata: Record<string, unknown> = {}, display: { displayId?: string; update?: boolean } = {}): void {
    const item: NbOutput = { output_type: 'display_data', data, metadata };
    if (display.update) {
      const i = display.displayId === undefined ? -1 : this.items.indexOf(this.byDisplayId.get(display.displayId)!);
      if (i >= 0) {
        this.items[i] = item;
        this.byDisplayId.set(display.displayId!, item);
        this.scheduleFlush();
      }
      return; // an update of a display that is not here changes nothing (as in frontends)
    }
    this.takePendingClear();
    this.items.push(item);
    if (display.displayId !== undefined) this.byDisplayId.set(display.displayId, item);
    this.scheduleFlush();
  }

  /** Append an error output (name, message and stack) for `error`. */
  appendError(error: unknown): void {
    this.takePendingClear();
    const e = error instanceof Error ? error : new Error(String(error));
    this.items.push({
      output_type: 'error',
      ename: e.name,
      evalue: e.message,
      traceback: (e.stack ?? `${e.name}: ${e.message}`).split('\n'),
    });
    this.scheduleFlush();
  }

  /** Send pending outputs to the frontend now (otherwise they go at the end of the current tick). */
  flush(): void {
    this.flushScheduled = false;
    this.takePendingClear();
    if (!this.closed) this.set({ outputs: [...this.items] });
  }

  /** Captured outputs are not echoed back to frontends (they can be large). */
  protected echoes(key: string): boolean {
    return key !== 'outputs';
  }

  protected reprKeys(): string[] {
    return [];
  }

  private takePendingClear(): void {
    if (this.clearOnNext) {
      this.clearOnNext = false;
      this.items = [];
      this.byDisplayId.clear();
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      if (this.flushScheduled) this.flush();
    });
  }
}
