/**
 * Reading a {@link Dissection}: each unit's best concept, detectors at an IoU threshold (the
 * paper's 0.04 or any other, without recomputing), detectors and unique detectors per category,
 * and exports (JSON, CSV in NetDissect's `tally.csv` columns).
 */
import { checkNumber } from '../../core/checks';
import type { Dissection } from './dissect';

/** One unit's best concept. */
export interface UnitLabel {
  unit: number;
  /** Index into `Dissection.concepts`. */
  concept: number;
  name: string;
  category: string;
  iou: number;
}

/** Detector counts at one IoU threshold. */
export interface DissectionSummary {
  label: string;
  iouThreshold: number;
  units: number;
  /** Units whose best concept has IoU above the threshold. */
  detectors: number;
  /** "N/M units with IoU > t". */
  headline: string;
  /** Per category: detector units and unique concepts detected. */
  perCategory: Record<string, { detectors: number; unique: number }>;
  /** Concepts with at least one detector, most detectors first, with their units (best IoU first). */
  perConcept: { name: string; category: string; units: number[]; ious: number[] }[];
}

/** Each unit's best concept over all categories (ties: the first concept). */
export function unitLabels(d: Dissection): UnitLabel[] {
  const K = d.concepts.length;
  return Array.from({ length: d.units }, (_, unit) => {
    let best = 0;
    for (let c = 1; c < K; c++) if (d.iou[unit * K + c] > d.iou[unit * K + best]) best = c;
    return { unit, concept: best, name: d.concepts[best].name, category: d.concepts[best].category, iou: d.iou[unit * K + best] };
  });
}

/** The IoU of `unit` with every concept, best first. */
export function unitProfile(d: Dissection, unit: number): { name: string; category: string; iou: number }[] {
  if (!(Number.isInteger(unit) && unit >= 0 && unit < d.units)) throw new Error(`unitProfile: unit ${JSON.stringify(unit)} is not in 0..${d.units - 1}.`);
  const K = d.concepts.length;
  return d.concepts.map((c, k) => ({ ...c, iou: d.iou[unit * K + k] })).sort((a, b) => b.iou - a.iou);
}

/** Detectors (units whose best IoU > `iouThreshold`), per category and per concept. */
export function summary(d: Dissection, iouThreshold = d.iouThreshold): DissectionSummary {
  checkNumber('summary: iouThreshold', iouThreshold, 0, 1);
  const labels = unitLabels(d).filter((l) => l.iou > iouThreshold);
  const perConcept = new Map<number, UnitLabel[]>();
  for (const l of labels) perConcept.set(l.concept, [...(perConcept.get(l.concept) ?? []), l]);
  const perCategory = Object.fromEntries(d.categories.map((c) => [c, { detectors: 0, unique: 0 }]));
  for (const [k, list] of perConcept) {
    perCategory[d.concepts[k].category].detectors += list.length;
    perCategory[d.concepts[k].category].unique += 1;
  }
  const concepts = [...perConcept.entries()]
    .map(([k, list]) => {
      const sorted = [...list].sort((a, b) => b.iou - a.iou);
      return { name: d.concepts[k].name, category: d.concepts[k].category, units: sorted.map((l) => l.unit), ious: sorted.map((l) => l.iou) };
    })
    .sort((a, b) => b.units.length - a.units.length || b.ious[0] - a.ious[0]);
  return {
    label: d.label,
    iouThreshold,
    units: d.units,
    detectors: labels.length,
    headline: `${labels.length}/${d.units} units with IoU > ${iouThreshold}`,
    perCategory,
    perConcept: concepts,
  };
}

/** The dissection as plain JSON (typed arrays become arrays; `iou` as rows per unit). */
export function toJSON(d: Dissection): Record<string, unknown> {
  const K = d.concepts.length;
  return {
    ...d,
    thresholds: Array.from(d.thresholds),
    iou: Array.from({ length: d.units }, (_, u) => Array.from(d.iou.subarray(u * K, (u + 1) * K))),
    counts: { intersection: Array.from(d.counts.intersection), unitPixels: Array.from(d.counts.unitPixels), labelPixels: Array.from(d.counts.labelPixels) },
    topImages: { count: d.topImages.count, indices: Array.from(d.topImages.indices), scores: Array.from(d.topImages.scores) },
    units: d.units,
  };
}

/** One row per unit, NetDissect's `tally.csv` columns: unit, category, label, score (IoU), plus threshold. */
export function toCSV(d: Dissection): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = unitLabels(d).map((l) => [l.unit, quote(l.category), quote(l.name), l.iou.toFixed(6), d.thresholds[l.unit].toPrecision(8)].join(','));
  return ['unit,category,label,score,threshold', ...rows].join('\n') + '\n';
}
