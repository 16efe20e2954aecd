/**
 * Comparing dissections: layers of one model, two architectures, or snapshots of one model during
 * training (dissect after each epoch with `train`'s `onEpoch`, or dissect a list of saved models).
 * Everything reads finished {@link Dissection} results, so any threshold can be compared.
 */
import type { Dissection } from './dissect';
import { summary, unitLabels } from './report';

/** One row of {@link compareDissections}. */
export interface ComparisonRow {
  label: string;
  layer: string;
  units: number;
  detectors: number;
  /** Detector units per category. */
  detectorsPerCategory: Record<string, number>;
  /** Unique concepts detected per category (the paper's Figure 5 / 7 measure). */
  uniquePerCategory: Record<string, number>;
}

/**
 * Detectors and unique detectors per category for each dissection, side by side (same concept
 * dataset assumed; categories are the union).
 *
 * @example lens.dissection.compareDissections([conv2, conv3]).forEach((r) => console.log(r.label, r.uniquePerCategory));
 */
export function compareDissections(results: Dissection[], iouThreshold?: number): ComparisonRow[] {
  if (!Array.isArray(results) || results.length === 0) throw new Error('compareDissections: results must be a non-empty array of dissect() results.');
  const categories = [...new Set(results.flatMap((d) => d.categories))];
  return results.map((d) => {
    const s = summary(d, iouThreshold ?? d.iouThreshold);
    const pick = (f: (c: { detectors: number; unique: number }) => number) => Object.fromEntries(categories.map((c) => [c, s.perCategory[c] ? f(s.perCategory[c]) : 0]));
    return { label: d.label, layer: d.layer, units: d.units, detectors: s.detectors, detectorsPerCategory: pick((c) => c.detectors), uniquePerCategory: pick((c) => c.unique) };
  });
}

/** A unit's best concept in each dissection (e.g. training snapshots of one layer). */
export function unitHistory(results: Dissection[], unit: number): { label: string; concept: string; category: string; iou: number }[] {
  if (!Array.isArray(results) || results.length === 0) throw new Error('unitHistory: results must be a non-empty array of dissect() results.');
  return results.map((d) => {
    if (!(Number.isInteger(unit) && unit >= 0 && unit < d.units)) throw new Error(`unitHistory: unit ${JSON.stringify(unit)} is not in 0..${d.units - 1} of ${d.label}.`);
    const l = unitLabels(d)[unit];
    return { label: d.label, concept: l.name, category: l.category, iou: l.iou };
  });
}
