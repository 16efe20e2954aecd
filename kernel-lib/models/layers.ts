/**
 * The one owner of layer lookup: listing a model's layers with their output shapes, finding a
 * layer by name (nested models searched too) with an error that lists the layers that exist,
 * what counts as a convolutional layer, the default feature layer (the last conv layer), and the
 * global-average-pooling head that CAM needs.
 */
import { tf } from '../tf';
import { checkModel } from './validate';

type SymbolicTensor = tf.SymbolicTensor & { sourceLayer: tf.layers.Layer; nodeIndex: number };
/** What convlens reads of a tfjs layer node (tfjs does not export the Node type: hence the casts). */
interface LayerNode {
  inputTensors: SymbolicTensor[];
}

/** One layer of a LayersModel, or one node of a GraphModel. */
export interface LayerInfo {
  /** Position in the model (execution order). */
  index: number;
  name: string;
  /** Keras class (`Conv2D`, `Dense`, ...) or, for a GraphModel, the op (`Conv2D`, `Relu`, ...). */
  className: string;
  /** Output shape with `null` for the batch (and unknown) dimensions; null where unknown. */
  outputShape: (number | null)[] | null;
  /** Number of weights (0 for GraphModel nodes). */
  params: number;
}

/** What a GraphModel exposes of its graph (tfjs does not type `executor`). */
interface GraphNodes {
  executor: { graph: { nodes: Record<string, { name: string; op: string; attrParams: Record<string, { value?: unknown }> }> } };
}

/**
 * The layers of a LayersModel (input layers included) or the nodes of a GraphModel, in order, with
 * output shapes.
 * @example listLayers(model).map((l) => `${l.name} ${l.outputShape}`)
 */
export function listLayers(model: tf.LayersModel | tf.GraphModel): LayerInfo[] {
  const m = checkModel(model, 'listLayers');
  if (m instanceof tf.GraphModel) {
    const nodes = (m as unknown as GraphNodes).executor.graph.nodes; // GraphModel's graph is not in its public type
    return Object.values(nodes).map((n, index) => {
      const shapes = n.attrParams?._output_shapes?.value as number[][] | undefined;
      return { index, name: n.name, className: n.op, outputShape: shapes?.[0]?.map((d) => (d < 0 ? null : d)) ?? null, params: 0 };
    });
  }
  const out: LayerInfo[] = [];
  const seen = new Set<string>();
  for (const layer of [...inputLayersOf(m), ...m.layers]) {
    if (seen.has(layer.name)) continue;
    seen.add(layer.name);
    out.push(info(layer, out.length));
  }
  return out;
}

function info(layer: tf.layers.Layer, index: number): LayerInfo {
  let shape: (number | null)[] | null = null;
  try {
    const s = layer.outputShape;
    shape = Array.isArray(s[0]) || s[0] === undefined ? ((s as (number | null)[][])[0] ?? null) : (s as (number | null)[]);
  } catch {
    shape = null;
  }
  return { index, name: layer.name, className: layer.getClassName(), outputShape: shape, params: layer.countParams() };
}

/** The input layers of a LayersModel (a Sequential model does not list them among its layers). */
export function inputLayersOf(model: tf.LayersModel): tf.layers.Layer[] {
  return model.inputs.map((t) => t.sourceLayer);
}

/** The names of a model's layers (LayersModel) or nodes (GraphModel). */
export function layerNames(model: tf.LayersModel | tf.GraphModel): string[] {
  return listLayers(model).map((l) => l.name);
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

/** `name (Class [N, h, w, c])`: how errors list layers. */
export function describeLayer(layer: tf.layers.Layer): string {
  let shape = '?';
  try {
    shape = JSON.stringify(layer.outputShape).replace(/null/g, 'N');
  } catch {
    // a layer that was never called has no output shape
  }
  return `${layer.name} (${layer.getClassName()} ${shape})`;
}

/**
 * The layer called `layer` (input layers and layers of nested models included), or the layer
 * itself when one of the model's layers is passed.
 * @throws an Error naming the unknown layer and listing the model's layers.
 */
export function getLayer(model: tf.LayersModel, layer: string | tf.layers.Layer): tf.layers.Layer {
  const m = checkModel(model, 'getLayer', 'layers');
  const layers = [...inputLayersOf(m).filter((l) => !m.layers.includes(l)), ...allLayers(m)];
  const found = typeof layer === 'string' ? layers.find((l) => l.name === layer) : layers.find((l) => l === layer);
  if (found) return found;
  const shown = typeof layer === 'string' ? JSON.stringify(layer) : `object ${String((layer as { name?: unknown } | null)?.name)}`;
  throw new Error(`Unknown layer ${shown}. The model's layers are: ${layers.map(describeLayer).join(', ')}`);
}

/** Keras classes of the convolutional layers: the layers with filters. */
export const CONV_LAYER_CLASSES: readonly string[] = ['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D'];

/** True for a convolutional layer (one of {@link CONV_LAYER_CLASSES}). */
export function isConvLayer(layer: tf.layers.Layer): boolean {
  return CONV_LAYER_CLASSES.includes(layer.getClassName());
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
    const found = getLayer(model, layer);
    if (!hasSpatialOutput(found)) {
      const spatial = allLayers(model).filter(hasSpatialOutput).map((l) => l.name);
      throw new Error(
        `Layer "${found.name}" has output shape ${JSON.stringify(found.outputShape)}, not a feature map [N, h, w, channels]. ` +
          `Layers with feature maps: ${spatial.join(', ') || '(none)'}`,
      );
    }
    return found;
  }
  const convs = allLayers(model).filter((l) => isConvLayer(l) && hasSpatialOutput(l));
  if (convs.length === 0) {
    throw new Error(`The model has no convolutional layer; its layers are: ${allLayers(model).map(describeLayer).join(', ')}`);
  }
  return convs[convs.length - 1];
}

/** The producer of a layer's (first) input, following its first inbound node. */
function inputLayer(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const node = layer.inboundNodes[0] as unknown as LayerNode | undefined;
  return node?.inputTensors[0]?.sourceLayer;
}

/** The last layer of a model (the source of its first output), nested models entered. */
export function outputLayer(model: tf.LayersModel): tf.layers.Layer {
  let layer: tf.layers.Layer = (model.outputs[0] as SymbolicTensor).sourceLayer;
  while (layer instanceof tf.LayersModel) layer = (layer.outputs[0] as SymbolicTensor).sourceLayer;
  return layer;
}

/** The pieces CAM needs: the feature-map layer, the pooling, the dense head. */
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
  let layer: tf.layers.Layer | undefined = outputLayer(model);
  while (layer && PASS_THROUGH.has(layer.getClassName())) layer = inputLayer(layer);
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

/** True when {@link gapHead} finds a global-average-pooled head (CAM applies). */
export function hasGapHead(model: tf.LayersModel): boolean {
  try {
    gapHead(model);
    return true;
  } catch {
    return false;
  }
}
