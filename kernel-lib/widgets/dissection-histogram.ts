/**
 * The DissectionHistogram widget, kernel side (state: state/dissection-histogram.ts, view:
 * widgets/dissection-histogram.ts): a `dissect()` result as the paper's histogram of detectors
 * per concept grouped by category, an IoU threshold slider, and, for a clicked concept or unit,
 * the units' top images with their thresholded masks, rendered here latest-wins.
 */
import { tf } from '../tf';
import { checkInteger, checkNumber } from '../core/checks';
import type { WidgetOptions } from '../ipywidgets/widget';
import { rgbaBytes } from '../render/rgba';
import { tap } from '../models/activations';
import type { ShapesDataset } from '../data/shapes-dataset';
import { conceptDataset, type ConceptDataset } from '../techniques/dissection/concept-dataset';
import type { Dissection } from '../techniques/dissection/dissect';
import { unitMasks } from '../techniques/dissection/iou';
import { unitLabels } from '../techniques/dissection/report';
import type { ConvlensState } from './convlens-widget';
import { RecomputingWidget, withRunStatus } from './recompute';
import { DISSECTION_HISTOGRAM, detectorsByConcept, type DissectionHistogramState } from './state/dissection-histogram';

export type { DissectionHistogramState };

/** Options of {@link dissectionHistogram}. */
export interface DissectionHistogramOptions {
  /** The dissected model and its concept dataset: needed to show top images with masks (else only the charts). */
  model?: tf.LayersModel | tf.GraphModel;
  dataset?: ShapesDataset | ConceptDataset;
  /** Initial IoU threshold (default the dissection's, 0.04). */
  iouThreshold?: number;
  /** Top images shown per unit (default 5, at most the dissection's `topImages`). */
  topImages?: number;
  /** Units shown for a concept (default 6, best IoU first). */
  maxUnits?: number;
  /** Brightness kept outside a unit's mask (default 0.25). */
  dim?: number;
}

/** The DissectionHistogram widget; build it with {@link dissectionHistogram}. */
export class DissectionHistogram extends RecomputingWidget<DissectionHistogramState> {
  private readonly data: ConceptDataset | null;
  private readonly thresholds: tf.Tensor1D;

  constructor(private readonly result: Dissection, private readonly opts: DissectionHistogramOptions = {}, options: WidgetOptions = {}) {
    const labels = unitLabels(result);
    const data = opts.dataset ? conceptDataset(opts.dataset) : null;
    if (data && !data.imagesAt) throw new Error('dissectionHistogram: dataset has no imagesAt(indices); pass a shapesDataset() or a ConceptDataset with imagesAt to show top images.');
    if ((opts.model === undefined) !== (data === null)) throw new Error('dissectionHistogram: pass both model and dataset (to show top images) or neither.');
    super(
      DISSECTION_HISTOGRAM,
      {
        title: result.label,
        quantile: result.quantile,
        units: result.units,
        categories: result.categories,
        concepts: result.concepts.map((c) => c.name),
        concept_category: result.concepts.map((c) => result.categories.indexOf(c.category)),
        best_concept: labels.map((l) => l.concept),
        best_iou: labels.map((l) => l.iou),
        iou: new Uint8Array(Float32Array.from(result.iou).buffer),
        iou_threshold: checkNumber('iouThreshold', opts.iouThreshold ?? result.iouThreshold, 0, 1),
        top_images: checkInteger('topImages', Math.min(opts.topImages ?? 5, result.topImages.count), 1, result.topImages.count),
      },
      options,
    );
    checkInteger('maxUnits', opts.maxUnits ?? 6, 1, 64);
    this.data = data;
    this.thresholds = tf.tensor1d(Float32Array.from(result.thresholds));
    this.recomputeOn(['selected_concept', 'selected_unit', 'iou_threshold'], (signal) => this.compute(signal), [this.thresholds]);
  }

  /** The units to show: the selected unit, then the selected concept's detectors (best first). */
  private unitsToShow(s: DissectionHistogramState): number[] {
    const units = s.selected_concept >= 0 ? detectorsByConcept(s, s.iou_threshold)[s.selected_concept].slice(0, this.opts.maxUnits ?? 6) : [];
    return s.selected_unit >= 0 ? [s.selected_unit, ...units.filter((u) => u !== s.selected_unit)] : units;
  }

  private compute(signal: AbortSignal): Promise<void> {
    const s = this.getState();
    return withRunStatus(this, signal, async () => {
      const units = this.unitsToShow(s);
      if (!this.data || !this.opts.model || units.length === 0) {
        this.set({ shown_units: units, unit_images: new Uint8Array(0), unit_images_shape: [0, 0, 0] });
        return;
      }
      const T = s.top_images;
      const { count, indices } = this.result.topImages;
      const rows = units.flatMap((u) => Array.from(indices.subarray(u * count, u * count + T)));
      const rowUnits = units.flatMap((u) => Array(T).fill(u) as number[]);
      const images = this.data.imagesAt!(rows);
      const acts = tap(this.opts.model, [this.result.layer], images);
      const shown = tf.tidy(() => {
        const [H, W] = this.result.maskSize;
        const masks = unitMasks(acts[this.result.layer] as tf.Tensor4D, this.thresholds, H, W);
        const pick = tf.oneHot(tf.tensor1d(rowUnits, 'int32'), this.result.units).reshape([rows.length, 1, 1, this.result.units]);
        let mask = masks.mul(pick).sum<tf.Tensor4D>(3, true); // each row's own unit
        const [h, w] = images.shape.slice(1, 3);
        if (h !== H || w !== W) mask = tf.image.resizeNearestNeighbor(mask, [h, w]);
        const dim = this.opts.dim ?? 0.25;
        return images.clipByValue(0, 1).mul(mask.mul(1 - dim).add(dim));
      });
      try {
        const bytes = await rgbaBytes(shown);
        if (!this.closed && !signal.aborted) this.set({ shown_units: units, unit_images: bytes, unit_images_shape: [rows.length, images.shape[1], images.shape[2]] });
      } finally {
        tf.dispose([shown, images, ...Object.values(acts)]);
      }
    });
  }

  /** Validates the threshold and the selection. */
  protected coerce(s: ConvlensState<DissectionHistogramState>): ConvlensState<DissectionHistogramState> {
    checkNumber('iou_threshold', s.iou_threshold, 0, 1);
    checkInteger('selected_concept', s.selected_concept, -1, s.concepts.length - 1);
    checkInteger('selected_unit', s.selected_unit, -1, s.units - 1);
    return s;
  }

  protected reprKeys(): string[] {
    return ['title', 'iou_threshold', 'selected_concept', 'selected_unit'];
  }
}

/**
 * The histogram of detectors per concept of a dissection, grouped by category, with an IoU
 * threshold slider; click a bar for its units' top images with their masks, a unit for its IoU
 * with every concept. Pass the model and dataset to see images.
 *
 * @example
 * const d = await lens.dissect(model, 'conv3', ds);
 * lens.dissectionHistogram(d, { model, dataset: ds })
 */
export function dissectionHistogram(result: Dissection, opts: DissectionHistogramOptions = {}, options: WidgetOptions = {}): DissectionHistogram {
  return new DissectionHistogram(result, opts, options);
}
