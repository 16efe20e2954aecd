/**
 * Visualization as a debugging tool while a network trains (Zeiler & Fergus 2014, section 4.2):
 * a `train` callback pair that records chosen conv layers' filters, and a fixed probe's
 * activations, every epoch (or every N batches), and per-snapshot diagnostics: dead unit fraction
 * on the probe set, filters' high-frequency and aliased energy, weight norm, loss and accuracy.
 */
import { tf } from '../../tf';
import { checkInteger } from '../../core/checks';
import { getLayer, isConvLayer } from '../../models/layers';
import type { EpochReport, TrainOptions } from '../../models/train';
import { checkModel, imageBatch } from '../../models/validate';
import { tap } from '../../models/activations';
import { highFrequencyFraction } from './filter-spectrum';

/** Options of {@link trainingSnapshots}. */
export interface TrainingSnapshotOptions {
  /** Conv layers whose filters are recorded (Conv2D). */
  layers: string[];
  /** Probe images `[N, H, W, C]` (or one image): image 0's activation maps are kept; all N decide which units are dead. */
  probe?: tf.Tensor;
  /** Also record every this many batches (default: only when an epoch ends). */
  everyBatches?: number;
  /** Also record once before training starts (default false: N epochs give N snapshots). */
  initial?: boolean;
}

/** One recorded moment of training. Its tensors belong to the {@link TrainingSnapshots}. */
export interface Snapshot {
  /** Epochs completed when recorded (0 for the initial snapshot), and the batch within the running epoch for mid-epoch ones (else null). */
  epoch: number;
  batch: number | null;
  label: string;
  /** Each layer's kernel `[kh, kw, in, out]`, copied. */
  kernels: Record<string, tf.Tensor4D>;
  /** Each layer's activations of probe image 0, `[h, w, out]` (with a probe). */
  probeMaps: Record<string, tf.Tensor3D>;
  /** Each layer's largest activation per unit over the whole probe set, `[out]` (with a probe). */
  unitMax: Record<string, tf.Tensor1D>;
  /** The epoch's report (loss, accuracy, validation) for epoch-end snapshots. */
  report?: EpochReport;
}

/** Diagnostics of one layer at one snapshot. */
export interface LayerDiagnostics {
  /** Fraction of units never positive on the probe set (null without a probe). */
  deadFraction: number | null;
  /** Mean over filters of the spectral energy fraction above `cutoff` cycles/pixel. */
  highFrequencyEnergy: number;
  /** Mean over filters of the energy fraction above the layer's output Nyquist, 1 / (2 * stride): what subsampling aliases (0 for stride 1). */
  aliasedEnergy: number;
  /** Mean L2 norm of the filters. */
  weightNorm: number;
  stride: number;
}

/** Diagnostics of one snapshot. */
export interface SnapshotDiagnostics {
  epoch: number;
  batch: number | null;
  label: string;
  loss?: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  layers: Record<string, LayerDiagnostics>;
}

/** Records snapshots while a model trains; pass {@link TrainingSnapshots.trainOptions} to `train`. Call `dispose()` when done. */
export class TrainingSnapshots {
  /** The snapshots so far, oldest first. */
  readonly snapshots: Snapshot[] = [];
  private readonly probe: tf.Tensor4D | null;

  constructor(private readonly model: tf.LayersModel, private readonly opts: TrainingSnapshotOptions) {
    checkModel(model, 'trainingSnapshots', 'images');
    if (!Array.isArray(opts.layers) || opts.layers.length === 0) throw new Error(`trainingSnapshots: layers must be a non-empty array of conv layer names; got ${JSON.stringify(opts.layers)}`);
    for (const name of opts.layers) {
      const layer = getLayer(model, name);
      if (!isConvLayer(layer) || layer.getClassName() !== 'Conv2D') throw new Error(`trainingSnapshots: layer "${name}" is a ${layer.getClassName()}; filters are recorded for Conv2D layers`);
    }
    if (opts.everyBatches !== undefined) checkInteger('everyBatches', opts.everyBatches, 1);
    this.probe = opts.probe === undefined ? null : imageBatch(model, opts.probe);
    if (opts.initial) this.record(0, null);
  }

  /** The layers recorded. */
  get layers(): string[] {
    return [...this.opts.layers];
  }

  /** Record the model now (called by the train callbacks; call it yourself for a custom loop). */
  record(epoch: number, batch: number | null, report?: EpochReport): Snapshot {
    const kernels: Record<string, tf.Tensor4D> = {};
    for (const name of this.opts.layers) kernels[name] = tf.clone(getLayer(this.model, name).getWeights()[0]) as tf.Tensor4D;
    const probeMaps: Record<string, tf.Tensor3D> = {};
    const unitMax: Record<string, tf.Tensor1D> = {};
    if (this.probe) {
      const acts = tap(this.model, this.opts.layers, this.probe);
      for (const name of this.opts.layers) {
        probeMaps[name] = tf.tidy(() => tf.squeeze<tf.Tensor3D>(tf.slice(acts[name], [0], [1]), [0]));
        unitMax[name] = tf.tidy(() => tf.max<tf.Tensor1D>(tf.reshape(acts[name], [-1, acts[name].shape[3] ?? 1]), 0));
      }
      tf.dispose(Object.values(acts));
    }
    const label = batch === null ? (report ? `epoch ${epoch}` : `epoch ${epoch} (initial)`) : `epoch ${epoch + 1}, batch ${batch + 1}`;
    const snap: Snapshot = { epoch, batch, label, kernels, probeMaps, unitMax, report };
    this.snapshots.push(snap);
    return snap;
  }

  /** `options` for `train` with recording callbacks added (yours still run, after the recording). */
  trainOptions(options: TrainOptions = {}): TrainOptions {
    const every = this.opts.everyBatches;
    return {
      ...options,
      onBatch: (info) => {
        if (every !== undefined && (info.batch + 1) % every === 0 && info.batch + 1 < info.batches) this.record(info.epoch, info.batch);
        options.onBatch?.(info);
      },
      onEpoch: async (report) => {
        this.record(report.epoch + 1, null, report);
        await options.onEpoch?.(report);
      },
    };
  }

  /** Diagnostics of every snapshot; `cutoff` (cycles/pixel, default 0.25) is the high-frequency threshold. */
  async diagnostics(opts: { cutoff?: number } = {}): Promise<SnapshotDiagnostics[]> {
    const cutoff = opts.cutoff ?? 0.25;
    const out: SnapshotDiagnostics[] = [];
    for (const snap of this.snapshots) {
      const layers: Record<string, LayerDiagnostics> = {};
      for (const name of this.opts.layers) {
        const stride = ((getLayer(this.model, name).getConfig().strides as number[] | undefined) ?? [1])[0];
        const kernel = snap.kernels[name];
        const stats = tf.tidy(() => {
          const norms = tf.sqrt(tf.sum(tf.square(kernel), [0, 1, 2]));
          const dead = snap.unitMax[name] ? tf.mean(tf.cast(tf.lessEqual(snap.unitMax[name], 0), 'float32')) : tf.scalar(-1);
          return tf.stack([dead, tf.mean(highFrequencyFraction(kernel, cutoff)), tf.mean(highFrequencyFraction(kernel, 1 / (2 * stride))), tf.mean(norms)]);
        });
        const [dead, high, aliased, norm] = Array.from(await stats.data());
        stats.dispose();
        layers[name] = { deadFraction: snap.unitMax[name] ? dead : null, highFrequencyEnergy: high, aliasedEnergy: aliased, weightNorm: norm, stride };
      }
      const r = snap.report;
      out.push({ epoch: snap.epoch, batch: snap.batch, label: snap.label, loss: r?.loss, accuracy: r?.accuracy, valLoss: r?.valLoss, valAccuracy: r?.valAccuracy, layers });
    }
    return out;
  }

  /** Free every recorded tensor and the probe. */
  dispose(): void {
    for (const s of this.snapshots) tf.dispose([...Object.values(s.kernels), ...Object.values(s.probeMaps), ...Object.values(s.unitMax)]);
    this.snapshots.length = 0;
    this.probe?.dispose();
  }
}

/**
 * Record `layers`' filters (and a probe's activations) while `model` trains.
 *
 * @example
 * const snaps = lens.units.trainingSnapshots(model, { layers: ['conv1'], probe: test.images.slice([0], [64]) });
 * await lens.train(model, data, snaps.trainOptions({ epochs: 5 }));
 * const table = await snaps.diagnostics();  // dead units, high-frequency energy, weight norm, loss per epoch
 */
export function trainingSnapshots(model: tf.LayersModel, opts: TrainingSnapshotOptions): TrainingSnapshots {
  return new TrainingSnapshots(model, opts);
}
