/**
 * AttributionView view: one image and several attribution methods side by side (heatmaps over the
 * image with colour bars and hover values; gradient images on their own), a class dropdown with
 * probabilities and a heatmap opacity slider. Kernel side: `attributionView`.
 */
import { ATTRIBUTION_VIEW, type AttributionViewState } from '../kernel-lib/widgets/state/attribution-view';
import { classSelect, labelledSlider, statusLine } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, float32Of, isEmptyBuffer, type WireBuffer } from './image-buffer';
import { HeatmapOverlay } from './heatmap-overlay';
import { applyThemeClass } from './theme';

/** The AttributionView state as the page sees it. */
type State = AttributionViewState<WireBuffer>;

/** Model of an AttributionView (wire name `AttributionModel`): the state declared in kernel-lib/widgets/state/attribution-view.ts. */
export const AttributionModel = convlensModel(ATTRIBUTION_VIEW);

/** View of an AttributionView: one panel per method, the class dropdown, the opacity slider. */
export class AttributionView extends ConvlensView<State> {
  private overlays: HeatmapOverlay[] = [];
  private row!: HTMLDivElement;
  private classes!: ReturnType<typeof classSelect>;
  private opacity!: ReturnType<typeof labelledSlider>;
  private status!: ReturnType<typeof statusLine>;
  private token = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-attribution-view');
    this.classes = classSelect((i) => this.setState({ class_index: i }));
    this.opacity = labelledSlider('Opacity', { min: 0, max: 1, step: 0.05, value: this.state('opacity'), format: (v) => v.toFixed(2) }, (v) => this.setState({ opacity: v }));
    this.status = statusLine();
    const controls = document.createElement('div');
    controls.className = 'cl-controls cl-controls-row';
    controls.append(this.classes.element, this.opacity.element, this.status.element, this.kernelOnly([this.classes.element]));
    this.row = document.createElement('div');
    this.row.className = 'cl-panels';
    this.el.append(controls, this.row);
    this.onChange(['image', 'panels', 'values', 'mins', 'maxs', 'titles', 'kinds', 'colormaps'], () => this.drawPanels());
    this.onChange(['class_index', 'class_labels', 'opacity'], () => this.drawControls());
    this.onChange(['busy', 'progress', 'error'], () => this.drawStatus());
    void this.drawPanels();
    this.drawControls();
    this.drawStatus();
  }

  /** Remove the overlays' handlers with the view. */
  remove(): void {
    for (const o of this.overlays) o.dispose();
    super.remove();
  }

  private async drawPanels(): Promise<void> {
    const token = ++this.token;
    const image = this.state('image');
    const panels = this.state('panels');
    if (!image || !panels || isEmptyBuffer(image)) return;
    const [, h, w] = this.state('image_shape');
    const titles = this.state('titles');
    const kinds = this.state('kinds');
    const [base] = await decodeImages('rgba', image, [1, h, w]);
    const maps = await decodeImages('rgba', panels, [titles.length, h, w]);
    if (token !== this.token) return;
    const rawValues = this.state('values');
    const values = rawValues && !isEmptyBuffer(rawValues) ? float32Of(rawValues) : undefined;
    const size = this.state('panel_size') || 160;
    for (const o of this.overlays) o.dispose();
    this.overlays = [];
    this.row.replaceChildren();
    titles.forEach((title, i) => {
      const panel = document.createElement('figure');
      panel.className = 'cl-panel';
      const caption = document.createElement('figcaption');
      caption.className = 'cl-title';
      caption.textContent = title;
      const overlay = new HeatmapOverlay(size);
      overlay.setImage(base);
      const heatmap = kinds[i] === 'heatmap';
      overlay.setHeatmap(maps[i], {
        colormap: this.state('colormaps')[i] ?? 'jet',
        min: this.state('mins')[i],
        max: this.state('maxs')[i],
        label: title,
        values: heatmap && values ? values.subarray(i * h * w, (i + 1) * h * w) : undefined,
      });
      overlay.setOpacity(heatmap ? this.state('opacity') : 1);
      overlay.showColorBar(heatmap);
      panel.append(caption, overlay.element);
      this.row.append(panel);
      this.overlays.push(overlay);
    });
  }

  private drawControls(): void {
    this.classes.update(this.state('class_labels'), this.state('class_index'));
    this.opacity.update(this.state('opacity'));
    const kinds = this.state('kinds');
    this.overlays.forEach((o, i) => o.setOpacity(kinds[i] === 'heatmap' ? this.state('opacity') : 1));
  }

  private drawStatus(): void {
    this.status.update(this.state('busy'), this.state('progress'), this.state('error'));
  }
}
