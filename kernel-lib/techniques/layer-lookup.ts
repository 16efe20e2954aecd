/**
 * Finding the layers the techniques work on: a layer by name (nested models searched too), the
 * last convolutional layer, and the global-average-pooling head that CAM needs.
 */
import { tf } from '../tf';

type SymbolicTensor = tf.SymbolicTensor & { sourceLayer: tf.layers.Layer; nodeIndex: number };
interface LayerNode {
  inputTensors: SymbolicTensor[];
}

/** Every layer of the model in order, nested models expanded (the nested model itself is listed too). */
export function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    out.push(layer);
    if (layer instanceof tf.LayersModel) out.push(...allLayers(layer));
  }
  return out;
}

function describe(layer: tf.layers.Layer): string {
  const shape = JSON.stringify(layer.outputShape).replace(/null/g, 'N');
  return `${layer.name} (${layer.getClassName()} ${shape})`;
}

/**
 * The layer called `name`, or the layer itself when one is passed.
 * @throws an Error naming the unknown layer and listing the model's layers.
 */
export function findLayer(model: tf.LayersModel, layer: string | tf.layers.Layer): tf.layers.Layer {
  const layers = allLayers(model);
  const found = typeof layer === 'string' ? layers.find((l) => l.name === layer) : layers.find((l) => l === layer);
  if (found) return found;
  const shown = typeof layer === 'string' ? JSON.stringify(layer) : `object ${String((layer as { name?: string })?.name)}`;
  throw new Error(`Unknown layer ${shown}. The model's layers are: ${layers.map(describe).join(', ')}`);
}

/** True for a layer whose output is a 4-D feature map `[N, h, w, channels]`. */
export function hasSpatialOutput(layer: tf.layers.Layer): boolean {
  const shape = layer.outputShape;
  return Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length === 4;
}

/**
 * A layer with a spatial output `[N, h, w, k]`: the one named, or by default the last
 * convolutional layer of the model.
 * @throws when the named layer does not exist or has no spatial output, or the model has no conv layer.
 */
export function spatialLayer(model: tf.LayersModel, layer?: string | tf.layers.Layer): tf.layers.Layer {
  if (layer !== undefined && layer !== null) {
    const found = findLayer(model, layer);
    if (!hasSpatialOutput(found)) {
      const spatial = allLayers(model).filter(hasSpatialOutput).map((l) => l.name);
      throw new Error(
        `Layer "${found.name}" has output shape ${JSON.stringify(found.outputShape)}, not a feature map [N, h, w, channels]. ` +
          `Layers with feature maps: ${spatial.join(', ') || '(none)'}`,
      );
    }
    return found;
  }
  const convs = allLayers(model).filter((l) => /Conv/.test(l.getClassName()) && hasSpatialOutput(l));
  if (convs.length === 0) {
    throw new Error(`The model has no convolutional layer; its layers are: ${allLayers(model).map(describe).join(', ')}`);
  }
  return convs[convs.length - 1];
}

/** The producer of a layer's (first) input, following its first inbound node. */
function inputLayer(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const node = layer.inboundNodes[0] as unknown as LayerNode | undefined;
  return node?.inputTensors[0]?.sourceLayer;
}

/** The pieces CAM needs: the feature-map layer, the dense head's kernel `[k, classes]`. */
export interface GapHead {
  /** The layer whose output feeds the global average pooling. */
  features: tf.layers.Layer;
  /** The global average pooling layer. */
  pooling: tf.layers.Layer;
  /** The final dense layer. */
  dense: tf.layers.Layer;
}

const PASS_THROUGH = new Set(['Dropout', 'Flatten', 'Activation', 'Softmax', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout']);

/**
 * Find `features → GlobalAveragePooling2D → (Dropout/Flatten/Activation)* → Dense` at the end of the model.
 * @throws an Error describing the model's ending when it is not a global-average-pooled net.
 */
export function gapHead(model: tf.LayersModel): GapHead {
  let layer: tf.layers.Layer | undefined = (model.outputs[0] as SymbolicTensor).sourceLayer;
  while (layer instanceof tf.LayersModel) layer = (layer.outputs[0] as SymbolicTensor).sourceLayer;
  const chain: string[] = [];
  while (layer && PASS_THROUGH.has(layer.getClassName())) {
    chain.push(layer.getClassName());
    layer = inputLayer(layer);
  }
  const dense = layer;
  let pooling = dense && dense.getClassName() === 'Dense' ? inputLayer(dense) : undefined;
  while (pooling && PASS_THROUGH.has(pooling.getClassName())) pooling = inputLayer(pooling);
  const features = pooling && pooling.getClassName() === 'GlobalAveragePooling2D' ? inputLayer(pooling) : undefined;
  if (!dense || !pooling || !features || !hasSpatialOutput(features)) {
    const ending = allLayers(model).slice(-4).map((l) => l.getClassName()).join(' -> ');
    throw new Error(
      `CAM needs a global-average-pooled net ending in conv features -> GlobalAveragePooling2D -> Dense; ` +
        `this model ends with ${ending}. Use gradCam, which works for any conv layer.`,
    );
  }
  return { features, pooling, dense };
}
