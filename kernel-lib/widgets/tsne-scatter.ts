/**
 * The TsneScatter widget, kernel side (state: state/tsne-scatter.ts, view: widgets/tsne-scatter.ts):
 * a dataset's points in 2-D, coloured by class, as a WebGL scatter. Start runs t-SNE (or UMAP,
 * `algorithm: 'umap'`) on the kernel and streams the positions to the page (a frame every `every` iterations, at most one
 * per `minFrameMs`; the page draws the latest), Stop ends the run where it is. Hovering shows a
 * point's thumbnail; a lasso, box or click selection comes back to the kernel (`selected`,
 * {@link TsneScatter.selectedImages}). The last layout stays in the widget state, so a saved
 * notebook shows it without a kernel. Any other layout (PCA) can be shown with `positions`.
 */
import { tf } from '../tf';
import type { WidgetOptions } from '../ipywidgets/widget';
import { checkInteger, checkOneOf, describeValue, isTensor } from '../core/checks';
import { checkFeatureMatrix } from '../techniques/feature-space/features';
import { tsne, tsneSettings, type TsneOptions } from '../techniques/feature-space/tsne';
import { umap, umapSettings, type UmapOptions } from '../techniques/feature-space/umap';
import { rgbaBytes } from '../render/rgba';
import { ConvlensWidget, type ConvlensState } from './convlens-widget';
import { TSNE_SCATTER, type TsneScatterState } from './state/tsne-scatter';

export type { TsneScatterState };

/** What Start runs. */
export type ScatterAlgorithm = 'tsne' | 'umap';

/** The allowed `algorithm` values. */
export const SCATTER_ALGORITHMS: readonly ScatterAlgorithm[] = ['tsne', 'umap'];

/** Options of {@link tsneScatter}: the t-SNE settings of Start, and what the plot shows. */
export interface TsneScatterOptions extends Omit<TsneOptions, 'signal' | 'onIteration' | 'init' | 'onProgress'> {
  /** What Start runs: `'tsne'` (default, with the t-SNE options) or `'umap'` (with `umap`; `method` is t-SNE's gradient method). */
  algorithm?: ScatterAlgorithm;
  /** UMAP settings of Start when `algorithm` is `'umap'` (`nEpochs` default: umap-js's choice). */
  umap?: Omit<UmapOptions, 'signal' | 'onIteration' | 'onProgress' | 'every'>;
  /** Class index of each point (a tensor `[N]` or numbers). */
  labels?: tf.Tensor1D | ArrayLike<number>;
  /** Names of the classes (default "class i"). */
  classNames?: readonly string[];
  /** Images `[N, h, w, c]` in [0, 1]: hover thumbnails and {@link TsneScatter.selectedImages}. */
  images?: tf.Tensor4D;
  /** A layout `[N, 2]` to show at once (PCA, a saved t-SNE map); Start replaces it with a fresh t-SNE run. */
  positions?: tf.Tensor2D;
  /** Name of that layout in the status line (default 'positions'). */
  layoutName?: string;
  /** Fewest milliseconds between two frames sent to the page (default 100). */
  minFrameMs?: number;
  title?: string;
  pointSize?: number;
  height?: number;
}

/** What {@link tsneScatter} reads from the tensors before the widget opens (tensor reads are async). */
export interface TsneScatterData {
  labels: number[];
  /** The layout to show first, `[x0, y0, ...]`, if any. */
  start?: Float32Array;
  thumbnails: Uint8Array;
  thumbnailShape: number[];
}

/** Read and check the labels, the starting layout and the thumbnails of a scatter of `n` points. */
async function scatterData(n: number, opts: TsneScatterOptions): Promise<TsneScatterData> {
  const labels = opts.labels === undefined ? [] : isTensor(opts.labels) ? Array.from(await opts.labels.data()) : Array.from(opts.labels);
  if (opts.labels !== undefined && (labels.length !== n || !labels.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new Error(`labels must hold one class index (integer >= 0) per point (${n}); got ${describeValue(opts.labels)} with ${labels.length} entries`);
  }
  let start: Float32Array | undefined;
  if (opts.positions !== undefined) {
    if (!isTensor(opts.positions) || opts.positions.rank !== 2 || opts.positions.shape[0] !== n || opts.positions.shape[1] < 2) {
      throw new Error(`positions must be a tensor [${n}, 2]; got ${describeValue(opts.positions)}`);
    }
    const xy = tf.slice(opts.positions, [0, 0], [n, 2]);
    try {
      start = Float32Array.from(await xy.data());
    } finally {
      xy.dispose();
    }
  }
  if (opts.images === undefined) return { labels, start, thumbnails: new Uint8Array(0), thumbnailShape: [0, 0, 0] };
  if (!isTensor(opts.images) || opts.images.rank !== 4 || opts.images.shape[0] !== n) throw new Error(`images must be a tensor [${n}, h, w, c] (one per point); got ${describeValue(opts.images)}`);
  return { labels, start, thumbnails: await rgbaBytes(opts.images), thumbnailShape: [n, opts.images.shape[1], opts.images.shape[2]] };
}

/** The name shown for `algorithm`'s layouts. */
function algorithmName(algorithm: ScatterAlgorithm): string {
  return algorithm === 'umap' ? 'UMAP' : 't-SNE';
}

/** What a finished Start run leaves: the final positions in `embedding` (the caller disposes it). */
export interface ScatterRun {
  /** What ran. */
  algorithm: ScatterAlgorithm;
  /** `[N, 2]` final positions. */
  embedding: tf.Tensor2D;
  /** The same positions as `[x0, y0, x1, y1, ...]`. */
  positions: Float32Array;
  /** Final KL divergence (t-SNE; NaN for UMAP). */
  kl: number;
  /** Frees `embedding`. */
  dispose(): void;
}

/** float32 bytes of `[x0, y0, ...]`. */
function positionBytes(positions: Float32Array): Uint8Array {
  return new Uint8Array(positions.buffer.slice(positions.byteOffset, positions.byteOffset + positions.byteLength));
}

/** A scatter of a dataset's 2-D layout with t-SNE on Start; build it with {@link tsneScatter}. */
export class TsneScatter extends ConvlensWidget<TsneScatterState> {
  private readonly features: tf.Tensor2D;
  private readonly images: tf.Tensor4D | undefined;
  private controller: AbortController | undefined;
  private running: Promise<ScatterRun | undefined> | undefined;
  private readonly settings: TsneScatterOptions;
  private lastFrame = 0;

  /** Open the widget on `features` with what {@link tsneScatter} read (`data`). */
  constructor(features: tf.Tensor2D, data: TsneScatterData, opts: TsneScatterOptions = {}, options: WidgetOptions = {}) {
    const x = checkFeatureMatrix(features, 'tsneScatter', 3);
    const n = x.shape[0];
    const { labels, start } = data;
    const classes = labels.length ? Math.max(...labels) + 1 : 1;
    const classNames = opts.classNames ? [...opts.classNames].map(String) : Array.from({ length: classes }, (_, i) => `class ${i}`);
    if (classNames.length < classes) throw new Error(`classNames must name every label (${classes}); got ${classNames.length} names`);
    super(
      TSNE_SCATTER,
      {
        positions: positionBytes(start ?? new Float32Array(2 * n)),
        count: n,
        labels,
        class_names: classNames,
        thumbnails: data.thumbnails,
        thumbnail_shape: data.thumbnailShape,
        iterations: opts.algorithm === 'umap' ? opts.umap?.nEpochs ?? 0 : opts.iterations ?? 1000,
        method: start ? opts.layoutName ?? 'positions' : algorithmName(opts.algorithm ?? 'tsne'),
        algorithm: opts.algorithm ?? 'tsne',
        title: opts.title ?? '',
        point_size: opts.pointSize ?? 5,
        height: opts.height ?? 480,
      },
      options,
    );
    this.settings = opts;
    this.features = tf.clone(x);
    this.images = opts.images ? tf.clone(opts.images) : undefined;
    this.onMsg((content) => this.handle(content));
    this.onClose(() => {
      this.controller?.abort();
      void (this.running ?? Promise.resolve()).finally(() => tf.dispose([this.features, this.images]));
    });
  }

  /**
   * Run t-SNE (from the features' PCA, with the widget's options) or UMAP (`algorithm: 'umap'`),
   * streaming frames to the page; resolves with the result (the caller disposes it), or undefined
   * when stopped.
   */
  run(): Promise<ScatterRun | undefined> {
    if (this.running) return this.running;
    this.running = this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stop the run after the current iteration (the layout reached stays shown). */
  stop(): void {
    this.controller?.abort();
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** The selected point indices (lasso, box or click on the page). */
  get selected(): number[] {
    return this.get('selected');
  }

  set selected(indices: number[]) {
    this.set({ selected: indices });
  }

  /** Call `cb` with each new selection. Returns a remover. */
  observeSelected(cb: (indices: number[]) => void): () => void {
    return this.observe('selected', (c) => cb(c.new));
  }

  /** The images of the selected points `[k, h, w, c]` (a new tensor; empty `[0, h, w, c]` when nothing is selected). */
  selectedImages(): tf.Tensor4D {
    if (!this.images) throw new Error('selectedImages: the scatter was built without images (pass images to tsneScatter)');
    return tf.gather(this.images, this.selected.length ? this.selected : tf.tensor1d([], 'int32'));
  }

  /** The current positions `[x0, y0, x1, y1, ...]`. */
  get positions(): Float32Array {
    const b = this.get('positions');
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  private async handle(content: unknown): Promise<void> {
    const event = (content as { event?: unknown })?.event;
    try {
      if (event === 'start') await this.run().then((r) => r?.dispose());
      else if (event === 'stop') this.stop();
      else throw new Error(`unknown scatter command ${describeValue(event)}; use start or stop`);
    } catch (e) {
      if (!this.closed) this.set({ error: (e as Error).message });
    }
  }

  private async runOnce(): Promise<ScatterRun | undefined> {
    const controller = new AbortController();
    this.controller = controller;
    const { labels: _l, classNames: _c, images: _i, positions: _p, layoutName: _n, minFrameMs, title: _t, pointSize: _s, height: _h, algorithm = 'tsne', umap: umapOptions, ...tsneOptions } = this.settings;
    const minMs = minFrameMs ?? 100;
    const iterations = algorithm === 'umap' ? umapOptions?.nEpochs ?? 0 : tsneOptions.iterations ?? 1000;
    this.set({ running: true, error: '', iteration: 0, iterations, kl: 0, method: algorithmName(algorithm) });
    const onIteration = (f: { iteration: number; total: number; positions: Float32Array; kl?: number }) => {
      const now = Date.now();
      if (this.closed || (now - this.lastFrame < minMs && f.iteration < f.total)) return;
      this.lastFrame = now;
      this.set({ positions: positionBytes(f.positions), iteration: f.iteration, iterations: f.total, kl: f.kl ?? 0 });
    };
    try {
      let result: ScatterRun;
      if (algorithm === 'umap') {
        const u = await umap(this.features, { ...umapOptions, every: tsneOptions.every, signal: controller.signal, onIteration });
        result = { algorithm, embedding: u.embedding, positions: u.positions, kl: NaN, dispose: () => u.dispose() };
      } else {
        const t = await tsne(this.features, { ...tsneOptions, init: 'pca', signal: controller.signal, onIteration });
        result = { algorithm, embedding: t.embedding, positions: t.positions, kl: t.kl, dispose: () => t.dispose() };
      }
      const total = algorithm === 'umap' ? this.get('iterations') : iterations;
      if (!this.closed) this.set({ positions: positionBytes(result.positions), iteration: total, kl: Number.isNaN(result.kl) ? 0 : result.kl });
      return result;
    } catch (e) {
      if (controller.signal.aborted) return undefined;
      throw e;
    } finally {
      if (this.controller === controller) this.controller = undefined;
      if (!this.closed) this.set({ running: false });
    }
  }

  /** Validates the selection and the display settings (from the kernel or the page). */
  protected coerce(s: ConvlensState<TsneScatterState>): ConvlensState<TsneScatterState> {
    if (!(s.positions instanceof Uint8Array) || s.positions.byteLength !== s.count * 8) throw new Error(`positions must be float32 bytes of ${s.count} points (${s.count * 8} bytes)`);
    if (!Array.isArray(s.selected)) throw new Error(`selected must be an array of point indices; got ${describeValue(s.selected)}`);
    s.selected.forEach((v, i) => checkInteger(`selected[${i}]`, v, 0, s.count - 1));
    s.selected = [...new Set(s.selected)].sort((a, b) => a - b);
    checkInteger('point_size', s.point_size, 1, 64);
    checkInteger('height', s.height, 100, 4000);
    return s;
  }

  protected reprKeys(): string[] {
    return ['title', 'count', 'method', 'iteration', 'kl', 'selected'];
  }
}

/**
 * A scatter of `features` `[N, d]` (copied) that runs t-SNE (or UMAP with `algorithm: 'umap'`)
 * when you press Start (or call `run()`), streaming the layout; points coloured by `labels`, thumbnails from `images`, the
 * lasso selection in `selected`.
 * @example
 * const sc = await lens.tsneScatter(feats, { labels: test.labels, classNames: test.classNames, images: test.images, iterations: 500 });
 * sc                          // shows it; then in a cell: const t = await sc.run(); t?.dispose();
 * sc.selected                 // indices picked with the lasso
 */
export async function tsneScatter(features: tf.Tensor2D, opts: TsneScatterOptions = {}, options: WidgetOptions = {}): Promise<TsneScatter> {
  const x = checkFeatureMatrix(features, 'tsneScatter', 3);
  // Bad t-SNE or UMAP options fail here, not at the first Start press.
  const algorithm = checkOneOf('algorithm', opts.algorithm ?? 'tsne', SCATTER_ALGORITHMS);
  if (algorithm === 'umap') umapSettings(opts.umap ?? {}, x.shape[0]);
  else tsneSettings(opts, x.shape[0]);
  checkInteger('minFrameMs', opts.minFrameMs ?? 100, 0);
  if (opts.pointSize !== undefined) checkInteger('pointSize', opts.pointSize, 1, 64);
  if (opts.height !== undefined) checkInteger('height', opts.height, 100, 4000);
  return new TsneScatter(x, await scatterData(x.shape[0], opts), opts, options);
}
