/**
 * Listing a model's layers with their output shapes, and finding layers by name with errors that
 * list the names that exist.
 */
import { tf } from '../tf';

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

function isGraphModel(model: unknown): model is tf.GraphModel {
  return model instanceof tf.GraphModel;
}

/** Checks that `model` is a tfjs LayersModel or GraphModel. */
export function checkModel(model: unknown, where: string): tf.LayersModel | tf.GraphModel {
  if (model instanceof tf.LayersModel || model instanceof tf.GraphModel) return model;
  throw new Error(`${where}: expected a tfjs LayersModel or GraphModel, got ${model === null ? 'null' : typeof model === 'object' ? (model as object).constructor?.name : typeof model}.`);
}

/**
 * The layers of a LayersModel (input layers included) or the nodes of a GraphModel, in order, with
 * output shapes.
 * @example listLayers(model).map((l) => `${l.name} ${l.outputShape}`)
 */
export function listLayers(model: tf.LayersModel | tf.GraphModel): LayerInfo[] {
  const m = checkModel(model, 'listLayers');
  if (isGraphModel(m)) {
    type GraphNode = { name: string; op: string; attrParams: Record<string, { value?: unknown }> };
    const nodes = (m as unknown as { executor: { graph: { nodes: Record<string, GraphNode> } } }).executor.graph.nodes;
    return Object.values(nodes).map((n, index) => {
      const shapes = n.attrParams?._output_shapes?.value as number[][] | undefined;
      return { index, name: n.name, className: n.op, outputShape: shapes?.[0]?.map((d) => (d < 0 ? null : d)) ?? null, params: 0 };
    });
  }
  const out: LayerInfo[] = [];
  const seen = new Set<string>();
  for (const input of inputLayersOf(m)) {
    if (seen.has(input.name)) continue;
    seen.add(input.name);
    out.push(describe(input, out.length));
  }
  for (const layer of m.layers) {
    if (seen.has(layer.name)) continue;
    seen.add(layer.name);
    out.push(describe(layer, out.length));
  }
  return out;
}

function describe(layer: tf.layers.Layer, index: number): LayerInfo {
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
  return model.inputs.map((t) => t.sourceLayer as tf.layers.Layer);
}

/** The names of a model's layers (LayersModel) or nodes (GraphModel). */
export function layerNames(model: tf.LayersModel | tf.GraphModel): string[] {
  return listLayers(model).map((l) => l.name);
}

/** A LayersModel's layer by name; an unknown name is an error listing the layers. */
export function getLayer(model: tf.LayersModel, name: string): tf.layers.Layer {
  const m = checkModel(model, 'getLayer');
  if (isGraphModel(m)) throw new Error('getLayer: a GraphModel has nodes, not layers; use tap() with node names.');
  const all = [...inputLayersOf(m), ...m.layers];
  const layer = all.find((l) => l.name === name);
  if (!layer) throw unknownLayer(name, all.map((l) => l.name));
  return layer;
}

/** The error for a layer name that does not exist, listing those that do. */
export function unknownLayer(name: unknown, available: string[]): Error {
  return new Error(`Unknown layer ${JSON.stringify(name)}. Available layers: ${available.join(', ')}.`);
}
