/**
 * Each unit's top images over a streamed dataset: the images whose largest activation (over the
 * unit's map) is highest, as NetDissect shows them. One `topk` per batch over a `[units, T + b]`
 * score table keeps memory at `units * T`.
 */
import { tf } from '../../tf';

/** Top image indices and scores per unit (row-major `[units, count]`, best first). */
export interface UnitTopImages {
  count: number;
  indices: Int32Array;
  scores: Float32Array;
}

/** Streams `[b, h, w, units]` activations of images `[start, start + b)`; keeps each unit's top `count`. */
export class TopImages {
  private scores: tf.Tensor2D | null = null;
  private indices: tf.Tensor2D | null = null;

  constructor(readonly units: number, readonly count: number) {}

  /** Adds the batch of images `[start, start + b)`. */
  add(acts: tf.Tensor, start: number): void {
    const [scores, indices] = tf.tidy(() => {
      const b = acts.shape[0];
      const peak = acts.reshape([b, -1, this.units]).max(1).transpose<tf.Tensor2D>(); // [units, b]
      const ids = tf.range(start, start + b, 1, 'int32').expandDims(0).tile<tf.Tensor2D>([this.units, 1]);
      const allScores = this.scores ? tf.concat([this.scores, peak], 1) : peak;
      const allIds = this.indices ? tf.concat([this.indices, ids], 1) : ids;
      const k = Math.min(this.count, allScores.shape[1]);
      const top = tf.topk(allScores, k, true);
      // Row-wise gather as one flat gather (tfjs-backend-wasm 4.22's GatherV2 with batchDims corrupts memory).
      const cols = allIds.shape[1];
      const flat = top.indices.add(tf.range(0, this.units * cols, cols, 'int32').expandDims(1));
      return [top.values, tf.gather(allIds.reshape([-1]), flat.reshape([-1])).reshape([this.units, k])] as [tf.Tensor2D, tf.Tensor2D];
    });
    this.dispose();
    this.scores = scores;
    this.indices = indices;
  }

  /** The top images; frees the buffers. */
  async read(): Promise<UnitTopImages> {
    if (!this.scores || !this.indices) throw new Error('dissect: no images were seen.');
    const count = this.scores.shape[1];
    const [scores, indices] = [await this.scores.data() as Float32Array, await this.indices.data() as Int32Array];
    this.dispose();
    return { count, indices: Int32Array.from(indices), scores: Float32Array.from(scores) };
  }

  /** Frees the buffers. */
  dispose(): void {
    tf.dispose([this.scores, this.indices].filter((t): t is tf.Tensor2D => t !== null));
    this.scores = null;
    this.indices = null;
  }
}
