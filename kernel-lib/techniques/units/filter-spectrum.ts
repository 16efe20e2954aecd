/**
 * How much of a conv filter's energy sits at high spatial frequencies: the 2-D DFT of each
 * kernel slice (zero-padded, as two matrix products with a DFT basis, batched on the backend), energy
 * summed over input channels per filter. Zeiler & Fergus 2014 saw "aliasing artifacts" from a
 * large first-layer stride: a filter whose response has energy above the output's Nyquist
 * frequency `1 / (2 * stride)` folds it back when the layer subsamples.
 */
import { tf } from '../../tf';
import { checkNumber } from '../../core/checks';

/** Side of the zero-padded DFT grid for a `k`-tap kernel (at least 16, for a fine frequency grid). */
const gridFor = (k: number) => Math.max(16, 2 * k);

/**
 * Per filter, the fraction of its spectral energy at frequencies with `max(|fy|, |fx|) > cutoff`
 * (cycles per pixel, 0..0.5), of a kernel `[kh, kw, in, out]`: a `[out]` tensor in [0, 1]
 * (0 for an all-zero filter). `cutoff = 1 / (2 * stride)` gives the energy that aliases.
 */
export function highFrequencyFraction(kernel: tf.Tensor4D, cutoff: number): tf.Tensor1D {
  checkNumber('cutoff', cutoff, 0, 0.5);
  const [kh, kw, cin, cout] = kernel.shape;
  return tf.tidy(() => {
    const basis = (k: number, p: number) => {
      const u = tf.reshape(tf.range(0, p), [p, 1]);
      const y = tf.reshape(tf.range(0, k), [1, k]);
      const angle = tf.mul(tf.mul(u, y), (2 * Math.PI) / p);
      // frequency of row u in cycles per pixel, folded to [0, 0.5]
      const f = tf.abs(tf.sub(tf.mod(tf.add(tf.div(tf.range(0, p), p), 0.5), 1), 0.5));
      return { cos: tf.cos(angle) as tf.Tensor2D, sin: tf.sin(angle) as tf.Tensor2D, f };
    };
    const [p, q] = [gridFor(kh), gridFor(kw)];
    const by = basis(kh, p);
    const bx = basis(kw, q);
    const n = cin * cout;
    // Rows: [kh, n * kw]; then the column transform on [p * n, kw]. Plain matMuls (no einsum on wasm).
    const rows = tf.reshape(tf.transpose(kernel, [0, 2, 3, 1]), [kh, n * kw]);
    const cy = tf.reshape(tf.matMul(by.cos, rows), [p * n, kw]);
    const sy = tf.reshape(tf.matMul(by.sin, rows), [p * n, kw]);
    const re = tf.sub(tf.matMul(cy, bx.cos, false, true), tf.matMul(sy, bx.sin, false, true));
    const im = tf.add(tf.matMul(cy, bx.sin, false, true), tf.matMul(sy, bx.cos, false, true));
    const power = tf.reshape(tf.add(tf.square(re), tf.square(im)), [p, cin, cout, q]);
    const energy = tf.transpose(tf.sum(power, 1), [1, 0, 2]); // [out, p, q]
    const high = tf.cast(tf.greater(tf.maximum(tf.reshape(by.f, [-1, 1]), tf.reshape(bx.f, [1, -1])), cutoff + 1e-9), 'float32');
    const total = tf.sum(energy, [1, 2]);
    const above = tf.sum(tf.mul(energy, high), [1, 2]);
    return tf.where(tf.greater(total, 0), tf.div(above, tf.maximum(total, 1e-30)), tf.zerosLike(total)) as tf.Tensor1D;
  });
}
