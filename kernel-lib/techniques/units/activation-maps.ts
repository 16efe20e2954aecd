/**
 * Activation maps: what every unit (channel) of a layer computes over one image or a batch, the
 * feature maps of Zeiler & Fergus 2014 and Yosinski et al. 2015's live view, through the one
 * activation path (`tap`), with each unit's receptive field for outlining it on the input.
 */
import { tf } from '../../tf';
import { tap } from '../../models/activations';
import type { ReceptiveField } from '../../models/receptive-field';
import { checkModel, imageBatch } from '../../models/validate';
import { checkUnits, unitLayer, type UnitLayer } from './unit-layer';

/** Options of {@link activationMaps}. */
export interface ActivationMapsOptions {
  /** Channel indices to keep (default: every channel). */
  units?: number[];
}

/** The activation maps of one layer. Call `dispose()` to free `maps`. */
export interface ActivationMaps {
  layer: string;
  /** `[N, h, w, U]` activations (`[N, 1, 1, U]` for a global layer), channels in `units` order. */
  maps: tf.Tensor4D;
  units: number[];
  receptiveField: ReceptiveField;
  /** Input-pixel box `[y0, x0, y1, x1]` (clipped to the image) that unit position (y, x) sees. */
  box(y: number, x: number): [number, number, number, number];
  dispose(): void;
}

/**
 * The activation maps of `layer` for `images` (`[N, H, W, C]` or one image `[H, W, C]`).
 *
 * @example
 * const a = lens.units.activationMaps(model, 'conv1', image); lens.imageGrid(a.maps, { layout: 'channels' }); a.dispose();
 */
export function activationMaps(model: tf.LayersModel, layer: string, images: tf.Tensor, opts: ActivationMapsOptions = {}): ActivationMaps {
  const m = checkModel(model, 'activationMaps', 'images');
  const geo = unitLayer(m, layer, 'activationMaps');
  const units = checkUnits(opts.units, geo.channels, 'activationMaps');
  const batch = imageBatch(m, images);
  let maps: tf.Tensor4D;
  try {
    const out = tap(m, [geo.name], batch)[geo.name];
    maps = tf.tidy(() => {
      const four = tf.reshape(out, [batch.shape[0], geo.h, geo.w, geo.channels]);
      return (opts.units === undefined ? tf.clone(four) : tf.gather(four, units, 3)) as tf.Tensor4D;
    });
    out.dispose();
  } finally {
    batch.dispose();
  }
  const [height, width] = [batch.shape[1], batch.shape[2]];
  return { layer: geo.name, maps, units, receptiveField: geo.receptiveField, box: (y, x) => unitBox(geo, y, x, height, width), dispose: () => maps.dispose() };
}

/** The clipped input box of position (y, x) of a unit layer. */
export function unitBox(geo: UnitLayer, y: number, x: number, height: number, width: number): [number, number, number, number] {
  if (!(Number.isInteger(y) && Number.isInteger(x) && y >= 0 && x >= 0 && y < geo.h && x < geo.w)) {
    throw new Error(`box: position (${y}, ${x}) is outside the ${geo.h}x${geo.w} map of ${geo.name}`);
  }
  const s = geo.receptiveField.global ? [0, 0] : geo.receptiveField.stride;
  const y0 = geo.origin[0] + y * s[0];
  const x0 = geo.origin[1] + x * s[1];
  return [Math.max(0, y0), Math.max(0, x0), Math.min(height, y0 + geo.size[0]), Math.min(width, x0 + geo.size[1])];
}
