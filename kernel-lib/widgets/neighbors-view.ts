/**
 * The NeighborsView widget, kernel side (state: state/neighbors-view.ts, view:
 * widgets/neighbors-view.ts): a query image with its k nearest neighbours in pixel space beside
 * its k nearest neighbours in feature space (the lecture's "images that are close in feature
 * space"). Clicking a neighbour on the page makes it the query; k and the metric can change too.
 * Each change recomputes latest-wins with `nearestNeighbors` on the active backend.
 */
import { tf } from '../tf';
import type { WidgetOptions } from '../ipywidgets/widget';
import { checkInteger, checkOneOf, describeValue, isTensor } from '../core/checks';
import { checkFeatureMatrix, pixelFeatures } from '../techniques/feature-space/features';
import { nearestNeighbors, NEIGHBOR_METRICS, type NeighborMetric } from '../techniques/feature-space/neighbors';
import { rgbaTensor } from '../render/rgba';
import { RecomputingWidget, withRunStatus } from './recompute';
import { NEIGHBORS_VIEW, type NeighborsViewState } from './state/neighbors-view';
import type { ConvlensState } from './convlens-widget';

export type { NeighborsViewState };

/** Options of {@link neighborsView}. */
export interface NeighborsViewOptions {
  /** The first query (default 0). */
  query?: number;
  /** Neighbours per space (default 8). */
  k?: number;
  /** Default `'l2'`. */
  metric?: NeighborMetric;
  /** Class index of each image, for the captions. */
  labels?: tf.Tensor1D | ArrayLike<number>;
  classNames?: readonly string[];
  /** Name of the feature space shown in the header (e.g. `'fc1'`). */
  featureName?: string;
  tileSize?: number;
  title?: string;
}

/** A query image and its nearest neighbours in pixel and feature space; build it with {@link neighborsView}. */
export class NeighborsView extends RecomputingWidget<NeighborsViewState> {
  private readonly images: tf.Tensor4D;
  private readonly pixels: tf.Tensor2D;
  private readonly features: tf.Tensor2D;
  private readonly names: string[];

  /** Open the widget; `labels` are the class indices {@link neighborsView} read (or undefined). */
  constructor(images: tf.Tensor4D, features: tf.Tensor2D, labels: number[] | undefined, opts: NeighborsViewOptions = {}, options: WidgetOptions = {}) {
    const f = checkFeatureMatrix(features, 'neighborsView', 2);
    const n = f.shape[0];
    if (!isTensor(images) || images.rank !== 4 || images.shape[0] !== n) throw new Error(`neighborsView: images must be a tensor [${n}, h, w, c] (one per feature row); got ${describeValue(images)}`);
    if (labels && labels.length !== n) throw new Error(`neighborsView: labels must have one entry per image (${n}); got ${labels.length}`);
    const names = labels ? labels.map((l) => opts.classNames?.[l] ?? `class ${l}`) : Array.from({ length: n }, (_, i) => `#${i}`);
    super(
      NEIGHBORS_VIEW,
      {
        query: opts.query ?? 0,
        count: n,
        k: opts.k ?? 8,
        metric: opts.metric ?? 'l2',
        feature_name: opts.featureName ?? 'features',
        tile_size: opts.tileSize ?? 72,
        title: opts.title ?? '',
        image_shape: [0, images.shape[1], images.shape[2]],
      },
      options,
    );
    this.names = names;
    this.images = tf.clone(images);
    this.features = tf.clone(f);
    this.pixels = pixelFeatures(images);
    this.recomputeOn(['query', 'k', 'metric'], (signal) => this.compute(signal), [this.images, this.features, this.pixels]);
  }

  /** Make dataset image `index` the query. */
  setQuery(index: number): this {
    this.set({ query: index });
    return this;
  }

  private async compute(signal: AbortSignal): Promise<void> {
    await withRunStatus(this, signal, async () => {
      const { query, k, metric } = this.getState();
      const inPixels = await nearestNeighbors(this.pixels, [query], { k, metric, signal });
      const inFeatures = await nearestNeighbors(this.features, [query], { k, metric, signal });
      const order = [query, ...inPixels.indices[0], ...inFeatures.indices[0]];
      const bytes = tf.tidy(() => rgbaTensor(tf.gather(this.images, order)));
      let rgba: Uint8Array;
      try {
        rgba = Uint8Array.from(await bytes.data());
      } finally {
        bytes.dispose();
      }
      if (signal.aborted || this.closed) return;
      this.set({
        images: rgba,
        image_shape: [order.length, this.images.shape[1], this.images.shape[2]],
        pixel_indices: inPixels.indices[0],
        pixel_distances: inPixels.distances[0],
        feature_indices: inFeatures.indices[0],
        feature_distances: inFeatures.distances[0],
        captions: order.map((i) => this.names[i]),
      });
    });
  }

  /** Validates the query, k and the metric (from the kernel or the page). */
  protected coerce(s: ConvlensState<NeighborsViewState>): ConvlensState<NeighborsViewState> {
    checkInteger('query', s.query, 0, s.count - 1);
    checkInteger('k', s.k, 1, Math.min(64, s.count - 1));
    checkOneOf('metric', s.metric, NEIGHBOR_METRICS);
    checkInteger('tile_size', s.tile_size, 8, 512);
    return s;
  }

  protected reprKeys(): string[] {
    return ['query', 'k', 'metric', 'feature_indices'];
  }
}

/**
 * Show image `query` of `images` `[N, h, w, c]` with its `k` nearest neighbours in pixel space
 * and in the feature space `features` `[N, d]` (both copied). Click a neighbour to make it the
 * query; `view.setQuery(i)` does the same from code.
 * @example const nv = await lens.neighborsView(test.images, feats, { labels: test.labels, classNames: test.classNames, featureName: 'fc1' });
 */
export async function neighborsView(images: tf.Tensor4D, features: tf.Tensor2D, opts: NeighborsViewOptions = {}, options: WidgetOptions = {}): Promise<NeighborsView> {
  // Options by their own names (the view checks the same values again as state keys, for the page).
  if (opts.tileSize !== undefined) checkInteger('tileSize', opts.tileSize, 8, 512);
  const labels = opts.labels === undefined ? undefined : isTensor(opts.labels) ? Array.from(await opts.labels.data()) : Array.from(opts.labels);
  return new NeighborsView(images, features, labels, opts, options);
}
