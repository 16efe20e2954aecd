/**
 * AttributionView view: one image and several attribution methods side by side (heatmaps over the
 * image with colour bars and hover values; gradient images on their own), a class dropdown with
 * probabilities and a heatmap opacity slider. Kernel side: `attributionView`.
 */
import { DOMWidgetModel, DOMWidgetView, ISerializers } from '@jupyter-widgets/base';
import { classSelect, labelledSlider, statusLine } from './attribution-controls';
import { BINARY_SERIALIZER, decodeImages, float32Of } from './image-buffer';
import { HeatmapOverlay } from './heatmap-overlay';
import { applyThemeClass } from './theme';
import { convlensIdentity } from './version';

/** Model of an AttributionView; the state mirrors the kernel-side widget. */
export class AttributionViewModel extends DOMWidgetModel {
  /** Default state of a new AttributionView. */
  defaults() {
    return {
      ...super.defaults(),
      ...convlensIdentity('AttributionView'),
      image: null,
      image_shape: [0, 0, 0],
      titles: [] as string[],
      kinds: [] as string[],
      panels: null,
      values: null,
      mins: [] as number[],
      maxs: [] as number[],
      colormaps: [] as string[],
      class_index: 0,
      class_labels: [] as string[],
      opacity: 0.5,
      busy: false,
      progress: 0,
      error: '',
      panel_size: 160,
    };
  }

  /** The pixel and value buffers stay binary when the state is serialized (e.g. saved into the notebook). */
  static serializers: ISerializers = { ...DOMWidgetModel.serializers, image: BINARY_SERIALIZER, panels: BINARY_SERIALIZER, values: BINARY_SERIALIZER };
}

/** View of an AttributionView. */
export class AttributionViewView extends DOMWidgetView {
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
    const set = (key: string, value: unknown) => {
      this.model.set(key, value);
      this.touch();
    };
    this.classes = classSelect((i) => set('class_index', i));
    this.opacity = labelledSlider('Opacity', { min: 0, max: 1, step: 0.05, value: this.model.get('opacity'), format: (v) => v.toFixed(2) }, (v) => set('opacity', v));
    this.status = statusLine();
    const controls = document.createElement('div');
    controls.className = 'cl-controls cl-controls-row';
    controls.append(this.classes.element, this.opacity.element, this.status.element);
    this.row = document.createElement('div');
    this.row.className = 'cl-panels';
    this.el.append(controls, this.row);
    this.listenTo(this.model, 'change:image change:panels change:values change:mins change:maxs change:titles change:kinds change:colormaps', this.drawPanels);
    this.listenTo(this.model, 'change:class_index change:class_labels change:opacity', this.drawControls);
    this.listenTo(this.model, 'change:busy change:progress change:error', this.drawStatus);
    void this.drawPanels();
    this.drawControls();
    this.drawStatus();
  }

  /** Remove the overlays' handlers with the view. */
  remove(): any {
    for (const o of this.overlays) o.dispose();
    return super.remove();
  }

  private async drawPanels(): Promise<void> {
    const token = ++this.token;
    const image = this.model.get('image');
    const panels = this.model.get('panels');
    if (!image || !panels) return;
    const [, h, w] = this.model.get('image_shape') as number[];
    const titles: string[] = this.model.get('titles');
    const kinds: string[] = this.model.get('kinds');
    const [base] = await decodeImages('rgba', image, [1, h, w]);
    const maps = await decodeImages('rgba', panels, [titles.length, h, w]);
    if (token !== this.token) return;
    const values = this.model.get('values') ? float32Of(this.model.get('values')) : undefined;
    const size = Number(this.model.get('panel_size')) || 160;
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
        colormap: this.model.get('colormaps')[i] ?? 'jet',
        min: this.model.get('mins')[i],
        max: this.model.get('maxs')[i],
        label: title,
        values: heatmap && values ? values.subarray(i * h * w, (i + 1) * h * w) : undefined,
      });
      overlay.setOpacity(heatmap ? this.model.get('opacity') : 1);
      overlay.showColorBar(heatmap);
      panel.append(caption, overlay.element);
      this.row.append(panel);
      this.overlays.push(overlay);
    });
  }

  private drawControls(): void {
    this.classes.update(this.model.get('class_labels'), this.model.get('class_index'));
    this.opacity.update(this.model.get('opacity'));
    const kinds: string[] = this.model.get('kinds');
    this.overlays.forEach((o, i) => o.setOpacity(kinds[i] === 'heatmap' ? this.model.get('opacity') : 1));
  }

  private drawStatus(): void {
    this.status.update(this.model.get('busy'), this.model.get('progress'), this.model.get('error'));
  }
}
