/**
 * OcclusionExplorer view: the image with its occlusion map as a heatmap overlay (colour bar,
 * value under the pointer, the patch outline where the pointer is), sliders for patch size,
 * stride and opacity, a class dropdown with probabilities, and probability/drop. Every control
 * change goes to the kernel, which recomputes latest-wins. Kernel side: `occlusionExplorer`.
 */
import { OCCLUSION_EXPLORER, type OcclusionExplorerState, type OcclusionQuantity } from '../kernel-lib/widgets/state/occlusion-explorer';
import { classSelect, labelledSelect, labelledSlider, statusLine } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, float32Of, isEmptyBuffer, type WireBuffer } from './image-buffer';
import { HeatmapOverlay } from './heatmap-overlay';
import { applyThemeClass } from './theme';

/** The OcclusionExplorer state as the page sees it. */
type State = OcclusionExplorerState<WireBuffer>;

/** Model of an OcclusionExplorer: the state declared in kernel-lib/widgets/state/occlusion-explorer.ts. */
export const OcclusionExplorerModel = convlensModel(OCCLUSION_EXPLORER);

/** View of an OcclusionExplorer. */
export class OcclusionExplorerView extends ConvlensView<State> {
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
    this.overlay = new HeatmapOverlay(this.state('display_size') || 280);
    this.marker = document.createElement('div');
    this.marker.className = 'cl-occluder';
    this.overlay.stack.append(this.marker);
    this.overlay.stack.addEventListener('mousemove', (e) => this.moveMarker(e));
    this.overlay.stack.addEventListener('mouseleave', () => (this.marker.style.display = 'none'));
    this.patch = labelledSlider('Patch', { min: 1, max: this.state('patch_max'), step: 1, value: this.state('patch_size'), format: (v) => `${v} px` }, (v) => this.setState({ patch_size: v }));
    this.stride = labelledSlider('Stride', { min: 1, max: this.state('stride_max'), step: 1, value: this.state('stride'), format: (v) => `${v} px` }, (v) => this.setState({ stride: v }));
    this.opacity = labelledSlider('Opacity', { min: 0, max: 1, step: 0.05, value: this.state('opacity'), format: (v) => v.toFixed(2) }, (v) => this.setState({ opacity: v }));
    this.classes = classSelect((i) => this.setState({ class_index: i }));
    const show = labelledSelect<OcclusionQuantity>('Show', [['probability', 'class probability'], ['drop', 'drop in probability']], (quantity) => this.setState({ quantity }));
    this.quantity = show.select;
    this.status = statusLine();
    const controls = document.createElement('div');
    controls.className = 'cl-controls';
    const noKernel = this.kernelOnly([this.classes.element, this.patch.element, this.stride.element, show.element]);
    controls.append(this.classes.element, this.patch.element, this.stride.element, this.opacity.element, show.element, this.status.element, noKernel);
    this.el.append(this.overlay.element, controls);

    this.onChange(['image', 'image_shape'], () => this.drawImage());
    this.onChange(['heatmap', 'heatmap_shape', 'values', 'value_min', 'value_max', 'colormap', 'value_label'], () => this.drawHeatmap());
    this.onChange(['patch_size', 'stride', 'patch_max', 'stride_max', 'opacity', 'class_index', 'class_labels', 'quantity'], () => this.drawControls());
    this.onChange(['busy', 'progress', 'error'], () => this.drawStatus());
    void this.drawImage().then(() => this.drawHeatmap());
    this.drawControls();
    this.drawStatus();
  }

  /** Remove the overlay's handlers with the view. */
  remove(): void {
    this.overlay?.dispose();
    super.remove();
  }

  private async drawImage(): Promise<void> {
    const image = this.state('image');
    if (!image || isEmptyBuffer(image)) return;
    const [canvas] = await decodeImages('rgba', image, this.state('image_shape'));
    this.overlay.setImage(canvas);
  }

  private async drawHeatmap(): Promise<void> {
    const heatmap = this.state('heatmap');
    const shape = this.state('heatmap_shape');
    if (!heatmap || !(shape[1] > 0)) return;
    const [canvas] = await decodeImages('rgba', heatmap, shape);
    const values = this.state('values');
    this.overlay.setHeatmap(
      canvas,
      {
        colormap: this.state('colormap'),
        min: this.state('value_min'),
        max: this.state('value_max'),
        label: this.state('value_label'),
        values: values && !isEmptyBuffer(values) ? float32Of(values) : undefined,
      },
      false,
    );
    this.overlay.setOpacity(this.state('opacity'));
  }

  private drawControls(): void {
    this.patch.update(this.state('patch_size'), this.state('patch_max'));
    this.stride.update(this.state('stride'), this.state('stride_max'));
    this.opacity.update(this.state('opacity'));
    this.overlay.setOpacity(this.state('opacity'));
    this.classes.update(this.state('class_labels'), this.state('class_index'));
    this.quantity.value = this.state('quantity');
  }

  private drawStatus(): void {
    this.status.update(this.state('busy'), this.state('progress'), this.state('error'));
  }

  /** Outline the patch of the grid cell under the pointer (the map's patch size and stride). */
  private moveMarker(e: MouseEvent): void {
    const [, h, w] = this.state('image_shape');
    const patch = this.state('shown_patch');
    const stride = this.state('shown_stride');
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
