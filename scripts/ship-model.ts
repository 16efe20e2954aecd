/**
 * Shared by the training scripts: trains a model, and after every epoch measures held-out
 * accuracy, saves model.json + weights.bin and writes MODEL_CARD.md / metrics.json into `out`.
 */
import { tf } from '../kernel-lib/tf';
import { BackendInfo } from '../kernel-lib/backend';
import { fileSystem } from '../kernel-lib/models/file-io';
import { train, evaluate, TrainData } from '../kernel-lib/models/train';
import { writeModelCard, ModelCard } from './model-card';

export interface ShipOptions {
  model: tf.LayersModel;
  train: TrainData;
  test: TrainData;
  testName: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  out: string;
  backend: BackendInfo;
  card: Omit<ModelCard, 'training' | 'metrics' | 'retrain'> & { training: string; retrain: (epochs: number, learningRate: number) => string };
  /** Continue from weights already in `out` (RESUME=1): a fine-tuning phase after `resumed.epochs` epochs at `resumed.learningRate`. */
  resumed?: { epochs: number; learningRate: number };
}

export async function trainAndShip(o: ShipOptions): Promise<void> {
  o.model.summary();
  const started = Date.now();
  await train(o.model, o.train, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed + (o.resumed?.epochs ?? 0),
    learningRate: o.learningRate,
    onBatch: (b) => { if (b.batch % 20 === 0) console.log(`epoch ${b.epoch + 1} batch ${b.batch}/${b.batches} loss ${b.loss.toFixed(4)}`); },
    onEpoch: async (r) => {
      const test = await evaluate(o.model, o.test);
      console.log(`epoch ${r.epoch + 1}/${r.epochs}: train loss ${r.loss.toFixed(4)} acc ${r.accuracy?.toFixed(4)}, ${o.testName} acc ${test.accuracy.toFixed(4)}, ${r.seconds.toFixed(0)} s`);
      await o.model.save(fileSystem(o.out));
      writeModelCard(o.out, {
        ...o.card,
        training: o.resumed
          ? `${o.card.training} Adam lr ${o.resumed.learningRate}, categorical cross-entropy, batch ${o.batchSize}, ${o.resumed.epochs} epoch(s) (seed ${o.seed}), then fine-tuned with a fresh Adam at lr ${o.learningRate} for ${r.epoch + 1} epoch(s) (shuffle seed ${o.seed + o.resumed.epochs}), backend ${o.backend.name}, fine-tuning ${((Date.now() - started) / 60000).toFixed(1)} min.`
          : `${o.card.training} Adam lr ${o.learningRate}, categorical cross-entropy, batch ${o.batchSize}, ${r.epoch + 1} epoch(s), seeded shuffles and initialisation (seed ${o.seed}), backend ${o.backend.name}, ${((Date.now() - started) / 60000).toFixed(1)} min.`,
        metrics: { [`${o.testName} accuracy`]: test.accuracy, [`${o.testName} loss`]: test.loss, 'train accuracy (last epoch, running)': r.accuracy ?? NaN },
        retrain: o.resumed
          ? `${o.card.retrain(o.resumed.epochs, o.resumed.learningRate)}\nRESUME=1 ${o.card.retrain(r.epoch + 1, o.learningRate)}   # fine-tune the weights in the output folder`
          : o.card.retrain(r.epoch + 1, o.learningRate) + '   # epoch k of a longer run equals a k-epoch run',
      });
    },
  });
}
