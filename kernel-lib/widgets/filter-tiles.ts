/**
 * The filters of a convolutional layer as tiles: a filter with 3 input channels is drawn as RGB;
 * otherwise one chosen input channel or the mean over input channels. Each tile is stretched on
 * its own; tiles can be sorted by the filter's L2 norm.
 */
import { tf } from '../tf';
import { allLayers, getLayer, isConvLayer } from '../models/layers';
import { stackTiles, tileNorms, type TileOptions, type Tiles } from './tiles';

/** What filter tiles show (labels are the filters' norms). */
export type FilterTileOptions = Omit<TileOptions, 'labels'>;

/** How the kernel of each convolutional layer class (`CONV_LAYER_CLASSES`) maps to `[filters, h, w, c]`. */
const KERNEL_LAYOUTS: Record<string, (kernel: tf.Tensor4D) => tf.Tensor4D> = {
  // [kh, kw, in, out] -> one filter per output channel.
  Conv2D: (k) => tf.transpose(k, [3, 0, 1, 2]),
  // [kh, kw, out, in] -> one filter per input channel (what each input unit paints).
  Conv2DTranspose: (k) => tf.transpose(k, [3, 0, 1, 2]),
  // [kh, kw, in, multiplier] -> one single-channel filter per (in, multiplier).
  DepthwiseConv2D: (k) => tf.reshape(tf.transpose(k, [2, 3, 0, 1]), [-1, k.shape[0], k.shape[1], 1]),
  SeparableConv2D: (k) => tf.reshape(tf.transpose(k, [2, 3, 0, 1]), [-1, k.shape[0], k.shape[1], 1]),
};

/** A conv layer's kernel, of Keras class `className`, as a filter stack `[filters, kh, kw, channels]` (a new tensor). */
export function kernelFilters(className: string, kernel: tf.Tensor4D): tf.Tensor4D {
  const layout = KERNEL_LAYOUTS[className];
  if (!layout) throw new Error(`kernelFilters: class ${JSON.stringify(className)} has no filters; allowed: ${Object.keys(KERNEL_LAYOUTS).join(', ')}`);
  return tf.tidy(() => layout(kernel));
}

/** The filters of a conv layer as a stack `[filters, kh, kw, channels]` (a new tensor). */
export function layerFilters(model: tf.LayersModel, layerName: string): tf.Tensor4D {
  const layer = getLayer(model, layerName);
  if (!isConvLayer(layer)) {
    const convs = allLayers(model).filter(isConvLayer).map((l) => `${l.name} (${l.getClassName()})`);
    throw new Error(
      `Layer "${layer.name}" is a ${layer.getClassName()}, not a convolutional layer with filters to show. ` +
        `Convolutional layers of this model: ${convs.join(', ') || '(none)'}`,
    );
  }
  const weights = layer.getWeights();
  if (weights.length === 0) throw new Error(`Layer "${layer.name}" has no weights yet: build or call the model first`);
  return kernelFilters(layer.getClassName(), weights[0] as tf.Tensor4D);
}

/** How to read a tile's brightness, for each `normalize` scope. */
const SCALE_LEGENDS: Record<NonNullable<TileOptions['normalize']>, string> = {
  each: 'each tile on its own scale: darkest = its most negative weight, brightest = its most positive',
  all: 'one scale for all tiles: darkest = the most negative weight of the layer, brightest = the most positive',
  none: 'weights shown as they are, clipped to [0, 1] (black = 0 or less, white = 1 or more)',
  signed: 'grey = 0: each tile scaled by its largest |weight|, darker = negative, brighter = positive',
};

/** The caption of a filter grid: layer, filter count and size, what a tile shows, how to read its scale. */
export function describeFilters(layerName: string, stack: tf.Tensor4D, channel: TileOptions['channel'], normalize: TileOptions['normalize'] = 'each'): string {
  const [n, h, w, c] = stack.shape;
  const shows = channel === undefined ? (c === 3 ? 'RGB' : c === 1 ? 'grey' : `mean of ${c} input channels`) : channel === 'rgb' ? 'RGB' : channel === 'mean' ? `mean of ${c} input channels` : `input channel ${channel} of ${c}`;
  return `${layerName}: ${n} filters ${h}×${w}×${c}, ${shows}; ${SCALE_LEGENDS[normalize]}. The number under a tile is the filter index.`;
}

/** Tiles of a filter stack, labelled with each filter's L2 norm. */
export async function tilesOfFilters(stack: tf.Tensor4D, opts: FilterTileOptions): Promise<Tiles> {
  const norms = await tileNorms(stack);
  const labels = norms.map((v, i) => `filter ${i}  ‖w‖ = ${Number(v.toPrecision(3))}`);
  return stackTiles(stack, { ...opts, labels }, norms);
}

/** Tiles of the filters of `layerName` (used by `filterGrid`; `grid.setTiles(filterTiles(...))` refreshes a grid after training). */
export async function filterTiles(model: tf.LayersModel, layerName: string, opts: FilterTileOptions = {}): Promise<Tiles> {
  const stack = layerFilters(model, layerName);
  try {
    return await tilesOfFilters(stack, opts);
  } finally {
    stack.dispose();
  }
}
