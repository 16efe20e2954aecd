/**
 * NeighborsView view: the query image, then its nearest neighbours in pixel space and in feature
 * space as two tile rows with captions (class, distance); clicking a neighbour makes it the
 * query (the kernel recomputes). A k slider and the metric choice sit on top. Kernel side:
 * `neighborsView` (kernel-lib/widgets/neighbors-view.ts).
 */
import { NEIGHBORS_VIEW, type NeighborsViewState } from '../kernel-lib/widgets/state/neighbors-view';
import { labelledSlider, statusLine } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, isEmptyBuffer, type WireBuffer } from './image-buffer';
import { applyThemeClass } from './theme';
import { TileGrid } from './tile-grid';
import './feature-space.css';

/** The NeighborsView state as the page sees it. */
type State = NeighborsViewState<WireBuffer>;

/** Model of a NeighborsView (widget name 'Neighbors'): the state declared in kernel-lib/widgets/state/neighbors-view.ts. */
export const NeighborsModel = convlensModel(NEIGHBORS_VIEW);

/** View of a NeighborsView. */
export class NeighborsView extends ConvlensView<State> {
  private titleEl!: HTMLDivElement;
  private queryCanvas!: HTMLDivElement;
  private queryCaption!: HTMLDivElement;
  private rows: Array<{ label: HTMLDivElement; grid: TileGrid }> = [];
  private k!: ReturnType<typeof labelledSlider>;
  private metric!: HTMLSelectElement;
  private status!: ReturnType<typeof statusLine>;
  private token = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-neighbors-view');
    this.titleEl = document.createElement('div');
    this.titleEl.className = 'cl-title';
    const controls = document.createElement('div');
    controls.className = 'cl-controls cl-fs-bar';
    this.k = labelledSlider('k', { min: 1, max: Math.min(32, Math.max(1, this.state('count') - 1)), step: 1, value: this.state('k') }, (v) => this.setState({ k: v }));
    const metricLabel = document.createElement('label');
    metricLabel.className = 'cl-control';
    const name = document.createElement('span');
    name.className = 'cl-control-name';
    name.textContent = 'metric';
    this.metric = document.createElement('select');
    this.metric.setAttribute('aria-label', 'metric');
    for (const m of ['l2', 'cosine']) {
      const o = document.createElement('option');
      o.value = m;
      o.textContent = m === 'l2' ? 'Euclidean' : 'cosine';
      this.metric.append(o);
    }
    this.metric.addEventListener('change', () => this.setState({ metric: this.metric.value as State['metric'] }));
    metricLabel.append(name, this.metric);
    this.status = statusLine();
    controls.append(this.k.element, metricLabel, this.status.element);
    const query = document.createElement('div');
    query.className = 'cl-fs-query';
    this.queryCanvas = document.createElement('div');
    this.queryCaption = document.createElement('div');
    this.queryCaption.className = 'cl-caption';
    query.append(this.queryCanvas, this.queryCaption);
    this.el.append(this.titleEl, controls, query);
    for (const space of ['pixel', 'feature']) {
      const row = document.createElement('div');
      row.className = `cl-fs-row cl-fs-${space}`;
      const label = document.createElement('div');
      label.className = 'cl-fs-row-label';
      const grid = new TileGrid({ tileSize: this.state('tile_size') || 72, columns: 0, zoom: 0, onSelect: (i) => this.pick(space, i) });
      row.append(label, grid.element);
      this.el.append(row);
      this.rows.push({ label, grid });
    }
    this.onChange(['images', 'image_shape', 'captions'], () => void this.drawImages());
    this.listenTo(this.model, 'change', () => this.drawControls());
    this.drawControls();
    void this.drawImages();
  }

  /** Remove the grids' handlers with the view. */
  remove(): void {
    for (const r of this.rows) r.grid.dispose();
    super.remove();
  }

  private pick(space: string, position: number): void {
    const list = this.state(space === 'pixel' ? 'pixel_indices' : 'feature_indices');
    if (list[position] !== undefined) this.setState({ query: list[position] });
  }

  private drawControls(): void {
    this.titleEl.textContent = this.state('title') || '';
    this.titleEl.style.display = this.titleEl.textContent ? '' : 'none';
    this.k.update(this.state('k'));
    this.metric.value = this.state('metric');
    this.status.update(this.state('busy'), this.state('progress'), this.state('error'));
    const metric = this.state('metric') === 'l2' ? 'Euclidean' : 'cosine';
    this.rows[0].label.textContent = `nearest in pixel space (${metric})`;
    this.rows[1].label.textContent = `nearest in ${this.state('feature_name')} space (${metric})`;
  }

  private async drawImages(): Promise<void> {
    const token = ++this.token;
    const bytes = this.state('images');
    const shape = this.state('image_shape');
    if (!bytes || isEmptyBuffer(bytes) || !(shape[0] > 0)) return;
    const canvases = await decodeImages('rgba', bytes, shape);
    if (token !== this.token) return;
    const captions = this.state('captions');
    const k = (canvases.length - 1) / 2;
    const [query, ...rest] = canvases;
    query.className = 'cl-fs-query-image';
    const size = 2 * (this.state('tile_size') || 72);
    Object.assign(query.style, { width: `${size}px`, height: `${size}px` });
    this.queryCanvas.replaceChildren(query);
    this.queryCaption.textContent = `query #${this.state('query')}: ${captions[0] ?? ''}`;
    const pd = this.state('pixel_distances');
    const fd = this.state('feature_distances');
    const label = (i: number, d: number[], ids: number[], t: number) => `#${ids[t]} ${captions[i] ?? ''} · d = ${(d[t] ?? 0).toPrecision(3)}`;
    this.rows[0].grid.setImages(rest.slice(0, k), rest.slice(0, k).map((_, t) => label(1 + t, pd, this.state('pixel_indices'), t)));
    this.rows[1].grid.setImages(rest.slice(k), rest.slice(k).map((_, t) => label(1 + k + t, fd, this.state('feature_indices'), t)));
  }
}
