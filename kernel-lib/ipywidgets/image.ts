/**
 * The Image control (@jupyter-widgets/controls 2.0.0 ImageModel): encoded image bytes (PNG,
 * JPEG, GIF, SVG...) sent as one binary buffer.
 */
import { encodePng } from '../render/image-codec';
import type { tf } from '../tf';
import { DOMWidget, type ControlInit, type DOMWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';

/** ImageModel state. */
export interface ImageState extends DOMWidgetState {
  /** Encoded image bytes (sent as a binary buffer). */
  value: Uint8Array;
  /** Image format, e.g. `'png'`, `'jpeg'`, `'svg+xml'`, or `'url'` when `value` holds a URL. */
  format: string;
  /** CSS width/height of the view (`''`: natural size), e.g. `'256px'`. */
  width: string;
  height: string;
}

/** An image. `new Image({ value: pngBytes, format: 'png', width: '256px' })` */
export class Image extends DOMWidget<ImageState> {
  constructor(init: ControlInit<ImageState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'ImageModel', 'ImageView'), {
      value: new Uint8Array(0), format: 'png', width: '', height: '', ...init,
    });
  }

  /**
   * An Image showing a tensor: `[H, W, 3]` (RGB) or `[H, W, 1]` (gray) with values in [0, 1],
   * encoded as PNG. `lens.Image.fromTensor(img, { width: '256px' })`
   */
  static async fromTensor(pixels: tf.Tensor3D, init: Omit<ControlInit<ImageState>, 'value' | 'format'> = {}): Promise<Image> {
    return new Image({ ...init, value: await encodePng(pixels), format: 'png' });
  }

  /** Show a new tensor (`[H, W, 3|1]` in [0, 1]), encoded as PNG. */
  async setTensor(pixels: tf.Tensor3D): Promise<this> {
    return this.set({ value: await encodePng(pixels), format: 'png' });
  }

  /** The encoded bytes. */
  get value(): Uint8Array {
    return this.get('value');
  }

  set value(v: Uint8Array) {
    this.set({ value: v });
  }

  /** Image bytes are not echoed back to frontends (as in ipywidgets). */
  protected echoes(key: string): boolean {
    return key !== 'value';
  }

  protected coerce(s: ImageState): ImageState {
    if (!(s.value instanceof Uint8Array)) throw new Error(`Image.value must be a Uint8Array of encoded image bytes, got ${typeof s.value}`);
    return s;
  }

  protected reprKeys(): string[] {
    return ['format', 'width', 'height'];
  }
}
