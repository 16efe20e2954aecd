/**
 * Min-max stretch for display: weights, activations and maps of any range become values in
 * [0, 1]. The one owner of the stretch; tiles, grids and heatmaps all use it.
 */
import { tf } from '../tf';
import { checkOneOf } from '../core/checks';

/**
 * Over what a stretch takes its range: the whole tensor, each item along axis 0, none (clip to
 * [0, 1]), or `'signed'`: each item scaled by its largest |value| around 0.5, so 0 is mid-grey.
 */
export type DisplayScope = 'all' | 'each' | 'none' | 'signed';

const SCOPES: readonly DisplayScope[] = ['all', 'each', 'none', 'signed'];

/** Check a {@link DisplayScope} named `name` in errors. */
export function checkDisplayScope(name: string, scope: unknown): DisplayScope {
  return checkOneOf(name, scope, SCOPES);
}

/**
 * Linearly maps a tensor to [0, 1] for display: with one range over the whole tensor (`'all'`,
 * default), per item along axis 0 (`'each'`, e.g. one filter per tile), or not at all (`'none'`:
 * values already in [0, 1] are clipped), or around zero per item (`'signed'`: 0.5 + 0.5 x / max|x|,
 * so 0 is mid-grey and the sign reads as darker / brighter). Constant inputs (range below 1e-12)
 * and all-zero items map to 0.5.
 */
export function toDisplayRange<T extends tf.Tensor>(x: T, scope: DisplayScope = 'all'): T {
  if (!(x instanceof tf.Tensor)) throw new Error(`toDisplayRange: expected a tensor, got ${typeof x}.`);
  checkDisplayScope('toDisplayRange scope', scope);
  return tf.tidy(() => {
    const f = tf.cast(x, 'float32');
    if (scope === 'none') return tf.clipByValue<T>(f, 0, 1);
    const axes = (scope === 'each' || scope === 'signed') && f.rank > 1 ? f.shape.map((_, i) => i).slice(1) : undefined;
    if (scope === 'signed') {
      const peak = tf.max(tf.abs(f), axes, true);
      const safe = tf.where(tf.lessEqual(peak, 1e-12), tf.onesLike(peak), peak);
      return tf.add<T>(0.5, tf.mul(0.5, tf.div(f, safe)));
    }
    const lo = tf.min(f, axes, true);
    const span = tf.sub(tf.max(f, axes, true), lo);
    const flat = tf.lessEqual(span, 1e-12);
    const unit = tf.div(tf.sub(f, lo), tf.where(flat, tf.onesLike(span), span));
    return tf.where(tf.broadcastTo(flat, f.shape), tf.fill(f.shape, 0.5), unit) as T;
  });
}
