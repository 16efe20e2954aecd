/**
 * `tap`: intermediate activations of several layers from one forward pass.
 */
import { tf } from '../tf';
import { checkModel, inputLayersOf, layerNames, unknownLayer } from './layers';

const tapModels = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

/** A LayersModel (cached per model and name list) whose outputs are the named layers' outputs. */
function tapModel(model: tf.LayersModel, names: string[]): tf.LayersModel {
  let cache = tapModels.get(model);
  if (!cache) tapModels.set(model, (cache = new Map()));
  const key = JSON.stringify(names);
  let sub = cache.get(key);
  if (!sub) {
    const outputs = names.map((n) => {
      const layer = model.layers.find((l) => l.name === n)!;
      return layer.getOutputAt(0) as tf.SymbolicTensor;
    });
    sub = tf.model({ inputs: model.inputs, outputs });
    cache.set(key, sub);
  }
  return sub;
}

/**
 * Runs `input` through `model` once and returns the activations of `layers` (LayersModel layer
 * names or GraphModel node names), keyed by name. The caller owns (disposes) the returned tensors;
 * nothing else is left behind.
 *
 * @example const acts = tap(model, ['conv1', 'conv2'], images); acts.conv1.shape; tf.dispose(Object.values(acts));
 */
export function tap(model: tf.LayersModel | tf.GraphModel, layers: string[], input: tf.Tensor | tf.Tensor[]): Record<string, tf.Tensor> {
  const m = checkModel(model, 'tap');
  if (!Array.isArray(layers) || layers.length === 0) throw new Error(`tap: layers must be a non-empty array of layer names, got ${JSON.stringify(layers)}.`);
  const available = layerNames(m);
  for (const n of layers) if (!available.includes(n)) throw unknownLayer(n, available);
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0 || !inputs.every((t) => t instanceof tf.Tensor)) throw new Error('tap: input must be a tensor (or an array of tensors, one per model input).');
  const unique = [...new Set(layers)];
  let outputs: tf.Tensor[];
  if (m instanceof tf.GraphModel) {
    const res = m.execute(Array.isArray(input) ? input : input, unique);
    outputs = Array.isArray(res) ? res : [res];
  } else {
    checkInputShapes(m, inputs);
    // An input layer's activation is the input itself.
    const inputLayers = inputLayersOf(m);
    const inputNames = new Set(inputLayers.map((l) => l.name));
    const computed = unique.filter((n) => !inputNames.has(n));
    const res = computed.length ? tapModel(m, computed).predict(inputs.length === 1 ? inputs[0] : inputs) : [];
    const list = Array.isArray(res) ? res : [res];
    outputs = unique.map((n) => (inputNames.has(n) ? inputs[inputLayers.findIndex((l) => l.name === n)].clone() : list[computed.indexOf(n)]));
  }
  const out: Record<string, tf.Tensor> = {};
  unique.forEach((n, i) => { out[n] = outputs[i]; });
  return out;
}

function checkInputShapes(model: tf.LayersModel, inputs: tf.Tensor[]): void {
  if (inputs.length !== model.inputs.length) throw new Error(`tap: the model has ${model.inputs.length} input(s), got ${inputs.length} tensor(s).`);
  model.inputs.forEach((sym, i) => {
    const want = sym.shape.slice(1);
    const got = inputs[i].shape.slice(1);
    if (want.length !== got.length || want.some((d, k) => d !== null && d !== got[k])) {
      throw new Error(`tap: input ${i} has shape [${inputs[i].shape}] but the model expects [batch, ${want.map((d) => d ?? '?')}].`);
    }
  });
}
