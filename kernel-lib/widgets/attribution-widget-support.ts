/**
 * What the attribution widgets (OcclusionExplorer, AttributionView) share on the kernel side: the
 * class dropdown with probabilities, re-running a computation latest-wins (a newer request aborts
 * the running one), and turning maps and images into the bytes the views draw.
 */
import { tf } from '../tf';
import { LatestWinsRunner } from '../ipywidgets/latest-wins';
import { DOMWidget, type DOMWidgetState } from '../ipywidgets/dom-widget';
import { colorize, displayRGB } from '../render/heatmap';
import { modelClassNames, modelLogits, probabilitiesFromLogits } from '../models/logits';
import { imageBatch, singleImage } from '../models/validate';
import { resolveTarget } from '../techniques/common/target';
import { valuesOf } from '../core/tensors';
import { rgbaBytes } from '../render/rgba';
import type { ColormapName } from '../render/colormaps';

/** The class dropdown: one label per class ("Sneaker: 91.2%"), the predicted class and the initial one. */
export interface ClassChoices {
  labels: string[];
  probabilities: number[];
  predicted: number;
  /** The class to show first: `target` resolved (index, name or 'predicted'). */
  initial: number;
}

/**
 * Class labels with the model's probabilities for `image` (`[H, W, C]` or `[1, H, W, C]`), and
 * `target` (index, class name or 'predicted', the default) resolved to an index by the one
 * target resolver.
 * @throws naming the bad target and the allowed classes.
 */
export function classChoices(model: tf.LayersModel, image: tf.Tensor, classNames?: string[], target: number | string = 'predicted'): ClassChoices {
  const batch = imageBatch(model, image);
  const logits = tf.tidy(() => modelLogits(model, batch).slice([0, 0], [1, -1]) as tf.Tensor2D);
  batch.dispose();
  try {
    const probabilities = valuesOf(() => probabilitiesFromLogits(model, logits).reshape([-1]));
    const names = classNames ?? modelClassNames(model) ?? probabilities.map((_, i) => `class ${i}`);
    const labels = probabilities.map((p, i) => `${names[i] ?? `class ${i}`}: ${(100 * p).toFixed(1)}%`);
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    const [initial] = resolveTarget(target, logits, names).classes!;
    return { labels, probabilities, predicted, initial };
  } finally {
    logits.dispose();
  }
}

/** A map ready to draw: colour-mapped RGBA bytes, raw float32 values (for hover), its range. */
export interface DrawnMap {
  /** RGBA bytes of `[h, w]`. */
  rgba: Uint8Array;
  /** float32 values (row-major `[h, w]`) as bytes. */
  values: Uint8Array;
  shape: [number, number];
  min: number;
  max: number;
}

/** Colour-map a map `[h, w]` (tensor ops) into {@link DrawnMap}; 'coolwarm' gets a range symmetric around 0. */
export function drawMap(map: tf.Tensor2D, colormap: ColormapName): DrawnMap {
  const raw = Float32Array.from(map.dataSync());
  let [min, max] = valuesOf(() => tf.stack([tf.min(map), tf.max(map)]));
  if (colormap === 'coolwarm') [min, max] = [-Math.max(Math.abs(min), Math.abs(max)), Math.max(Math.abs(min), Math.abs(max))];
  const rgb = tf.tidy(() => tf.expandDims(colorize(map, { colormap, range: [min, max] }), 0) as tf.Tensor4D);
  try {
    return { rgba: rgbaBytes(rgb), values: new Uint8Array(raw.buffer), shape: [map.shape[0], map.shape[1]], min, max };
  } finally {
    rgb.dispose();
  }
}

/** RGBA bytes of one image `[H, W, C]` (values in `valueRange`), for the base of an overlay. */
export function imageBytes(image: tf.Tensor3D, valueRange: [number, number] = [0, 1]): Uint8Array {
  const rgb = tf.tidy(() => tf.expandDims(displayRGB(image, valueRange), 0) as tf.Tensor4D);
  try {
    return rgbaBytes(rgb);
  } finally {
    rgb.dispose();
  }
}

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

/** The widget's image `[H, W, C]` (a new tensor) and its class dropdown; nothing is left behind on error. */
export function widgetImage(model: tf.LayersModel, image: tf.Tensor, classNames?: string[], target?: number | string): { image: tf.Tensor3D; choices: ClassChoices } {
  const single = singleImage(model, image);
  try {
    return { image: single, choices: classChoices(model, single, classNames, target) };
  } catch (e) {
    single.dispose();
    throw e;
  }
}

/** The status keys both attribution widgets carry. */
export interface RunStatus {
  busy: boolean;
  progress: number;
  error: string;
}

/**
 * Run `body` with the widget's status kept up to date: busy while it runs, its error message when
 * it fails (an abort by a newer request is not an error), not busy afterwards.
 */
export async function withRunStatus(
  widget: { readonly closed: boolean; set(patch: Partial<RunStatus>): unknown },
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
export abstract class RecomputingWidget<S extends DOMWidgetState & RunStatus> extends DOMWidget<S> {
  private runner: AbortingRunner | undefined;

  /** Run `compute` now and whenever one of `keys` changes; dispose `owned` on close. */
  protected recomputeOn(keys: Array<keyof S>, compute: (signal: AbortSignal) => Promise<void>, owned: tf.Tensor[]): void {
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
