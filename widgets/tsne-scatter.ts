/**
 * TsneScatter view: a WebGL scatter (plotly scattergl, one trace per class with a legend) of the
 * positions the kernel streams while t-SNE runs (redrawn latest-wins: frames that arrive during a
 * draw collapse into one), the hovered point's thumbnail, lasso / box / click selection written
 * back to the kernel, Start and Stop. Kernel side: `tsneScatter` (kernel-lib/widgets/tsne-scatter.ts).
 */
import { TSNE_SCATTER, type TsneScatterState } from '../kernel-lib/widgets/state/tsne-scatter';
import { ConvlensView, convlensModel } from './convlens-view';
import { float32Of, imageDataCanvas, isEmptyBuffer, rgbaStack, type WireBuffer } from './image-buffer';
import { createChart, type PlotlyChart, type PlotlyObject, type PlotPoint } from './plotly-chart';
import { applyThemeClass } from './theme';
import './feature-space.css';

/** The TsneScatter state as the page sees it. */
type State = TsneScatterState<WireBuffer>;

/** Model of a TsneScatter: the state declared in kernel-lib/widgets/state/tsne-scatter.ts. */
export const TsneScatterModel = convlensModel(TSNE_SCATTER);

/** View of a TsneScatter. */
export class TsneScatterView extends ConvlensView<State> {
  private chart: PlotlyChart | undefined;
  private plotEl!: HTMLDivElement;
  private statusEl!: HTMLDivElement;
  private titleEl!: HTMLDivElement;
  private thumbEl!: HTMLDivElement;
  private start!: HTMLButtonElement;
  private stop!: HTMLButtonElement;
  private clear!: HTMLButtonElement;
  /** Dataset index of each point of each trace (trace = class). */
  private traceIndices: number[][] = [];
  private drawing = false;
  private pending = false;
  private thumbs: ImageData[] | undefined;

  /** Build the DOM, draw the scatter and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-tsne-scatter');
    this.titleEl = document.createElement('div');
    this.titleEl.className = 'cl-title';
    const bar = document.createElement('div');
    bar.className = 'cl-fs-bar';
    const button = (text: string, cls: string, act: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `cl-fs-button ${cls}`;
      b.textContent = text;
      b.addEventListener('click', act);
      bar.append(b);
      return b;
    };
    this.start = button('Start t-SNE', 'cl-fs-start', () => this.send({ event: 'start' }));
    this.stop = button('Stop', 'cl-fs-stop', () => this.send({ event: 'stop' }));
    this.clear = button('Clear selection', 'cl-fs-clear', () => this.select([]));
    this.statusEl = document.createElement('div');
    this.statusEl.className = 'cl-status cl-fs-status';
    bar.append(this.statusEl);
    const noKernel = this.kernelOnly([this.start, this.stop]);
    const box = document.createElement('div');
    box.className = 'cl-fs-plot-box';
    this.plotEl = document.createElement('div');
    this.plotEl.className = 'cl-fs-plot';
    this.plotEl.style.height = `${this.state('height') || 480}px`;
    this.thumbEl = document.createElement('div');
    this.thumbEl.className = 'cl-fs-thumb';
    this.thumbEl.style.display = 'none';
    box.append(this.plotEl, this.thumbEl);
    this.el.append(this.titleEl, bar, noKernel, box);
    this.onChange(['positions', 'labels', 'class_names', 'point_size', 'selected'], () => void this.draw());
    this.onChange(['thumbnails', 'thumbnail_shape'], () => (this.thumbs = undefined));
    this.listenTo(this.model, 'change comm_live_update', () => this.drawStatus());
    this.drawStatus();
    void this.draw();
  }

  /** Free the chart with the view. */
  remove(): void {
    this.chart?.dispose();
    super.remove();
  }

  /** Redraw latest-wins: a change during a draw schedules one more draw. */
  private async draw(): Promise<void> {
    if (this.drawing) {
      this.pending = true;
      return;
    }
    this.drawing = true;
    try {
      do {
        this.pending = false;
        const { traces, layout } = this.figure();
        if (!this.chart) {
          this.chart = await createChart(this.plotEl, traces, layout, { scrollZoom: true });
          this.chart.onHover((points) => this.hover(points));
          this.chart.onSelect((points) => this.select(this.indicesOf(points)));
          this.chart.onClick((points) => this.select(this.indicesOf(points)));
        } else await this.chart.update(traces, layout);
      } while (this.pending);
    } finally {
      this.drawing = false;
    }
  }

  private figure(): { traces: PlotlyObject[]; layout: PlotlyObject } {
    const count = this.state('count');
    const bytes = this.state('positions');
    const xy = bytes && !isEmptyBuffer(bytes) ? float32Of(bytes) : new Float32Array(2 * count);
    const labels = this.state('labels');
    const names = this.state('class_names');
    const classes = Math.max(names.length, 1);
    const selected = new Set(this.state('selected'));
    this.traceIndices = Array.from({ length: classes }, () => []);
    for (let i = 0; i < count; i++) this.traceIndices[labels.length ? labels[i] : 0]?.push(i);
    const traces = this.traceIndices.map((ids, c) => ({
      type: 'scattergl',
      mode: 'markers',
      name: names[c] ?? `class ${c}`,
      x: ids.map((i) => xy[2 * i]),
      y: ids.map((i) => xy[2 * i + 1]),
      customdata: ids,
      hoverinfo: 'none',
      marker: { size: this.state('point_size') || 5, opacity: 0.85 },
      selectedpoints: selected.size ? ids.flatMap((i, k) => (selected.has(i) ? [k] : [])) : null,
      selected: { marker: { opacity: 1 } },
      unselected: { marker: { opacity: 0.15 } },
    }));
    const layout = {
      dragmode: 'lasso',
      uirevision: 'keep',
      hovermode: 'closest',
      margin: { l: 30, r: 10, t: 10, b: 30 },
      xaxis: { zeroline: false, showticklabels: false },
      yaxis: { zeroline: false, showticklabels: false, scaleanchor: 'x' },
      legend: { itemsizing: 'constant' },
    };
    return { traces, layout };
  }

  private indicesOf(points: PlotPoint[]): number[] {
    return points.map((p) => this.traceIndices[p.curveNumber]?.[p.pointIndex ?? p.pointNumber]).filter((i): i is number => i !== undefined);
  }

  private select(indices: number[]): void {
    this.setState({ selected: [...new Set(indices)].sort((a, b) => a - b) });
  }

  /** The hovered point's thumbnail and caption in the corner of the plot. */
  private hover(points: PlotPoint[]): void {
    const [index] = this.indicesOf(points.slice(0, 1));
    if (index === undefined) {
      this.thumbEl.style.display = 'none';
      return;
    }
    const bytes = this.state('thumbnails');
    const shape = this.state('thumbnail_shape');
    if (!this.thumbs && bytes && !isEmptyBuffer(bytes) && shape[0] > 0) this.thumbs = rgbaStack(bytes, shape);
    const caption = document.createElement('div');
    const labels = this.state('labels');
    caption.textContent = `#${index} ${labels.length ? this.state('class_names')[labels[index]] ?? '' : ''}`;
    const parts: HTMLElement[] = [];
    const image = this.thumbs?.[index];
    if (image) {
      const canvas = imageDataCanvas(image);
      canvas.className = 'cl-fs-thumb-image';
      parts.push(canvas);
    }
    this.thumbEl.replaceChildren(...parts, caption);
    this.thumbEl.dataset.index = String(index);
    this.thumbEl.style.display = '';
  }

  private drawStatus(): void {
    this.titleEl.textContent = this.state('title') || '';
    this.titleEl.style.display = this.titleEl.textContent ? '' : 'none';
    const running = this.state('running');
    const live = this.kernelLive();
    this.start.disabled = running || !live;
    this.stop.disabled = !running || !live;
    this.clear.disabled = this.state('selected').length === 0;
    this.el.classList.toggle('cl-running', running);
    const error = this.state('error');
    this.statusEl.classList.toggle('cl-error', !!error);
    const it = this.state('iteration');
    const umap = this.state('algorithm') === 'umap';
    this.start.textContent = umap ? 'Start UMAP' : 'Start t-SNE';
    const kl = umap ? '' : ` · KL ${this.state('kl').toFixed(3)}`;
    const progress = it > 0 ? `${this.state('method')} ${umap ? 'epoch' : 'iteration'} ${it}/${this.state('iterations')}${kl}` : this.state('method');
    this.statusEl.textContent = error || `${running ? 'running · ' : ''}${progress} · ${this.state('count')} points · ${this.state('selected').length} selected`;
  }
}
