/**
 * DissectionComparison view: grouped Plotly bars (lazy-loaded), categories on the x axis, one bar
 * per dissection (layer, architecture, snapshot), counting unique detectors or detector units at
 * the IoU threshold of the slider, recounted here as it moves. Kernel side: `dissectionComparison`.
 */
import { DISSECTION_COMPARISON, countsPerCategory, type ComparisonMeasure, type DissectionComparisonState } from '../kernel-lib/widgets/state/dissection-comparison';
import { labelledSelect, type labelledSlider } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { createChart, type PlotlyChart, type PlotlyObject } from './plotly-chart';
import { dissectionFrame } from './dissection-frame';

/** Model of a DissectionComparison: the state declared in kernel-lib/widgets/state/dissection-comparison.ts. */
export const DissectionComparisonModel = convlensModel(DISSECTION_COMPARISON);

/** View of a DissectionComparison. */
export class DissectionComparisonView extends ConvlensView<DissectionComparisonState> {
  private headline!: HTMLDivElement;
  private chartEl!: HTMLDivElement;
  private chart: PlotlyChart | undefined;
  private threshold!: ReturnType<typeof labelledSlider>;
  private measure!: HTMLSelectElement;
  private shownThreshold = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    this.shownThreshold = this.state('iou_threshold');
    ({ headline: this.headline, chartEl: this.chartEl, threshold: this.threshold } = dissectionFrame(this.el, ['convlens-dissection-histogram', 'convlens-dissection-comparison'], this.shownThreshold, (v) => {
      this.shownThreshold = v;
      this.draw();
      this.setState({ iou_threshold: v });
    }));
    const count = labelledSelect<ComparisonMeasure>('Count', [['unique', 'unique detectors (concepts)'], ['detectors', 'detector units']], (measure) => this.setState({ measure }));
    this.measure = count.select;
    const controls = document.createElement('div');
    controls.className = 'cl-controls';
    controls.append(this.threshold.element, count.element);
    this.el.append(this.headline, controls, this.chartEl);
    this.onChange(['labels', 'best_concept', 'best_iou', 'iou_threshold', 'measure'], () => {
      this.shownThreshold = this.state('iou_threshold');
      this.threshold.update(this.shownThreshold);
      this.draw();
    });
    this.draw();
  }

  /** Free the chart with the view. */
  remove(): void {
    this.chart?.dispose();
    super.remove();
  }

  private draw(): void {
    const keys = ['labels', 'units', 'categories', 'concepts', 'concept_category', 'best_concept', 'best_iou', 'iou_threshold', 'measure'] as const;
    const s = Object.fromEntries(keys.map((k) => [k, this.state(k)])) as unknown as DissectionComparisonState;
    const measure = s.measure;
    this.measure.value = measure;
    const t = this.shownThreshold;
    this.headline.textContent = s.labels.map((l, i) => `${l}: ${countsPerCategory(s, i, t, 'detectors').reduce((a, b) => a + b, 0)}/${s.units[i]}`).join(' · ') + ` units with IoU > ${+t.toFixed(4)}`;
    const traces: PlotlyObject[] = s.labels.map((label, i) => ({
      type: 'bar',
      name: label,
      x: s.categories,
      y: countsPerCategory(s, i, t, measure),
      hovertemplate: `${label}<br>%{x}: %{y}<extra></extra>`,
    }));
    const layout: PlotlyObject = { height: 320, barmode: 'group', showlegend: true, yaxis: { title: { text: measure === 'unique' ? 'unique detectors' : 'detector units' }, rangemode: 'tozero', tickformat: 'd' }, margin: { l: 50, r: 10, t: 10, b: 40 } };
    if (this.chart) void this.chart.update(traces, layout);
    else void createChart(this.chartEl, traces, layout).then((chart) => {
      this.chart = chart;
      void chart.update(traces, layout);
    });
  }
}
