/**
 * TsneScatter state, declared once: 2-D positions of a dataset's points (t-SNE streamed from the
 * kernel while it runs, or any fixed layout such as PCA) drawn as a WebGL scatter coloured by
 * class, a thumbnail per point for hovering, and the selection the page sends back. Kernel side
 * `kernel-lib/widgets/tsne-scatter.ts`, view `widgets/tsne-scatter.ts`.
 */
import { defineWidget } from './widget-spec';

/** TsneScatter state (`B`: how bytes arrive, see `FilterGridState`). */
export interface TsneScatterState<B = Uint8Array> {
  /** float32 `[x0, y0, x1, y1, ...]` bytes (little-endian), `count` points. */
  positions: B;
  count: number;
  /** Class index of each point (into `class_names`); empty: one class. */
  labels: number[];
  class_names: string[];
  /** RGBA bytes of one thumbnail per point, shape `thumbnail_shape` `[count, h, w]`; empty: no thumbnails. */
  thumbnails: B;
  thumbnail_shape: number[];
  /** Point indices the user selected (lasso, box or click), in increasing order. */
  selected: number[];
  /** True while t-SNE runs on the kernel. */
  running: boolean;
  /** Iterations done and planned, and the KL divergence at the frame shown (0 before a run). */
  iteration: number;
  iterations: number;
  kl: number;
  /** How the positions were made ('t-SNE', 'UMAP', 'PCA', ...). */
  method: string;
  /** What Start runs: 'tsne' or 'umap' (then `kl` stays 0). */
  algorithm: string;
  error: string;
  title: string;
  /** Marker size in CSS pixels. */
  point_size: number;
  /** Plot height in CSS pixels. */
  height: number;
}

/** The TsneScatter widget. */
export const TSNE_SCATTER = defineWidget<TsneScatterState>(
  'TsneScatter',
  () => ({
    positions: new Uint8Array(0),
    count: 0,
    labels: [],
    class_names: [],
    thumbnails: new Uint8Array(0),
    thumbnail_shape: [0, 0, 0],
    selected: [],
    running: false,
    iteration: 0,
    iterations: 0,
    kl: 0,
    method: 't-SNE',
    algorithm: 'tsne',
    error: '',
    title: '',
    point_size: 5,
    height: 480,
  }),
  ['positions', 'thumbnails'],
);
