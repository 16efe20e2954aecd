/**
 * Widgets that recompute on the kernel when their state changes: latest-wins re-runs (a newer
 * request aborts the run in flight), the busy / progress / error status, and the tensors the
 * widget owns until it closes. OcclusionExplorer and AttributionView build on it.
 */
import { tf } from '../tf';
import { LatestWinsRunner } from '../ipywidgets/latest-wins';
import type { RunStatusState } from './state/widget-spec';
import { ConvlensWidget } from './convlens-widget';

/**
 * Runs `task(signal)` latest-wins: a request made while a run is in flight aborts that run (its
 * signal fires) and schedules one run with the latest state.
 */
export class AbortingRunner {
  private controller: AbortController | undefined;
  private readonly runner: LatestWinsRunner;

  constructor(task: (signal: AbortSignal) => Promise<void>, minIntervalMs = 30) {
    this.runner = new LatestWinsRunner(async () => {
      const controller = new AbortController();
      this.controller = controller;
      try {
        await task(controller.signal);
      } catch (e) {
        if (!controller.signal.aborted) throw e;
      }
    }, minIntervalMs);
  }

  /** Ask for a run with the latest state, aborting the one in flight. */
  request(): void {
    this.controller?.abort();
    this.runner.request();
  }

  /** Resolves when no run is in flight or pending. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Abort the run in flight and ignore later requests. */
  dispose(): void {
    this.controller?.abort();
    this.runner.dispose();
  }
}

/**
 * Run `body` with the widget's status kept up to date: busy while it runs, its error message when
 * it fails (an abort by a newer request is not an error), not busy afterwards.
 */
export async function withRunStatus(
  widget: { readonly closed: boolean; set(patch: Partial<RunStatusState>): unknown },
  signal: AbortSignal,
  body: () => Promise<void>,
): Promise<void> {
  widget.set({ busy: true, progress: 0 });
  try {
    await body();
    if (!widget.closed && !signal.aborted) widget.set({ error: '' });
  } catch (e) {
    if (signal.aborted) return;
    if (!widget.closed) widget.set({ error: (e as Error).message });
    throw e;
  } finally {
    if (!widget.closed) widget.set({ busy: false });
  }
}

/** @throws unless `opacity` is a number in [0, 1]. */
export function checkOpacity(opacity: unknown): void {
  if (!(typeof opacity === 'number' && opacity >= 0 && opacity <= 1)) throw new Error(`opacity must be a number in [0, 1]; got ${JSON.stringify(opacity)}`);
}

/**
 * A widget that recomputes on the kernel when some of its state changes, latest-wins, and owns
 * tensors it frees when closed. Subclasses call {@link RecomputingWidget.recomputeOn} once.
 */
export abstract class RecomputingWidget<S extends RunStatusState> extends ConvlensWidget<S> {
  private runner: AbortingRunner | undefined;

  /** Run `compute` now and whenever one of `keys` changes; dispose `owned` on close. */
  protected recomputeOn(keys: Array<keyof S & string>, compute: (signal: AbortSignal) => Promise<void>, owned: tf.Tensor[]): void {
    const runner = new AbortingRunner(compute);
    this.runner = runner;
    this.observe(keys, () => runner.request());
    this.onClose(() => {
      runner.dispose();
      tf.dispose(owned);
    });
    runner.request();
  }

  /** Resolves when what the widget shows matches its current settings. */
  ready(): Promise<void> {
    return this.runner?.idle() ?? Promise.resolve();
  }
}
