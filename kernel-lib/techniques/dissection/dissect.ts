/**
 * `dissect`: network dissection (Bau et al. 2017) of one layer over a concept dataset. Two
 * streamed passes through `activationBatches`: (1) every unit's exact top-`quantile` threshold
 * (`quantiles.ts`) and its top images (`top-images.ts`); (2) the unit-concept IoU counts
 * (`iou.ts`). The result is plain data (no tensors); `report.ts` reads detectors and exports it.
 */
import { tf } from '../../tf';
import { checkNumber, checkInteger } from '../../core/checks';
import type { RunControl } from '../../core/run-control';
import { activationBatches } from '../../models/activations';
import { checkModel } from '../../models/validate';
import { getLayer } from '../../models/layers';
import type { ShapesDataset } from '../../data/shapes-dataset';
import { conceptDataset, type ConceptDataset } from './concept-dataset';
import { TopQuantile } from './quantiles';
import { TopImages, type UnitTopImages } from './top-images';
import { IouTally, iouBatchSize, iouFromCounts, type IouCounts } from './iou';

/** Options of {@link dissect}. */
export interface DissectOptions extends RunControl {
  /** Top fraction of each unit's activations that counts as "on" (0 < q < 1). Default 0.005 (the paper's). */
  quantile?: number;
  /** IoU above which a unit is a detector of its best concept. Default 0.04 (the paper's); reports can use another. */
  iouThreshold?: number;
  /** Top images kept per unit (by the unit's peak activation). Default 8. */
  topImages?: number;
}

/** A concept of the dissection, in the flattened order of `Dissection.iou`'s columns. */
export interface DissectionConcept {
  name: string;
  category: string;
}

/** What {@link dissect} returns: plain data, JSON-friendly through `report.ts`'s `toJSON`. */
export interface Dissection {
  /** Layer (node) name and a label for comparisons (model name / snapshot). */
  layer: string;
  label: string;
  /** Channels of the layer. */
  units: number;
  /** Images dissected, activation map `[h, w]` and mask `[H, W]` sizes. */
  n: number;
  activationSize: [number, number];
  maskSize: [number, number];
  quantile: number;
  iouThreshold: number;
  categories: string[];
  /** Every concept, category by category (the columns of `iou`). */
  concepts: DissectionConcept[];
  /** Per unit top-quantile threshold T_k. */
  thresholds: Float64Array;
  /** `[units, concepts]` row-major IoU. */
  iou: Float64Array;
  /** The counts the IoU was made of. */
  counts: IouCounts;
  /** Per unit top images (indices into the dataset) by peak activation. */
  topImages: UnitTopImages;
}

function layerName(model: tf.LayersModel | tf.GraphModel, layer: unknown): string {
  if (typeof layer !== 'string') throw new Error(`dissect: layer must be a layer name (string), got ${JSON.stringify(layer)}.`);
  if (model instanceof tf.LayersModel) getLayer(model, layer);
  return layer;
}

/**
 * Dissects `layer` of `model` over `dataset` (a `shapesDataset()` or any {@link ConceptDataset}):
 * thresholds at the top `quantile` of each unit's activations over the whole dataset, upsampled
 * activation masks, IoU of every unit with every concept, with progress (both passes) and Stop.
 * Memory is independent of the dataset size (streamed), plus `units * quantile * n * h * w`
 * floats for the exact thresholds.
 *
 * @example
 * const ds = await lens.shapesDataset({ n: 2000 });
 * const d = await lens.dissect(model, 'conv3', ds, { onProgress });
 * lens.dissection.summary(d).headline; // "5/64 units with IoU > 0.04"
 */
export async function dissect(
  model: tf.LayersModel | tf.GraphModel,
  layer: string,
  dataset: ShapesDataset | ConceptDataset,
  opts: DissectOptions = {},
): Promise<Dissection> {
  const m = checkModel(model, 'dissect');
  const name = layerName(m, layer);
  const data = conceptDataset(dataset);
  const quantile = opts.quantile ?? 0.005;
  if (!(typeof quantile === 'number' && quantile > 0 && quantile < 1)) throw new Error(`dissect: quantile must be a number in (0, 1) (the paper's is 0.005); got ${JSON.stringify(quantile)}.`);
  const iouThreshold = checkNumber('dissect: iouThreshold', opts.iouThreshold ?? 0.04, 0, 1);
  const keepImages = checkInteger('dissect: topImages', opts.topImages ?? 8, 1, 1000);
  const source = () => (data.images instanceof tf.Tensor ? data.images : data.images());
  const [H, W] = data.maskSize;
  const pass = (p: number, batchSize?: number) => ({
    signal: opts.signal,
    batchSize,
    total: data.n,
    onProgress: opts.onProgress && ((r: { done: number }) => opts.onProgress?.({ done: p * data.n + r.done, total: 2 * data.n, fraction: (p * data.n + r.done) / (2 * data.n) })),
  });

  // Pass 1: thresholds and top images.
  let quant: TopQuantile | null = null;
  let tops: TopImages | null = null;
  let shape: [number, number, number] = [0, 0, 0];
  let thresholds: Float64Array;
  let topImages: UnitTopImages;
  try {
    for await (const { activations, start } of activationBatches(m, [name], source(), pass(0, opts.batchSize))) {
      const acts = activations[name];
      if (acts.rank !== 4) throw new Error(`dissect: layer ${JSON.stringify(name)} outputs shape [${acts.shape.join(', ')}]; dissection needs a spatial layer [batch, h, w, units] (a conv or pooling layer).`);
      if (!quant) {
        const [, h, w, u] = acts.shape as number[];
        shape = [h, w, u];
        quant = new TopQuantile(shape[2], data.n * shape[0] * shape[1], quantile);
        tops = new TopImages(shape[2], keepImages);
      }
      quant.add(acts);
      tops?.add(acts, start);
    }
    if (!quant || !tops) throw new Error('dissect: the dataset yielded no images.');
    thresholds = await quant.thresholds();
    topImages = await tops.read();
  } finally {
    quant?.dispose();
    tops?.dispose();
  }

  // Pass 2: IoU counts, in batches whose masks fit in memory and stay exact in float32.
  const units = shape[2];
  const tally = new IouTally(data, units, thresholds);
  const maxBatch = iouBatchSize(data, units);
  try {
    for await (const { activations, start } of activationBatches(m, [name], source(), pass(1, Math.min(opts.batchSize ?? maxBatch, maxBatch)))) {
      await tally.add(activations[name], start);
    }
  } finally {
    tally.dispose();
  }
  const counts = tally.read();
  const concepts = data.categories.flatMap((category) => data.concepts[category].map((c) => ({ name: c, category })));
  const categoryOf = concepts.map((c) => data.categories.indexOf(c.category));
  return {
    layer: name,
    label: `${model instanceof tf.LayersModel ? model.name : 'model'}/${name}`,
    units,
    n: data.n,
    activationSize: [shape[0], shape[1]],
    maskSize: [H, W],
    quantile,
    iouThreshold,
    categories: [...data.categories],
    concepts,
    thresholds,
    iou: iouFromCounts(counts, units, categoryOf),
    counts,
    topImages,
  };
}
