/**
 * The DissectionComparison widget, kernel side (state: state/dissection-comparison.ts, view:
 * widgets/dissection-comparison.ts): `dissect()` results of several layers, architectures or
 * training snapshots side by side, unique detectors (or detector units) per category, with an IoU
 * threshold slider and a unique/units toggle, both counted in the page.
 */
import { checkNumber, checkOneOf } from '../core/checks';
import type { WidgetOptions } from '../ipywidgets/widget';
import type { Dissection } from '../techniques/dissection/dissect';
import { unitLabels } from '../techniques/dissection/report';
import { ConvlensWidget, type ConvlensState } from './convlens-widget';
import { DISSECTION_COMPARISON, type ComparisonMeasure, type DissectionComparisonState } from './state/dissection-comparison';

export type { DissectionComparisonState, ComparisonMeasure };

const MEASURES: readonly ComparisonMeasure[] = ['unique', 'detectors'];

/** The DissectionComparison widget; build it with {@link dissectionComparison}. */
export class DissectionComparison extends ConvlensWidget<DissectionComparisonState> {
  constructor(results: Dissection[], opts: { iouThreshold?: number; measure?: ComparisonMeasure } = {}, options: WidgetOptions = {}) {
    if (!Array.isArray(results) || results.length === 0) throw new Error('dissectionComparison: results must be a non-empty array of dissect() results.');
    const key = (d: Dissection) => d.concepts.map((c) => `${c.category}/${c.name}`).join('|');
    const odd = results.find((d) => key(d) !== key(results[0]));
    if (odd) throw new Error(`dissectionComparison: ${odd.label} was dissected over other concepts than ${results[0].label}; compare dissections of one concept dataset.`);
    const first = results[0];
    const labels = results.map(unitLabels);
    super(
      DISSECTION_COMPARISON,
      {
        labels: results.map((d) => d.label),
        units: results.map((d) => d.units),
        categories: first.categories,
        concepts: first.concepts.map((c) => c.name),
        concept_category: first.concepts.map((c) => first.categories.indexOf(c.category)),
        best_concept: labels.map((l) => l.map((u) => u.concept)),
        best_iou: labels.map((l) => l.map((u) => u.iou)),
        iou_threshold: checkNumber('iouThreshold', opts.iouThreshold ?? first.iouThreshold, 0, 1),
        measure: checkOneOf('measure', opts.measure ?? 'unique', MEASURES),
      },
      options,
    );
  }

  /** Validates the threshold and the measure. */
  protected coerce(s: ConvlensState<DissectionComparisonState>): ConvlensState<DissectionComparisonState> {
    checkNumber('iou_threshold', s.iou_threshold, 0, 1);
    checkOneOf('measure', s.measure, MEASURES);
    return s;
  }

  protected reprKeys(): string[] {
    return ['labels', 'iou_threshold', 'measure'];
  }
}

/**
 * Dissections side by side: unique detectors (or detector units) per category as grouped bars,
 * one colour per dissection, with an IoU threshold slider.
 *
 * @example
 * const layers = [await lens.dissect(model, 'conv2', ds), await lens.dissect(model, 'conv3', ds)];
 * lens.dissectionComparison(layers)
 */
export function dissectionComparison(results: Dissection[], opts: { iouThreshold?: number; measure?: ComparisonMeasure } = {}, options: WidgetOptions = {}): DissectionComparison {
  return new DissectionComparison(results, opts, options);
}
