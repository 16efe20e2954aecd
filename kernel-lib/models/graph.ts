/**
 * The one activation path: a re-implemented forward pass of a `tf.LayersModel` (sequential or
 * functional, nested models included) that every technique and `tap`/`activations` drive. It
 * calls each layer on concrete tensors, so everything stays differentiable, and it can
 * - return the output of any layer (`fetch`), or run only as far as the fetched layers
 *   ({@link layerOutputs}), and replace the output of any layer (`feed`),
 * - reuse the values of an earlier partial run (`known`), so a run split in two costs one pass,
 * - strip the final softmax so scores are taken before it (`logits`),
 * - swap the backward rule of every ReLU (`relu`: guided backpropagation or deconvnet).
 *
 * The model itself is never changed: activations swapped for one call are restored right after.
 */
import { tf } from '../tf';

/** How the backward pass treats ReLUs: as autodiff does, guided (Springenberg) or deconvnet (Zeiler-Fergus). */
export type ReluBackward = 'plain' | 'guided' | 'deconvnet';

/** Options of {@link runGraph}. */
export interface GraphRunOptions {
  /** Names of layers whose outputs to return (in `outputs`, keyed by name). */
  fetch?: string[];
  /** Layer name → tensor that replaces that layer's output (everything upstream of it is not run for it). */
  feed?: Record<string, tf.Tensor>;
  /** Drop the final softmax (or sigmoid) so the model output is the score before it. */
  logits?: boolean;
  /** Backward rule of every ReLU met on the way. Default 'plain'. */
  relu?: ReluBackward;
  /** Values of the model's own (top-level) tensors computed before ({@link GraphValues}); they are not recomputed. */
  known?: GraphValues;
}

/** Values of a model's top-level symbolic tensors by id, from {@link layerOutputs}. */
export type GraphValues = ReadonlyMap<number, tf.Tensor>;

/** What {@link runGraph} returns. */
export interface GraphRunResult {
  /** The model output (logits when `logits` was set). */
  output: tf.Tensor;
  /** Outputs of the fetched layers, keyed by layer name. */
  outputs: Record<string, tf.Tensor>;
}

/** What {@link layerOutputs} returns. */
export interface LayerOutputs {
  /** The output of each requested layer, keyed by name. */
  outputs: Record<string, tf.Tensor>;
  /** Every top-level value computed on the way (pass as `known` to continue the run without recomputing). */
  values: GraphValues;
}

type SymbolicTensor = tf.SymbolicTensor & { sourceLayer: tf.layers.Layer; nodeIndex: number; tensorIndex: number };
/** What convlens reads of a tfjs-layers graph node (tfjs does not export its Node type: hence the casts below). */
interface LayerNode {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}
interface Activation {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

const FINAL_SQUASHES = new Set(['softmax', 'sigmoid']);

/** The activation function of a layer (`activation` option of Conv2D, Dense, Activation...), if any. */
export function layerActivationName(layer: tf.layers.Layer): string | undefined {
  // Conv2D, Dense, Activation... keep `activation` as a field tfjs does not declare on Layer.
  const act = (layer as unknown as { activation?: Activation }).activation;
  if (act && typeof act.getClassName === 'function') return act.getClassName().toLowerCase();
  const cls = layer.getClassName();
  if (cls === 'Softmax') return 'softmax';
  if (cls === 'ReLU') return 'relu';
  return undefined;
}

/** True when the model's output goes through a softmax or sigmoid that {@link runGraph} strips for `logits`. */
export function finalSquash(model: tf.LayersModel): 'softmax' | 'sigmoid' | undefined {
  let layer: tf.layers.Layer = (model.outputs[0] as SymbolicTensor).sourceLayer;
  while (layer instanceof tf.LayersModel) layer = (layer.outputs[0] as SymbolicTensor).sourceLayer;
  const name = layerActivationName(layer);
  return name && FINAL_SQUASHES.has(name) ? (name as 'softmax' | 'sigmoid') : undefined;
}

/**
 * A ReLU whose backward pass follows `mode`:
 * guided: dy·[x>0]·[dy>0]; deconvnet: max(dy, 0) (the forward input is ignored).
 */
export function reluWithBackward(mode: Exclude<ReluBackward, 'plain'>, maxValue?: number): (x: tf.Tensor) => tf.Tensor {
  // tfjs types a custom gradient's arguments as (Tensor | GradSaveFunc)[]: the function is typed as what it is and cast.
  const fn = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = maxValue === undefined ? tf.relu(x) : tf.clipByValue(x, 0, maxValue);
    save([x]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const positiveSignal = tf.relu(dy);
        if (mode === 'deconvnet') return positiveSignal;
        const passes = maxValue === undefined
          ? tf.greater(saved[0], 0)
          : tf.logicalAnd(tf.greater(saved[0], 0), tf.less(saved[0], maxValue));
        return tf.mul(positiveSignal, tf.cast(passes, dy.dtype));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return fn;
}

class GraphRun {
  private readonly outputs: Record<string, tf.Tensor> = {};
  private readonly finalIds = new Set<number>();
  private readonly wanted: Set<string>;

  constructor(private readonly opts: GraphRunOptions) {
    this.wanted = new Set(opts.fetch ?? []);
  }

  run(model: tf.LayersModel, input: tf.Tensor | tf.Tensor[]): GraphRunResult {
    const [output] = this.runModel(model, toList(input), true, this.opts.known);
    return { output, outputs: this.outputs };
  }

  /** Evaluate only what the top-level `targets` need; returns every value computed. */
  runTo(model: tf.LayersModel, input: tf.Tensor | tf.Tensor[], targets: SymbolicTensor[]): Map<number, tf.Tensor> {
    const values = this.inputValues(model, toList(input), this.opts.known);
    for (const s of model.outputs) this.finalIds.add(s.id);
    for (const t of targets) this.evaluate(t, values);
    return values;
  }

  get fetched(): Record<string, tf.Tensor> {
    return this.outputs;
  }

  private inputValues(model: tf.LayersModel, inputs: tf.Tensor[], known?: GraphValues): Map<number, tf.Tensor> {
    const values = new Map<number, tf.Tensor>(known ?? []);
    // A fed layer's own outputs must come from the feed, not from an earlier run.
    for (const name of Object.keys(this.opts.feed ?? {})) {
      for (const node of model.layers.find((l) => l.name === name)?.inboundNodes ?? []) {
        for (const t of (node as unknown as LayerNode).outputTensors) values.delete(t.id);
      }
    }
    model.inputs.forEach((s, i) => values.set(s.id, inputs[i]));
    return values;
  }

  private runModel(model: tf.LayersModel, inputs: tf.Tensor[], final: boolean, known?: GraphValues): tf.Tensor[] {
    const values = this.inputValues(model, inputs, known);
    if (final) for (const s of model.outputs) this.finalIds.add(s.id);
    return model.outputs.map((s) => this.evaluate(s as SymbolicTensor, values));
  }

  private evaluate(s: SymbolicTensor, values: Map<number, tf.Tensor>): tf.Tensor {
    const known = values.get(s.id);
    if (known) return known;
    const layer = s.sourceLayer;
    const node = layer.inboundNodes[s.nodeIndex] as unknown as LayerNode;
    const fed = this.opts.feed?.[layer.name];
    let outs: tf.Tensor[];
    if (fed) {
      outs = [fed];
    } else {
      const ins = node.inputTensors.map((t) => this.evaluate(t, values));
      const isFinal = node.outputTensors.some((t) => this.finalIds.has(t.id));
      outs = this.callLayer(layer, ins, node.callArgs ?? {}, isFinal);
    }
    node.outputTensors.forEach((t, i) => values.set(t.id, outs[i]));
    if (this.wanted.has(layer.name)) this.outputs[layer.name] = outs[0];
    return values.get(s.id)!;
  }

  private callLayer(layer: tf.layers.Layer, ins: tf.Tensor[], callArgs: Record<string, unknown>, isFinal: boolean): tf.Tensor[] {
    if (layer instanceof tf.LayersModel) return this.runModel(layer, ins, isFinal);
    const input = ins.length === 1 ? ins[0] : ins;
    const kwargs = { ...callArgs, training: false };
    const act = layerActivationName(layer);
    const relu = this.opts.relu ?? 'plain';
    const stripSquash = isFinal && this.opts.logits && act !== undefined && FINAL_SQUASHES.has(act);
    const swapRelu = relu !== 'plain' && (act === 'relu' || act === 'relu6');
    if (layer.getClassName() === 'Softmax' && stripSquash) return [ins[0]];
    if (layer.getClassName() === 'ReLU' && swapRelu) {
      const maxValue = (layer as unknown as { maxValue?: number | null }).maxValue ?? undefined; // ReLU's field, undeclared by tfjs
      return [reluWithBackward(relu, maxValue)(ins[0])];
    }
    if (!stripSquash && !swapRelu) return toList(layer.call(input, kwargs));
    const holder = layer as unknown as { activation: Activation };
    const saved = holder.activation;
    const replacement: Activation = stripSquash
      ? { apply: (x) => x, getClassName: () => 'linear' }
      : // A class name tfjs cannot fuse into the matmul/conv kernel, so our ReLU really runs.
        { apply: reluWithBackward(relu as 'guided' | 'deconvnet', act === 'relu6' ? 6 : undefined), getClassName: () => `${relu}-${act}` };
    holder.activation = replacement;
    try {
      return toList(layer.call(input, kwargs));
    } finally {
      holder.activation = saved;
    }
  }
}

function toList(x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(x) ? x : [x];
}

/**
 * Run `model` on `input` (one tensor per model input) layer by layer (see the module comment).
 * Not wrapped in a tidy: call it inside `tf.tidy` or a gradient function.
 */
export function runGraph(model: tf.LayersModel, input: tf.Tensor | tf.Tensor[], opts: GraphRunOptions = {}): GraphRunResult {
  return new GraphRun(opts).run(model, input);
}

/**
 * The outputs of the layers named in `layers` (names checked by the caller), running the model
 * only as far as they need when they are top-level layers (a layer inside a nested model needs a
 * full run). Input layers give the input itself. Not wrapped in a tidy, like {@link runGraph}.
 */
export function layerOutputs(
  model: tf.LayersModel,
  input: tf.Tensor | tf.Tensor[],
  layers: string[],
  opts: Omit<GraphRunOptions, 'fetch'> = {},
): LayerOutputs {
  const inputs = toList(input);
  const run = new GraphRun({ ...opts, fetch: layers });
  const outputs: Record<string, tf.Tensor> = {};
  const targets: SymbolicTensor[] = [];
  let nested = false;
  for (const name of layers) {
    const i = model.inputs.findIndex((s) => (s as SymbolicTensor).sourceLayer.name === name);
    if (i >= 0) {
      outputs[name] = inputs[i];
      continue;
    }
    const layer = model.layers.find((l) => l.name === name);
    const node = layer?.inboundNodes[0] as unknown as LayerNode | undefined;
    if (node) targets.push(node.outputTensors[0]);
    else nested = true;
  }
  if (nested) {
    const { outputs: fetched } = run.run(model, inputs);
    return { outputs: { ...fetched, ...outputs }, values: new Map() };
  }
  const values = run.runTo(model, inputs, targets);
  return { outputs: { ...run.fetched, ...outputs }, values };
}
