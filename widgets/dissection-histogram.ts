/**
 * DissectionHistogram view: detectors per concept as Plotly bars (lazy-loaded), one trace per
 * category (grouped and coloured by category, sorted by count within it, as in Bau et al.'s
 * figure); an IoU threshold slider recounting the bars here, live; clicking a bar lists the
 * concept's units (the kernel renders their top images with the thresholded masks); clicking a
 * unit shows its IoU with every concept. Kernel side: `dissectionHistogram`.
 */
import { DISSECTION_HISTOGRAM, detectorsByConcept, type DissectionHistogramState } from '../kernel-lib/widgets/state/dissection-histogram';
import { statusLine, type labelledSlider } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, float32Of, isEmptyBuffer, type WireBuffer } from './image-buffer';
import { createChart, type PlotlyChart, type PlotlyObject } from './plotly-chart';
import { dissectionFrame } from './dissection-frame';

/** The DissectionHistogram state as the page sees it. */
type State = DissectionHistogramState<WireBuffer>;

/** Category colours (Plotly's first qualitative colours). */
const CATEGORY_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Model of a DissectionHistogram: the state declared in kernel-lib/widgets/state/dissection-histogram.ts. */
export const DissectionHistogramModel = convlensModel(DISSECTION_HISTOGRAM);

/** View of a DissectionHistogram. */
export class DissectionHistogramView extends ConvlensView<State> {
  private headline!: HTMLDivElement;
  private chartEl!: HTMLDivElement;
  private chart: PlotlyChart | undefined;
  private threshold!: ReturnType<typeof labelledSlider>;
  private units!: HTMLDivElement;
  private images!: HTMLDivElement;
  private profile!: HTMLDivElement;
  private status!: ReturnType<typeof statusLine>;
  /** The threshold shown (moves with the slider before the kernel answers). */
  private shownThreshold = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    this.shownThreshold = this.state('iou_threshold');
    ({ headline: this.headline, chartEl: this.chartEl, threshold: this.threshold } = dissectionFrame(this.el, ['convlens-dissection-histogram'], this.shownThreshold, (v) => {
      this.shownThreshold = v;
      this.drawCounts();
      this.setState({ iou_threshold: v });
    }));
    this.units = document.createElement('div');
    this.units.className = 'cl-dh-units';
    this.images = document.createElement('div');
    this.images.className = 'cl-dh-images';
    this.profile = document.createElement('div');
    this.profile.className = 'cl-dh-profile';
    this.status = statusLine();
    const controls = document.createElement('div');
    controls.className = 'cl-controls';
    controls.append(this.threshold.element, this.status.element);
    // Without a kernel the bars, unit list and IoU profile still work here; only the units' top images need it.
    this.el.append(this.headline, controls, this.chartEl, this.units, this.kernelOnly([]), this.images, this.profile);

    this.onChange(['best_concept', 'best_iou', 'concepts', 'categories', 'iou_threshold', 'selected_concept'], () => {
      this.shownThreshold = this.state('iou_threshold');
      this.threshold.update(this.shownThreshold);
      this.drawCounts();
    });
    this.onChange(['shown_units', 'unit_images', 'unit_images_shape'], () => void this.drawImages());
    this.onChange(['selected_unit', 'iou'], () => this.drawProfile());
    this.onChange(['busy', 'progress', 'error'], () => this.status.update(this.state('busy'), this.state('progress'), this.state('error')));
    this.drawCounts();
    void this.drawImages();
    this.drawProfile();
  }

  /** Free the chart with the view. */
  remove(): void {
    this.chart?.dispose();
    super.remove();
  }

  /** Headline, bars and the unit list at the shown threshold. */
  private drawCounts(): void {
    const concepts = this.state('concepts');
    const categories = this.state('categories');
    const ofCategory = this.state('concept_category');
    const byConcept = detectorsByConcept({ concepts, best_concept: this.state('best_concept'), best_iou: this.state('best_iou') }, this.shownThreshold);
    const detectors = byConcept.reduce((s, u) => s + u.length, 0);
    this.headline.textContent = `${this.state('title')}: ${detectors}/${this.state('units')} units with IoU > ${+this.shownThreshold.toFixed(4)} (top ${this.state('quantile') * 100}% activations)`;
    const traces: PlotlyObject[] = categories.map((name, k) => {
      const ids = concepts.map((_, c) => c).filter((c) => ofCategory[c] === k && byConcept[c].length > 0).sort((a, b) => byConcept[b].length - byConcept[a].length);
      return {
        type: 'bar',
        name,
        x: ids.map((c) => concepts[c]),
        y: ids.map((c) => byConcept[c].length),
        customdata: ids,
        marker: { color: CATEGORY_COLOURS[k % CATEGORY_COLOURS.length], line: { width: ids.map((c) => (c === this.state('selected_concept') ? 2 : 0)), color: '#000' } },
        hovertemplate: `%{x} (${name}): %{y} unit(s)<extra></extra>`,
      };
    });
    // Each concept is in one trace only, so stacking draws full-width bars in category groups.
    const layout: PlotlyObject = { height: 320, barmode: 'stack', showlegend: true, legend: { traceorder: 'normal' }, xaxis: { type: 'category', tickangle: -45 }, yaxis: { title: { text: 'detector units' }, rangemode: 'tozero', tickformat: 'd' }, margin: { l: 50, r: 10, t: 10, b: 80 } };
    if (this.chart) void this.chart.update(traces, layout);
    else {
      void createChart(this.chartEl, traces, layout).then((chart) => {
        this.chart = chart;
        chart.onClick((points) => {
          const concept = Number(points[0]?.customdata);
          if (Number.isInteger(concept)) this.setState({ selected_concept: concept, selected_unit: -1 });
        });
        void chart.update(traces, layout);
      });
    }
    this.drawUnitList(byConcept);
  }

  /** Buttons for the selected concept's units. */
  private drawUnitList(byConcept: number[][]): void {
    const concept = this.state('selected_concept');
    if (concept < 0) {
      this.units.replaceChildren();
      return;
    }
    const bestIou = this.state('best_iou');
    const label = document.createElement('span');
    label.textContent = `${this.state('concepts')[concept]}: `;
    const buttons = byConcept[concept].map((u) => {
      const b = document.createElement('button');
      b.className = 'cl-dh-unit';
      b.textContent = `unit ${u} (${bestIou[u].toFixed(3)})`;
      b.setAttribute('aria-pressed', String(u === this.state('selected_unit')));
      b.addEventListener('click', () => this.setState({ selected_unit: u }));
      return b;
    });
    this.units.replaceChildren(label, ...(buttons.length ? buttons : [document.createTextNode('no units above the threshold')]));
  }

  /** One row per shown unit: its top images with the mask (from the kernel). */
  private async drawImages(): Promise<void> {
    const units = this.state('shown_units');
    const buffer = this.state('unit_images');
    const shape = this.state('unit_images_shape');
    if (!buffer || isEmptyBuffer(buffer) || units.length === 0 || !(shape[0] > 0)) {
      this.images.replaceChildren();
      return;
    }
    const canvases = await decodeImages('rgba', buffer, shape);
    const per = canvases.length / units.length;
    const concepts = this.state('concepts');
    this.images.replaceChildren(
      ...units.map((u, i) => {
        const row = document.createElement('div');
        row.className = 'cl-dh-row';
        row.dataset.unit = String(u);
        const label = document.createElement('button');
        label.className = 'cl-dh-row-label';
        label.textContent = `unit ${u}: ${concepts[this.state('best_concept')[u]]} ${this.state('best_iou')[u].toFixed(3)}`;
        label.addEventListener('click', () => this.setState({ selected_unit: u }));
        row.append(label, ...canvases.slice(i * per, (i + 1) * per));
        return row;
      }),
    );
  }

  /** The selected unit's IoU with its best concepts. */
  private drawProfile(): void {
    const unit = this.state('selected_unit');
    const iou = this.state('iou');
    if (unit < 0 || !iou || isEmptyBuffer(iou)) {
      this.profile.replaceChildren();
      return;
    }
    const concepts = this.state('concepts');
    const categories = this.state('categories');
    const values = float32Of(iou).subarray(unit * concepts.length, (unit + 1) * concepts.length);
    const top = Array.from(values, (v, c) => [v, c]).sort((a, b) => b[0] - a[0]).slice(0, 10);
    const scale = top[0][0] > 0 ? 300 / top[0][0] : 0;
    const title = document.createElement('div');
    title.textContent = `unit ${unit}: IoU with each concept (best 10 of ${concepts.length})`;
    const rows = top.map(([v, c]) => {
      const row = document.createElement('div');
      const bar = document.createElement('span');
      bar.className = 'cl-dh-profile-bar';
      bar.style.width = `${Math.round(scale * v)}px`;
      row.textContent = `${concepts[c]} (${categories[this.state('concept_category')[c]]}) ${v.toFixed(3)}`;
      row.append(bar);
      return row;
    });
    this.profile.replaceChildren(title, ...rows);
  }
}
