/**
 * DissectionHistogram state, declared once: a dissection's detectors per concept (bars grouped
 * and coloured by category, as in Bau et al.'s figure), the IoU threshold slider (counted in the
 * browser from each unit's best concept, so it updates live), the selected concept's units with
 * their top images and thresholded masks (rendered on the kernel), and one unit's IoU with every
 * concept. Kernel side `kernel-lib/widgets/dissection-histogram.ts`, view `widgets/dissection-histogram.ts`.
 */
import { defineWidget, RUN_STATUS_DEFAULTS, type RunStatusState } from './widget-spec';

/** DissectionHistogram state (`B`: how bytes arrive, see `FilterGridState`). */
export interface DissectionHistogramState<B = Uint8Array> extends RunStatusState {
  /** What was dissected ("model/layer"), and the quantile used. */
  title: string;
  quantile: number;
  units: number;
  categories: string[];
  /** Every concept's name and its category index (the columns of `iou`). */
  concepts: string[];
  concept_category: number[];
  /** Per unit: index of its best concept and that IoU. */
  best_concept: number[];
  best_iou: number[];
  /** float32 bytes of the `[units, concepts]` IoU table (the unit view). */
  iou: B;
  /** Units with best IoU above this are detectors (the slider; the paper's is 0.04). */
  iou_threshold: number;
  /** The clicked concept (-1: none) and unit (-1: none). */
  selected_concept: number;
  selected_unit: number;
  /** Units whose rows of top images are shown (the kernel fills this for the selection). */
  shown_units: number[];
  /** RGBA bytes `[shown_units.length * top_images, h, w]`: top images, outside the unit's mask dimmed. */
  unit_images: B;
  unit_images_shape: number[];
  /** Top images per shown unit. */
  top_images: number;
}

/** The DissectionHistogram widget. */
export const DISSECTION_HISTOGRAM = defineWidget<DissectionHistogramState>(
  'DissectionHistogram',
  () => ({
    title: '',
    quantile: 0.005,
    units: 0,
    categories: [],
    concepts: [],
    concept_category: [],
    best_concept: [],
    best_iou: [],
    iou: new Uint8Array(0),
    iou_threshold: 0.04,
    selected_concept: -1,
    selected_unit: -1,
    shown_units: [],
    unit_images: new Uint8Array(0),
    unit_images_shape: [0, 0, 0],
    top_images: 5,
    ...RUN_STATUS_DEFAULTS,
  }),
  ['iou', 'unit_images'],
);

/** Detector units of each concept at `threshold` (units whose best IoU is above it), best IoU first. */
export function detectorsByConcept(s: Pick<DissectionHistogramState<unknown>, 'best_concept' | 'best_iou' | 'concepts'>, threshold: number): number[][] {
  const out: number[][] = s.concepts.map(() => []);
  s.best_concept.forEach((c, unit) => {
    if (s.best_iou[unit] > threshold) out[c].push(unit);
  });
  for (const units of out) units.sort((a, b) => s.best_iou[b] - s.best_iou[a]);
  return out;
}
