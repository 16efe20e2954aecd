/**
 * Receptive fields of the layers of a conv net (sequential or functional): which input pixels a
 * unit sees.
 */
import { tf } from '../tf';
import { getLayer, isConvLayer } from './layers';
import { checkModel } from './validate';

/** Receptive field geometry of one layer's units, per spatial axis `[y, x]`, in input pixels. */
export interface ReceptiveField {
  layer: string;
  className: string;
  /** Side of the field (pixels). For global layers (flatten, dense, global pooling): the input size. */
  size: [number, number];
  /** Distance between the fields of neighbouring units (the product of the strides). */
  stride: [number, number];
  /**
   * Centre of the field of unit (0, 0), in input pixel coordinates (pixel i spans [i, i+1), so
   * pixel centres are i + 0.5): unit (i, j) is centred at `start + [i, j] * stride`.
   * Negative means the field hangs over the padded border.
   */
  start: [number, number];
  /** True once a layer mixes all positions (flatten, dense, global pooling). */
  global: boolean;
}

const POOLING = new Set(['MaxPooling2D', 'AveragePooling2D']);
/** Layers that shrink or keep the field geometry: convolutions (not transposed ones) and pooling. */
const isSpatial = (layer: tf.layers.Layer) => POOLING.has(layer.getClassName()) || (isConvLayer(layer) && layer.getClassName() !== 'Conv2DTranspose');
const PASS_THROUGH = new Set([
  'InputLayer', 'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'ThresholdedReLU',
  'BatchNormalization', 'LayerNormalization', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'Rescaling', 'Normalization',
]);

type Pair = [number, number];
const pair = (v: number | number[] | undefined, dflt: number): Pair =>
  v === undefined ? [dflt, dflt] : Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v];

/** Merge layers: their field is the union of their inputs' fields (which must share a stride). */
const MERGE = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']);

interface Field {
  size: Pair;
  stride: Pair;
  start: Pair;
  global: boolean;
}

/** The layers feeding `layer` (its first call), for a functional graph. */
function inboundLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  const nodes = (layer as unknown as { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> }).inboundNodes; // not in tfjs's public type
  return nodes[0]?.inboundLayers ?? [];
}

/** The union of fields on one unit grid (same stride): the smallest field covering them all. */
function unionField(fields: Field[], name: string): Field {
  if (fields.some((f) => f.global)) return { ...fields[0], global: true };
  const [first] = fields;
  if (fields.some((f) => f.stride[0] !== first.stride[0] || f.stride[1] !== first.stride[1])) {
    throw new Error(`receptiveFields: merge layer ${name} joins inputs with different strides (${fields.map((f) => `[${f.stride.join(', ')}]`).join(', ')}); their units do not line up.`);
  }
  const axis = (a: 0 | 1): [number, number] => {
    const lo = Math.min(...fields.map((f) => f.start[a] - f.size[a] / 2));
    const hi = Math.max(...fields.map((f) => f.start[a] + f.size[a] / 2));
    return [hi - lo, (hi + lo) / 2];
  };
  const [y, x] = [axis(0), axis(1)];
  return { size: [y[0], x[0]], stride: [...first.stride], start: [y[1], x[1]], global: false };
}

/**
 * Receptive field (size, stride, start) of every layer of a conv net, sequential or functional,
 * from its conv and pooling hyperparameters (kernel, stride, dilation, 'same'/'valid' padding,
 * TF's padding split), following the graph: a layer's field grows from its input's; a merge layer
 * (add, concatenate...) takes the union of its inputs' fields. Pass-through layers (activations,
 * normalisation, dropout) keep the field; after a flatten, dense, global pooling layer or a nested
 * model the field is the whole input (`global: true`). Channels-last models only.
 */
export function receptiveFields(model: tf.LayersModel): ReceptiveField[] {
  const m = checkModel(model, 'receptiveFields', 'layers');
  const inShape = m.inputs[0].shape;
  if (inShape.length !== 4) throw new Error(`receptiveFields: needs image input [batch, h, w, c], got [${inShape.join(',')}].`);
  const inputSize: Pair = [inShape[1] ?? NaN, inShape[2] ?? NaN];
  const pixel: Field = { size: [1, 1], stride: [1, 1], start: [0.5, 0.5], global: false };
  const fields = new Map<tf.layers.Layer, Field>();
  const out: ReceptiveField[] = [];
  let previous = pixel; // a Sequential model's first layer has no inbound layer of its own
  for (const layer of m.layers) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as Record<string, unknown>;
    const inputs = inboundLayers(layer).map((l) => fields.get(l) ?? pixel);
    const input = inputs.length === 0 ? previous : MERGE.has(cls) ? unionField(inputs, layer.name) : inputs[0];
    let field: Field;
    if (!input.global && isSpatial(layer)) {
      if (cfg.dataFormat === 'channelsFirst') throw new Error(`receptiveFields: layer ${layer.name} is channels-first; only channels-last is supported.`);
      const pool = cls.endsWith('Pooling2D');
      const k = pair((pool ? cfg.poolSize : cfg.kernelSize) as number[], 1);
      const s = pair(cfg.strides as number[], pool ? k[0] : 1);
      const d = pair(cfg.dilationRate as number[], 1);
      const inDims = (layer.getInputAt(0) as tf.SymbolicTensor).shape;
      const n: Pair = [inDims[1] ?? NaN, inDims[2] ?? NaN];
      const next = (axis: 0 | 1) => {
        const eff = d[axis] * (k[axis] - 1) + 1;
        let padBefore = 0;
        if (cfg.padding === 'same') {
          const outLen = Math.ceil(n[axis] / s[axis]);
          padBefore = Math.floor(Math.max((outLen - 1) * s[axis] + eff - n[axis], 0) / 2);
        }
        const newStart = input.start[axis] + ((eff - 1) / 2 - padBefore) * input.stride[axis];
        const newSize = input.size[axis] + (eff - 1) * input.stride[axis];
        return [newSize, input.stride[axis] * s[axis], newStart];
      };
      const [y, x] = [next(0), next(1)];
      field = { size: [y[0], x[0]], stride: [y[1], x[1]], start: [y[2], x[2]], global: false };
    } else if (PASS_THROUGH.has(cls) || MERGE.has(cls)) {
      field = input;
    } else {
      field = { ...input, global: true };
    }
    fields.set(layer, field);
    previous = field;
    out.push(field.global
      ? { layer: layer.name, className: cls, size: [...inputSize], stride: [...inputSize], start: [inputSize[0] / 2, inputSize[1] / 2], global: true }
      : { layer: layer.name, className: cls, size: [...field.size], stride: [...field.stride], start: [...field.start], global: false });
  }
  return out;
}

/** The receptive field of one layer (see {@link receptiveFields}); an unknown name lists the layers. */
export function receptiveField(model: tf.LayersModel, layerName: string): ReceptiveField {
  const all = receptiveFields(model);
  const rf = all.find((r) => r.layer === layerName);
  if (rf) return rf;
  const layer = getLayer(model, layerName); // throws for an unknown name, listing the layers
  throw new Error(`receptiveField: layer "${layer.name}" is not a top-level layer after the input; layers with receptive fields: ${all.map((r) => r.layer).join(', ')}`);
}

/**
 * The input-pixel box `[y0, x0, y1, x1]` (inclusive start, exclusive end) seen by unit `[i, j]` of
 * a layer, e.g. to crop the patch that most excites a unit. Clipped to the image unless
 * `{ clip: false }`: then the box keeps the field's full size and may hang over the border
 * (negative starts, ends past the image), where the layer saw padding. Inside the image the box is
 * exactly the pixels that can move the unit; a clipped box at the border may include an edge row
 * that reaches the unit only through dilated taps that fall in the padding.
 */
export function receptiveFieldBox(model: tf.LayersModel, layerName: string, unit: [number, number], opts: { clip?: boolean } = {}): [number, number, number, number] {
  const rf = receptiveField(model, layerName);
  if (!Array.isArray(unit) || unit.length !== 2 || !unit.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new Error(`receptiveFieldBox: unit ${JSON.stringify(unit)} must be [row, column] non-negative integers.`);
  }
  const [, rows, cols] = getLayer(model, layerName).outputShape as number[];
  if (unit[0] >= rows || unit[1] >= cols) {
    throw new Error(`receptiveFieldBox: unit ${JSON.stringify(unit)} is outside layer "${layerName}", whose output has ${rows} rows and ${cols} columns.`);
  }
  const shape = model.inputs[0].shape;
  const h = shape[1] as number;
  const w = shape[2] as number;
  if (rf.global) return [0, 0, h, w];
  const lo = (a: 0 | 1) => Math.round(rf.start[a] + unit[a] * rf.stride[a] - rf.size[a] / 2);
  const y0 = lo(0);
  const x0 = lo(1);
  if (opts.clip === false) return [y0, x0, y0 + rf.size[0], x0 + rf.size[1]];
  return [Math.max(0, y0), Math.max(0, x0), Math.min(h, y0 + rf.size[0]), Math.min(w, x0 + rf.size[1])];
}
