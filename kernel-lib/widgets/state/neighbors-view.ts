/**
 * NeighborsView state, declared once: a query image with its k nearest neighbours in pixel space
 * beside its k nearest neighbours in feature space; clicking a neighbour makes it the query.
 * Kernel side `kernel-lib/widgets/neighbors-view.ts`, view `widgets/neighbors-view.ts`.
 */
import { defineWidget, RUN_STATUS_DEFAULTS, type RunStatusState } from './widget-spec';

/** NeighborsView state (`B`: how bytes arrive, see `FilterGridState`). */
export interface NeighborsViewState<B = Uint8Array> extends RunStatusState {
  /** Index of the query image in the dataset (the page sets it by clicking a neighbour). */
  query: number;
  /** Images in the dataset. */
  count: number;
  k: number;
  metric: 'l2' | 'cosine';
  /** RGBA bytes `[1 + 2k, h, w]`: the query, its pixel-space neighbours, its feature-space neighbours. */
  images: B;
  image_shape: number[];
  /** Dataset index, caption (class) and distance of each pixel-space and feature-space neighbour, nearest first. */
  pixel_indices: number[];
  pixel_distances: number[];
  feature_indices: number[];
  feature_distances: number[];
  /** Caption of each image in `images` (its class name). */
  captions: string[];
  /** Name of the feature space (e.g. the layer). */
  feature_name: string;
  /** Displayed image size in CSS pixels. */
  tile_size: number;
  title: string;
}

/** The NeighborsView widget. */
export const NEIGHBORS_VIEW = defineWidget<NeighborsViewState>(
  'Neighbors',
  () => ({
    ...RUN_STATUS_DEFAULTS,
    query: 0,
    count: 0,
    k: 8,
    metric: 'l2',
    images: new Uint8Array(0),
    image_shape: [0, 0, 0],
    pixel_indices: [],
    pixel_distances: [],
    feature_indices: [],
    feature_distances: [],
    captions: [],
    feature_name: 'features',
    tile_size: 72,
    title: '',
  }),
  ['images'],
);
