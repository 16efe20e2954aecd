/**
 * DissectionComparison state, declared once: several dissections over the same concepts (layers,
 * architectures, training snapshots) as grouped bars per category, unique detectors or detector
 * units, with an IoU threshold slider counted in the browser. Kernel side
 * `kernel-lib/widgets/dissection-comparison.ts`, view `widgets/dissection-comparison.ts`.
 */
import { defineWidget } from './widget-spec';

/** What the bars count per category. */
export type ComparisonMeasure = 'unique' | 'detectors';

/** DissectionComparison state (no binary keys). */
export interface DissectionComparisonState {
  /** One label per dissection ("model/layer", "epoch 3"...), and its number of units. */
  labels: string[];
  units: number[];
  categories: string[];
  /** The shared concepts and their category index. */
  concepts: string[];
  concept_category: number[];
  /** Per dissection, per unit: best concept index and its IoU. */
  best_concept: number[][];
  best_iou: number[][];
  iou_threshold: number;
  measure: ComparisonMeasure;
}

/** The DissectionComparison widget. */
export const DISSECTION_COMPARISON = defineWidget<DissectionComparisonState>(
  'DissectionComparison',
  () => ({
    labels: [],
    units: [],
    categories: [],
    concepts: [],
    concept_category: [],
    best_concept: [],
    best_iou: [],
    iou_threshold: 0.04,
    measure: 'unique',
  }),
  [],
);

/** Per category, the detector units (`detectors`) or distinct concepts detected (`unique`) of dissection `i` at `threshold`. */
export function countsPerCategory(s: DissectionComparisonState, i: number, threshold: number, measure: ComparisonMeasure): number[] {
  const units = s.categories.map(() => 0);
  const seen = new Set<number>();
  s.best_concept[i].forEach((c, u) => {
    if (!(s.best_iou[i][u] > threshold)) return;
    units[s.concept_category[c]] += 1;
    seen.add(c);
  });
  if (measure === 'detectors') return units;
  const unique = s.categories.map(() => 0);
  for (const c of seen) unique[s.concept_category[c]] += 1;
  return unique;
}
