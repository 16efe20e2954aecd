/**
 * OcclusionExplorer view: the image with its occlusion map as a heatmap overlay (colour bar,
 * value under the pointer, the patch outline where the pointer is), sliders for patch size,
 * stride and opacity, a class dropdown with probabilities, and probability/drop. Every control
 * change goes to the kernel, which recomputes latest-wins. Kernel side: `occlusionExplorer`.
 */
import { DOMWidgetModel, DOMWidgetView, ISerializers } from '@jupyter-widgets/base';
import { classSelect, labelledSlider, statusLine } from './attribution-controls';
import { BINARY_SERIALIZER, decodeImages, float32Of } from './image-buffer';
import { HeatmapOverlay } from './heatmap-overlay';
import { applyThemeClass } from './theme';
import { convlensIdentity } from './version';

/** Model of an OcclusionExplorer; the state mirrors the kernel-side widget. */
export class OcclusionExplorerModel extends DOMWidgetModel {
  /** Default state of a new OcclusionExplorer. */
  defaults() {
    return {
      ...super.defaults(),
      ...convlensIdentity('OcclusionExplorer'),
      image: null,
      image_shape: [0, 0, 0],
      heatmap: null,
      heatmap_shape: [0, 0, 0],
      values: null,
      value_min: 0,
      value_max: 1,
      value_label: '',
      colormap: 'viridis',
      patch_size: 1,
      stride: 1,
      patch_max: 1,
      stride_max: 1,
      class_index: 0,
      class_labels: [] as string[],
      quantity: 'probability',
      opacity: 0.6,
      shown_patch: 0,
      shown_stride: 0,
      busy: false,
      progress: 0,
      error: '',
      display_size: 280,
    };
  }

  /** The pixel and value buffers stay binary when the state is serialized (e.g. saved into the notebook). */
  static serializers: ISerializers = { ...DOMWidgetModel.serializers, image: BINARY_SERIALIZER, heatmap: BINARY_SERIALIZER, values: BINARY_SERIALIZER };
}

/** View of an OcclusionExplorer. */
export class OcclusionExplorerView extends DOMWidgetView {
  private overlay!: HeatmapOverlay;
  private marker!: HTMLDivElement;
  private patch!: ReturnType<typeof labelledSlider>;
  private stride!: ReturnType<typeof labelledSlider>;
  private opacity!: ReturnType<typeof labelledSlider>;
  private classes!: ReturnType<typeof classSelect>;
  private status!: ReturnType<typeof statusLine>;
  private quantity!: HTMLSelectElement;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-occlusion-explorer');
    this.overlay = new HeatmapOverlay(Number(this.model.get('display_size')) || 280);
    this.marker = document.createElement('div');
    this.marker.className = 'cl-occluder';
    this.overlay.stack.append(this.marker);
    this.overlay.stack.addEventListener('mousemove', (e) => this.moveMarker(e));
    this.overlay.stack.addEventListener('mouseleave', () => (this.marker.style.display = 'none'));
    const set = (key: string, value: unknown) => {
      this.model.set(key, value);
      this.touch();
    };
    this.patch = labelledSlider('Patch', { min: 1, max: this.model.get('patch_max'), step: 1, value: this.model.get('patch_size'), format: (v) => `${v} px` }, (v) => set('patch_size', v));
    this.stride = labelledSlider('Stride', { min: 1, max: this.model.get('stride_max'), step: 1, value: this.model.get('stride'), format: (v) => `${v} px` }, (v) => set('stride', v));
    this.opacity = labelledSlider('Opacity', { min: 0, max: 1, step: 0.05, value: this.model.get('opacity'), format: (v) => v.toFixed(2) }, (v) => set('opacity', v));
    this.classes = classSelect((i) => set('class_index', i));
    this.quantity = document.createElement('select');
    this.quantity.setAttribute('aria-label', 'Show');
    for (const [value, text] of [['probability', 'class probability'], ['drop', 'drop in probability']]) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      this.quantity.append(o);
    }
    this.quantity.addEventListener('change', () => set('quantity', this.quantity.value));
    const show = document.createElement('label');
    show.className = 'cl-control';
    const showName = document.createElement('span');
    showName.className = 'cl-control-name';
    showName.textContent = 'Show';
    show.append(showName, this.quantity);
    this.status = statusLine();
    const controls = document.createElement('div');
    controls.className = 'cl-controls';
    controls.append(this.classes.element, this.patch.element, this.stride.element, this.opacity.element, show, this.status.element);
    this.el.append(this.overlay.element, controls);

    this.listenTo(this.model, 'change:image change:image_shape', this.drawImage);
    this.listenTo(this.model, 'change:heatmap change:heatmap_shape change:values change:value_min change:value_max change:colormap change:value_label', this.drawHeatmap);
    this.listenTo(this.model, 'change:patch_size change:stride change:patch_max change:stride_max change:opacity change:class_index change:class_labels change:quantity', this.drawControls);
    this.listenTo(this.model, 'change:busy change:progress change:error', this.drawStatus);
    void this.drawImage().then(() => this.drawHeatmap());
    this.drawControls();
    this.drawStatus();
  }

  /** Remove the overlay's handlers with the view. */
  remove(): any {
    this.overlay?.dispose();
    return super.remove();
  }

  private async drawImage(): Promise<void> {
    const image = this.model.get('image');
    if (!image) return;
    const [canvas] = await decodeImages('rgba', image, this.model.get('image_shape'));
    this.overlay.setImage(canvas);
  }

  private async drawHeatmap(): Promise<void> {
    const heatmap = this.model.get('heatmap');
    const shape: number[] = this.model.get('heatmap_shape');
    if (!heatmap || !(shape[1] > 0)) return;
    const [canvas] = await decodeImages('rgba', heatmap, shape);
    const values = this.model.get('values');
    this.overlay.setHeatmap(
      canvas,
      {
        colormap: this.model.get('colormap'),
        min: this.model.get('value_min'),
        max: this.model.get('value_max'),
        label: this.model.get('value_label'),
        values: values ? float32Of(values) : undefined,
      },
      false,
    );
    this.overlay.setOpacity(this.model.get('opacity'));
  }

  private drawControls(): void {
    this.patch.update(this.model.get('patch_size'), this.model.get('patch_max'));
    this.stride.update(this.model.get('stride'), this.model.get('stride_max'));
    this.opacity.update(this.model.get('opacity'));
    this.overlay.setOpacity(this.model.get('opacity'));
    this.classes.update(this.model.get('class_labels'), this.model.get('class_index'));
    this.quantity.value = this.model.get('quantity');
  }

  private drawStatus(): void {
    this.status.update(this.model.get('busy'), this.model.get('progress'), this.model.get('error'));
  }

  /** Outline the patch of the grid cell under the pointer (the map's patch size and stride). */
  private moveMarker(e: MouseEvent): void {
    const [, h, w] = this.model.get('image_shape') as number[];
    const patch = this.model.get('shown_patch') as number;
    const stride = this.model.get('shown_stride') as number;
    const rect = this.overlay.stack.getBoundingClientRect();
    if (!patch || !stride || !h || !w || rect.width === 0) return;
    const px = ((e.clientX - rect.left) / rect.width) * w;
    const py = ((e.clientY - rect.top) / rect.height) * h;
    const cx = Math.min(Math.floor(px / stride) * stride + Math.floor(stride / 2), w - 1);
    const cy = Math.min(Math.floor(py / stride) * stride + Math.floor(stride / 2), h - 1);
    const left = cx - Math.floor(patch / 2);
    const top = cy - Math.floor(patch / 2);
    Object.assign(this.marker.style, {
      display: 'block',
      left: `${(left / w) * 100}%`,
      top: `${(top / h) * 100}%`,
      width: `${(patch / w) * 100}%`,
      height: `${(patch / h) * 100}%`,
    });
  }
}
