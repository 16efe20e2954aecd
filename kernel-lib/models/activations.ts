/**
 * Activations, the one owner: intermediate outputs of a model's layers, for one batch ({@link tap})
 * or streamed over a whole dataset ({@link activationBatches}, {@link activations}). LayersModels
 * run through the one forward path (`graph.ts`, only as far as the layers asked for); GraphModels
 * through `execute`. Later technique families (feature space, max patches, dissection) stream
 * their data through {@link activationBatches}.
 */
import { tf } from '../tf';
import { batches, type BatchSource, type RunControl } from '../core/run-control';
import { chunkSize } from './batch-size';
import { layerOutputs } from './graph';
import { getLayer, layerNames } from './layers';
import { checkModel } from './validate';

function checkLayerList(model: tf.LayersModel | tf.GraphModel, layers: unknown, where: string): string[] {
  if (!Array.isArray(layers) || layers.length === 0 || !layers.every((l) => typeof l === 'string')) {
    throw new Error(`${where}: layers must be a non-empty array of layer names, got ${JSON.stringify(layers)}.`);
  }
  if (model instanceof tf.GraphModel) {
    const available = layerNames(model);
    for (const n of layers) if (!available.includes(n)) throw new Error(`Unknown node ${JSON.stringify(n)}. The model's nodes are: ${available.join(', ')}`);
  } else {
    for (const n of layers) getLayer(model, n);
  }
  return [...new Set(layers)];
}

function checkInputShapes(model: tf.LayersModel, inputs: tf.Tensor[], where: string): void {
  if (inputs.length !== model.inputs.length) throw new Error(`${where}: the model has ${model.inputs.length} input(s), got ${inputs.length} tensor(s).`);
  model.inputs.forEach((sym, i) => {
    const want = sym.shape.slice(1);
    const got = inputs[i].shape.slice(1);
    if (want.length !== got.length || want.some((d, k) => d !== null && d !== got[k])) {
      throw new Error(`${where}: input ${i} has shape [${inputs[i].shape.join(',')}] but the model expects [batch, ${want.map((d) => d ?? '?').join(',')}].`);
    }
    if (inputs[i].dtype !== sym.dtype) {
      throw new Error(`${where}: input ${i} has dtype ${inputs[i].dtype} but the model expects ${sym.dtype} (convert it: tf.cast(x, '${sym.dtype}'), scaled as the model's data is).`);
    }
  });
}

/** The activations of `names` (checked) for one batch; new tensors the caller owns. */
function runBatch(model: tf.LayersModel | tf.GraphModel, names: string[], inputs: tf.Tensor[]): Record<string, tf.Tensor> {
  if (model instanceof tf.GraphModel) {
    const res = model.execute(inputs.length === 1 ? inputs[0] : inputs, names);
    const list = Array.isArray(res) ? res : [res];
    return Object.fromEntries(names.map((n, i) => [n, list[i]]));
  }
  const kept = tf.tidy(() => {
    const { outputs } = layerOutputs(model, inputs, names);
    // An input layer's activation is the input itself: copy it so the caller owns every result.
    return names.map((n) => (inputs.includes(outputs[n]) ? outputs[n].clone() : outputs[n]));
  });
  return Object.fromEntries(names.map((n, i) => [n, kept[i]]));
}

/**
 * Runs `input` through `model` once and returns the activations of `layers` (LayersModel layer
 * names, nested models included, or GraphModel node names), keyed by name. The caller owns
 * (disposes) the returned tensors; nothing else is left behind.
 *
 * @example const acts = tap(model, ['conv1', 'conv2'], images); acts.conv1.shape; tf.dispose(Object.values(acts));
 */
export function tap(model: tf.LayersModel | tf.GraphModel, layers: string[], input: tf.Tensor | tf.Tensor[]): Record<string, tf.Tensor> {
  const m = checkModel(model, 'tap');
  const names = checkLayerList(m, layers, 'tap');
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0 || !inputs.every((t) => t instanceof tf.Tensor)) throw new Error('tap: input must be a tensor (or an array of tensors, one per model input).');
  if (m instanceof tf.LayersModel) checkInputShapes(m, inputs, 'tap');
  return runBatch(m, names, inputs);
}

/** One batch of {@link activationBatches}: dataset rows `[start, end)` and their activations. */
export interface ActivationBatch {
  start: number;
  end: number;
  /** The input batch; valid until the loop moves on. */
  input: tf.Tensor;
  /** Activations of each requested layer, keyed by name; disposed when the loop moves on. */
  activations: Record<string, tf.Tensor>;
}

/** Options of {@link activationBatches} and {@link activations}. */
export interface ActivationOptions extends RunControl {
  /** Items in an iterable source, for progress. */
  total?: number;
}

/**
 * Stream `data` (a tensor `[N, ...]` or an iterable of batches, see `batches`) through `model`
 * and yield the activations of `layers` batch by batch, with progress and Stop. Each batch's
 * tensors are disposed when the loop moves on: reduce them (max, histogram, top-k) or keep what
 * you need with `tf.keep` / `clone()`.
 *
 * @example
 * for await (const { activations, start } of lens.activationBatches(model, ['conv2'], images, { signal })) { ... }
 */
export async function* activationBatches(
  model: tf.LayersModel | tf.GraphModel,
  layers: string[],
  data: BatchSource,
  opts: ActivationOptions = {},
): AsyncGenerator<ActivationBatch> {
  const m = checkModel(model, 'activations');
  const names = checkLayerList(m, layers, 'activations');
  const size = m instanceof tf.LayersModel ? chunkSize(m, opts) : opts.batchSize ?? 32;
  for await (const { tensor, start, end } of batches(data, size, opts)) {
    if (m instanceof tf.LayersModel) checkInputShapes(m, [tensor], 'activations');
    const acts = runBatch(m, names, [tensor]);
    try {
      yield { start, end, input: tensor, activations: acts };
    } finally {
      tf.dispose(Object.values(acts));
    }
  }
}

/**
 * The activations of `layer` (or of several `layers`, keyed by name) for every item of `data`,
 * concatenated along axis 0: `[N, ...]`. Streams in batches with progress and Stop; for datasets
 * whose activations do not fit in memory, reduce them batch by batch with {@link activationBatches}.
 *
 * @example const feats = await lens.activations(model, 'dense1', test.images, { onProgress });
 */
export async function activations(model: tf.LayersModel | tf.GraphModel, layer: string, data: BatchSource, opts?: ActivationOptions): Promise<tf.Tensor>;
export async function activations(model: tf.LayersModel | tf.GraphModel, layers: string[], data: BatchSource, opts?: ActivationOptions): Promise<Record<string, tf.Tensor>>;
export async function activations(
  model: tf.LayersModel | tf.GraphModel,
  layers: string | string[],
  data: BatchSource,
  opts: ActivationOptions = {},
): Promise<tf.Tensor | Record<string, tf.Tensor>> {
  const names = typeof layers === 'string' ? [layers] : layers;
  const parts: Record<string, tf.Tensor[]> = {};
  try {
    for await (const { activations: acts } of activationBatches(model, names, data, opts)) {
      for (const [n, t] of Object.entries(acts)) (parts[n] ??= []).push(t.clone());
    }
  } catch (e) {
    tf.dispose(Object.values(parts).flat());
    throw e;
  }
  const out: Record<string, tf.Tensor> = {};
  for (const [n, list] of Object.entries(parts)) {
    out[n] = list.length === 1 ? list[0] : tf.concat(list, 0);
    if (list.length > 1) tf.dispose(list);
  }
  return typeof layers === 'string' ? out[layers] : out;
}
