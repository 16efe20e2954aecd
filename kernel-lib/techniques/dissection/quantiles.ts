/**
 * Per-unit top-quantile thresholds over a whole dataset, exact and streamed: Bau et al.'s T_k with
 * P(a_k > T_k) = quantile over every spatial position of every image. Each unit keeps only its
 * largest `k` activations seen so far (one `topk` per batch, a `[units, k]` tensor), where `k`
 * is the number of values at or above the quantile's position, so memory is
 * `units * (quantile * total + 2)` floats whatever the dataset size. The threshold is the
 * `1 - quantile` quantile with linear interpolation between order statistics (numpy / torch
 * `quantile`'s default), read from the kept values at the end.
 */
import { tf } from '../../tf';

/** Largest kept buffer (`units * k` floats) before we refuse: lower `quantile` or use fewer images. */
const MAX_KEPT = 2 ** 27;

/** Where the `1 - quantile` quantile of `total` sorted values lies: the values kept and the interpolation. */
export function quantilePosition(total: number, quantile: number): { keep: number; weight: number } {
  const p = (1 - quantile) * (total - 1); // position in ascending order
  const lo = Math.floor(p);
  return { keep: total - lo, weight: p - lo };
}

/** Streams `[b, h, w, units]` activations and returns each unit's exact top-quantile threshold. */
export class TopQuantile {
  private kept: tf.Tensor2D | null = null;
  private seen = 0;
  private readonly keep: number;
  private readonly weight: number;

  /**
   * @param units channels of the layer.
   * @param total activations per unit over the whole dataset (`n * h * w`).
   * @param quantile the top fraction (0 < quantile < 1).
   */
  constructor(readonly units: number, readonly total: number, quantile: number) {
    ({ keep: this.keep, weight: this.weight } = quantilePosition(total, quantile));
    if (units * this.keep > MAX_KEPT) {
      throw new Error(`dissect: quantile ${quantile} over ${total} activations per unit keeps ${this.keep} values for each of ${units} units (over ${MAX_KEPT}); use a smaller quantile or fewer images.`);
    }
  }

  /** Adds one batch `[b, h, w, units]` (not disposed here). */
  add(acts: tf.Tensor): void {
    const next = tf.tidy(() => {
      const rows = acts.reshape([-1, this.units]).transpose<tf.Tensor2D>();
      const all = this.kept ? tf.concat([this.kept, rows], 1) : rows;
      const k = Math.min(this.keep, all.shape[1]);
      return tf.topk(all, k, true).values;
    });
    this.kept?.dispose();
    this.kept = next;
    this.seen += acts.size / this.units;
  }

  /** The thresholds (one per unit, float64 interpolation of float32 activations); frees the buffer. */
  async thresholds(): Promise<Float64Array> {
    if (!this.kept || this.seen !== this.total) {
      throw new Error(`dissect: the quantile pass saw ${this.seen} activations per unit, expected ${this.total} (does the dataset yield n images?).`);
    }
    const k = this.kept.shape[1];
    const values = await this.kept.data();
    this.dispose();
    const out = new Float64Array(this.units);
    for (let u = 0; u < this.units; u++) {
      const lo = values[u * k + k - 1]; // the keep-th largest = ascending position floor(p)
      const hi = k > 1 ? values[u * k + k - 2] : lo;
      out[u] = lo + this.weight * (hi - lo);
    }
    return out;
  }

  /** Frees the kept values. */
  dispose(): void {
    this.kept?.dispose();
    this.kept = null;
  }
}
