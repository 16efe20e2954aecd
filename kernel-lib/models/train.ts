/**
 * A small, reproducible training loop for tfjs LayersModels: seeded shuffling, progress per epoch
 * (and per batch), and a stop signal, so a notebook can train a model and interrupt it.
 */
import { tf } from '../tf';
import { mulberry32 } from '../data/random';
import { throwIfInterrupted, yieldToEventLoop } from '../core/run-control';

/** Training examples: `x` is the input batch tensor, `y` either int class labels `[n]` or one-hot `[n, k]`. */
export interface TrainData {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** What {@link train} reports after each epoch. */
export interface EpochReport {
  /** 0-based epoch index. */
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Mean training accuracy over the epoch's batches (when the model reports it). */
  accuracy?: number;
  /** Loss and accuracy on `validation`, when given. */
  valLoss?: number;
  valAccuracy?: number;
  /** Seconds the epoch took. */
  seconds: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Passes over the data (positive integer). Default 1. */
  epochs?: number;
  /** Examples per gradient step (positive integer). Default 32. */
  batchSize?: number;
  /** Seed of the per-epoch shuffles. Default 0. Set `shuffle: false` to keep the order. */
  seed?: number;
  shuffle?: boolean;
  /** Learning rate of the Adam optimizer used when the model is not compiled yet. Default 1e-3. */
  learningRate?: number;
  /** Held-out data evaluated after each epoch. */
  validation?: TrainData;
  /** Called after each epoch; may return a promise (awaited). */
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Called after each batch with the fraction of the run done and the batch loss. */
  onBatch?: (info: { epoch: number; batch: number; batches: number; progress: number; loss: number }) => void;
  /** Stops training at the next batch boundary when aborted; {@link train} then resolves with `stopped: true`. */
  signal?: AbortSignal;
}

/** What {@link train} resolves to. */
export interface TrainResult {
  history: EpochReport[];
  /** True when `signal` stopped the run early. */
  stopped: boolean;
}

/**
 * Trains `model` on `data` with mini-batch gradient steps (`model.trainOnBatch`). If the model is
 * not compiled, compiles it with Adam and categorical cross-entropy plus accuracy. Integer labels
 * are one-hot encoded batch by batch to the model's output width. Reproducible for a fixed `seed`
 * and fixed initial weights. Leaves `data` untouched (the caller keeps ownership) and creates no
 * lasting tensors besides the optimizer's state.
 *
 * @example await train(model, { x: images, y: labels }, { epochs: 3, batchSize: 64, onEpoch: (r) => console.log(r) });
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new Error(`train: epochs ${epochs} must be a positive integer.`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`train: batchSize ${batchSize} must be a positive integer.`);
  checkData(model, data, 'data');
  if (options.validation) checkData(model, options.validation, 'validation');
  if (!model.optimizer) {
    model.compile({
      optimizer: tf.train.adam(options.learningRate ?? 1e-3),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
  }
  const n = data.x.shape[0];
  const classes = outputUnits(model);
  const batches = Math.ceil(n / batchSize);
  const random = mulberry32(options.seed ?? 0);
  const history: EpochReport[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const start = Date.now();
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (options.shuffle !== false) shuffleInPlace(order, random);
    let lossSum = 0;
    let accSum = 0;
    let hasAcc = false;
    let seen = 0;
    for (let b = 0; b < batches; b++) {
      if (options.signal?.aborted) return { history, stopped: true };
      throwIfInterrupted(); // a kernel interrupt rejects (the rest of the cell must not run)
      const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const [xb, yb] = tf.tidy(() => {
        const indices = tf.tensor1d(idx, 'int32');
        return [tf.gather(data.x, indices), targets(tf.gather(data.y, indices), classes)];
      });
      let out: number | number[];
      try {
        out = await model.trainOnBatch(xb, yb);
      } finally {
        xb.dispose();
        yb.dispose();
      }
      const values = Array.isArray(out) ? out : [out];
      lossSum += values[0] * idx.length;
      if (values.length > 1) {
        hasAcc = true;
        accSum += values[1] * idx.length;
      }
      seen += idx.length;
      options.onBatch?.({ epoch, batch: b, batches, progress: (epoch * batches + b + 1) / (epochs * batches), loss: values[0] });
      await yieldToEventLoop(); // let a Stop button, an interrupt and output through (also when an epoch is a few batches)
    }
    const report: EpochReport = { epoch, epochs, loss: lossSum / seen, seconds: (Date.now() - start) / 1000 };
    if (hasAcc) report.accuracy = accSum / seen;
    if (options.validation) {
      const v = await evaluate(model, options.validation, { batchSize: Math.max(batchSize, 256) });
      report.valLoss = v.loss;
      report.valAccuracy = v.accuracy;
    }
    history.push(report);
    await options.onEpoch?.(report);
  }
  return { history, stopped: false };
}

/**
 * Loss (categorical cross-entropy of the model's output) and top-1 accuracy of `model` on `data`,
 * computed in batches. Works for compiled and uncompiled models whose output is class probabilities.
 */
export async function evaluate(model: tf.LayersModel, data: TrainData, options: { batchSize?: number } = {}): Promise<{ loss: number; accuracy: number }> {
  checkData(model, data, 'data');
  const batchSize = options.batchSize ?? 256;
  const n = data.x.shape[0];
  const classes = outputUnits(model);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, c] = tf.tidy(() => {
      const x = data.x.slice(start, size);
      const y = targets(data.y.slice(start, size), classes);
      const p = model.predict(x) as tf.Tensor;
      const ce = tf.losses.softmaxCrossEntropy(y, tf.log(p.clipByValue(1e-7, 1))).mul(size);
      const hits = tf.equal(p.argMax(-1), y.argMax(-1)).sum();
      return [ce, hits];
    });
    loss += (await l.data())[0];
    correct += (await c.data())[0];
    l.dispose();
    c.dispose();
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** Top-1 accuracy of `model` on `data` (see {@link evaluate}). */
export async function accuracy(model: tf.LayersModel, data: TrainData, options: { batchSize?: number } = {}): Promise<number> {
  return (await evaluate(model, data, options)).accuracy;
}

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  const k = shape[shape.length - 1];
  if (typeof k !== 'number') throw new Error(`train: the model's output shape ${JSON.stringify(shape)} has no fixed class count.`);
  return k;
}

function targets(y: tf.Tensor, classes: number): tf.Tensor {
  return y.rank === 1 ? tf.oneHot(y.toInt(), classes).toFloat() : y.toFloat();
}

function checkData(model: tf.LayersModel, data: TrainData, what: string): void {
  if (!data || !(data.x instanceof tf.Tensor) || !(data.y instanceof tf.Tensor)) {
    throw new Error(`train: ${what} must be { x: Tensor, y: Tensor }; got ${data === null ? 'null' : typeof data}.`);
  }
  if (data.x.shape[0] !== data.y.shape[0]) {
    throw new Error(`train: ${what}.x has ${data.x.shape[0]} examples but ${what}.y has ${data.y.shape[0]}.`);
  }
  if (data.y.rank !== 1 && data.y.rank !== 2) throw new Error(`train: ${what}.y must be int labels [n] or one-hot [n, k]; got shape [${data.y.shape.join(',')}].`);
  const inShape = model.inputs[0].shape.slice(1);
  const xShape = data.x.shape.slice(1);
  if (inShape.length !== xShape.length || inShape.some((d, i) => d !== null && d !== xShape[i])) {
    throw new Error(`train: ${what}.x has shape [${data.x.shape.join(',')}] but the model expects [batch, ${inShape.map((d) => d ?? '?').join(',')}].`);
  }
}

function shuffleInPlace(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
