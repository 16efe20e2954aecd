/**
 * EpochSlider: a conv layer's filters (and a probe's activation maps) at every training snapshot,
 * scrubbed with a slider or played, with the snapshots' diagnostics plotted (plotly, loaded
 * lazily) and the current snapshot marked. Every frame arrives once; scrubbing stays in the page.
 * The kernel side is `epochSlider` in kernel-lib.
 */
import { EPOCH_SLIDER, type EpochSliderState } from '../kernel-lib/widgets/state/epoch-slider';
import { labelledSlider } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, isEmptyBuffer, type WireBuffer } from './image-buffer';
import { createChart, type PlotlyChart } from './plotly-chart';
import { applyThemeClass } from './theme';
import { TileGrid } from './tile-grid';

type State = EpochSliderState<WireBuffer>;

/** Model of an EpochSlider: the state declared in kernel-lib/widgets/state/epoch-slider.ts. */
export const EpochSliderModel = convlensModel(EPOCH_SLIDER);

/** View of an EpochSlider: controls, the frame's filters and maps, the diagnostics chart. */
export class EpochSliderView extends ConvlensView<State> {
  private filterGrid!: TileGrid;
  private mapGrid!: TileGrid;
  private filterFrames: HTMLCanvasElement[] = [];
  private mapFrames: HTMLCanvasElement[] = [];
  private slider!: ReturnType<typeof labelledSlider>;
  private playButton!: HTMLButtonElement;
  private frameLabel!: HTMLSpanElement;
  private chartEl!: HTMLDivElement;
  private chart: PlotlyChart | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-epoch-slider');
    const title = document.createElement('div');
    title.className = 'cl-title';
    title.textContent = this.state('title');
    const caption = document.createElement('div');
    caption.className = 'cl-caption';
    caption.textContent = this.state('caption');
    const controls = document.createElement('div');
    controls.className = 'cl-controls';
    this.playButton = document.createElement('button');
    this.playButton.type = 'button';
    this.playButton.className = 'cl-play';
    this.playButton.textContent = '▶ play';
    this.playButton.addEventListener('click', () => this.togglePlay());
    const last = Math.max(0, this.state('labels').length - 1);
    this.slider = labelledSlider('snapshot', { min: 0, max: last, step: 1, value: this.state('frame') }, (v) => this.setState({ frame: v }));
    this.frameLabel = document.createElement('span');
    this.frameLabel.className = 'cl-frame-label';
    controls.append(this.playButton, this.slider.element, this.frameLabel);
    const tileSize = this.state('tile_size') || 40;
    this.filterGrid = new TileGrid({ tileSize, columns: 0, zoom: 4 });
    this.mapGrid = new TileGrid({ tileSize, columns: 0, zoom: 4 });
    this.chartEl = document.createElement('div');
    this.chartEl.className = 'cl-epoch-chart';
    this.el.append(title, controls, this.filterGrid.element, this.mapGrid.element, this.chartEl, caption);
    this.onChange(['frame'], () => this.showFrame());
    this.onChange(['filters', 'maps', 'filter_shape', 'map_shape'], () => this.decode());
    this.onChange(['series', 'series_names', 'labels'], () => this.drawChart());
    void this.decode();
  }

  /** Stop playing and free the grids with the view. */
  remove(): void {
    if (this.timer) clearInterval(this.timer);
    this.filterGrid.dispose();
    this.mapGrid.dispose();
    super.remove();
  }

  private togglePlay(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.textContent = '▶ play';
      return;
    }
    this.playButton.textContent = '❚❚ pause';
    this.timer = setInterval(() => {
      const count = this.state('labels').length;
      this.setState({ frame: count > 0 ? (this.state('frame') + 1) % count : 0 });
    }, Math.max(16, this.state('interval_ms') || 500));
  }

  private async decode(): Promise<void> {
    try {
      this.filterFrames = await decodeImages('rgba', this.state('filters'), this.state('filter_shape'));
      const maps = this.state('maps');
      this.mapFrames = isEmptyBuffer(maps) ? [] : await decodeImages('rgba', maps, this.state('map_shape'));
      this.showFrame();
      await this.drawChart();
    } catch (err) {
      this.frameLabel.textContent = String(err);
    }
  }

  private showFrame(): void {
    const frame = this.state('frame');
    const labels = this.state('labels');
    const n = this.state('filter_count');
    const m = this.state('map_count');
    this.slider.update(frame, Math.max(0, labels.length - 1));
    this.frameLabel.textContent = `${labels[frame] ?? ''} (${frame + 1} of ${labels.length})`;
    const names = (k: number, what: string) => Array.from({ length: k }, (_, i) => `${what} ${i}, ${labels[frame] ?? ''}`);
    // A canvas lives in one place in the DOM: tiles get copies of the frame's canvases.
    const copy = (c: HTMLCanvasElement) => {
      const out = document.createElement('canvas');
      out.width = c.width;
      out.height = c.height;
      out.getContext('2d')!.drawImage(c, 0, 0);
      return out;
    };
    this.filterGrid.setImages(this.filterFrames.slice(frame * n, (frame + 1) * n).map(copy), names(n, 'filter'));
    this.mapGrid.element.style.display = m > 0 ? '' : 'none';
    if (m > 0) this.mapGrid.setImages(this.mapFrames.slice(frame * m, (frame + 1) * m).map(copy), names(m, 'probe map of unit'));
    void this.markChart();
  }

  private traces() {
    const labels = this.state('labels');
    const x = labels.map((_, i) => i + 1);
    return this.state('series_names').map((name, i) => ({
      type: 'scattergl',
      mode: 'lines+markers',
      name,
      x,
      y: this.state('series')[i].map((v) => (v === null ? NaN : v)),
      text: labels,
    }));
  }

  private layout() {
    const frame = this.state('frame') + 1;
    return {
      height: 260,
      xaxis: { title: { text: 'snapshot' }, dtick: 1 },
      yaxis: { title: { text: 'value' } },
      legend: { orientation: 'h', y: -0.3 },
      shapes: [{ type: 'line', x0: frame, x1: frame, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', width: 1 } }],
    };
  }

  private async drawChart(): Promise<void> {
    if (this.state('series_names').length === 0) return;
    if (!this.chart) this.chart = await createChart(this.chartEl, this.traces(), this.layout());
    else await this.chart.update(this.traces(), this.layout());
  }

  private async markChart(): Promise<void> {
    if (this.chart) await this.chart.update(this.traces(), this.layout());
  }
}
