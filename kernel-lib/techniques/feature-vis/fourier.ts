/**
 * The Fourier parameterization (Olah et al. 2017, Lucid's `fft_image`): the image is the inverse
 * real 2-D Fourier transform of a spectrum whose coefficients are scaled by 1/frequency^decay, in
 * decorrelated colour. Gradient steps on the spectrum favour low frequencies, so images come out
 * smoother than with pixels at the same step count.
 *
 * tfjs has no gradient for its FFT kernels and the wasm backend has no FFT at all, so the 2-D real
 * transforms here are matrix products with cosine and sine tables (exact, differentiable on every
 * backend): irfft2d(Xr + i·Xi)[h, w] = 1/(HW) Σ_u Σ_v c_v Re(X[u, v] e^{2πi(uh/H + vw/W)}), with
 * c_v = 1 for the zero and Nyquist columns and 2 for the others (numpy's irfft2 convention).
 */
import { tf } from '../../tf';
import { checkNumber } from '../inputs';
import { toCorrelatedColors, toDecorrelatedColors } from './color';
import { channelMean, checkImageShape, initialImages, type ImageParam, type ParamOptions } from './param';

/** Columns kept by a real transform of width w: ⌊w/2⌋ + 1. */
export function halfWidth(w: number): number {
  return Math.floor(w / 2) + 1;
}

/** The cosine and sine tables of 2-D real transforms of `h` x `w` images (tensors the caller disposes). */
export interface DftTables {
  h: number;
  w: number;
  /** cos(2πuh/H), sin(2πuh/H): `[H, H]` (symmetric). */
  cosH: tf.Tensor2D;
  sinH: tf.Tensor2D;
  /** Inverse along the width, with the c_v/(HW) weights: `[Wf, W]`. */
  invCosW: tf.Tensor2D;
  invSinW: tf.Tensor2D;
  /** Forward along the width: cos(2πvw/W), sin(2πvw/W) as `[W, Wf]`. */
  fwdCosW: tf.Tensor2D;
  fwdSinW: tf.Tensor2D;
  dispose(): void;
}

/** Cosine and sine tables for `h` x `w` transforms. */
export function dftTables(h: number, w: number): DftTables {
  const wf = halfWidth(w);
  const table = (rows: number, cols: number, f: (r: number, c: number) => number) => {
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = f(r, c);
    return tf.tensor2d(out, [rows, cols]);
  };
  const weight = (v: number) => (v === 0 || (w % 2 === 0 && v === w / 2) ? 1 : 2) / (h * w);
  const t = {
    h,
    w,
    cosH: table(h, h, (u, y) => Math.cos((2 * Math.PI * ((u * y) % h)) / h)),
    sinH: table(h, h, (u, y) => Math.sin((2 * Math.PI * ((u * y) % h)) / h)),
    invCosW: table(wf, w, (v, x) => weight(v) * Math.cos((2 * Math.PI * ((v * x) % w)) / w)),
    invSinW: table(wf, w, (v, x) => weight(v) * Math.sin((2 * Math.PI * ((v * x) % w)) / w)),
    fwdCosW: table(w, wf, (x, v) => Math.cos((2 * Math.PI * ((v * x) % w)) / w)),
    fwdSinW: table(w, wf, (x, v) => Math.sin((2 * Math.PI * ((v * x) % w)) / w)),
  };
  return { ...t, dispose: () => tf.dispose([t.cosH, t.sinH, t.invCosW, t.invSinW, t.fwdCosW, t.fwdSinW]) };
}

/** Left-multiply every `[H, K]` slice of `x` `[N, H, K]` by `m` `[H, H]`. */
function leftMul(m: tf.Tensor2D, x: tf.Tensor3D): tf.Tensor3D {
  const [n, h, k] = x.shape;
  const flat = x.transpose([1, 0, 2]).reshape([h, n * k]);
  return tf.matMul(m, flat).reshape([h, n, k]).transpose([1, 0, 2]) as tf.Tensor3D;
}

/** Right-multiply every `[H, K]` slice of `x` `[N, H, K]` by `m` `[K, L]`. */
function rightMul(x: tf.Tensor3D, m: tf.Tensor2D): tf.Tensor3D {
  const [n, h, k] = x.shape;
  return tf.matMul(x.reshape([n * h, k]), m).reshape([n, h, m.shape[1]]) as tf.Tensor3D;
}

/**
 * The inverse real 2-D transform of half spectra `re`, `im` `[N, H, ⌊W/2⌋+1]` → `[N, H, W]`
 * (numpy's `irfft2` with `s = (H, W)`).
 */
export function irfft2d(re: tf.Tensor3D, im: tf.Tensor3D, t: DftTables): tf.Tensor3D {
  return tf.tidy(() => {
    const a = tf.sub(leftMul(t.cosH, re), leftMul(t.sinH, im)) as tf.Tensor3D;
    const b = tf.add(leftMul(t.sinH, re), leftMul(t.cosH, im)) as tf.Tensor3D;
    return tf.sub(rightMul(a, t.invCosW), rightMul(b, t.invSinW)) as tf.Tensor3D;
  });
}

/** The real 2-D transform of `x` `[N, H, W]` → half spectra `{ re, im }` `[N, H, ⌊W/2⌋+1]` (numpy's `rfft2`). */
export function rfft2d(x: tf.Tensor3D, t: DftTables): { re: tf.Tensor3D; im: tf.Tensor3D } {
  return tf.tidy(() => {
    const p = rightMul(x, t.fwdCosW);
    const q = rightMul(x, t.fwdSinW);
    const re = tf.sub(leftMul(t.cosH, p), leftMul(t.sinH, q)) as tf.Tensor3D;
    const im = tf.neg(tf.add(leftMul(t.sinH, p), leftMul(t.cosH, q))) as tf.Tensor3D;
    return { re, im };
  });
}

/**
 * Lucid's spectrum scale: √(HW) / max(|f|, 1/max(H, W))^decay for every kept frequency `[H, Wf]`,
 * |f| the radial frequency in cycles per pixel.
 */
export function spectrumScale(h: number, w: number, decayPower: number): tf.Tensor2D {
  const wf = halfWidth(w);
  const fy = (u: number) => (u < Math.ceil(h / 2) ? u : u - h) / h;
  const out = new Float32Array(h * wf);
  const floor = 1 / Math.max(h, w);
  for (let u = 0; u < h; u++) for (let v = 0; v < wf; v++) out[u * wf + v] = Math.sqrt(h * w) / Math.max(Math.hypot(fy(u), v / w), floor) ** decayPower;
  return tf.tensor2d(out, [h, wf]);
}

/** Options of {@link fourierParam}. */
export interface FourierParamOptions extends ParamOptions {
  /** Optimize in decorrelated colour (default true for 3 channels; ignored otherwise). */
  decorrelate?: boolean;
  /** Exponent of the 1/frequency scale (default 1; 0 makes every frequency equal). */
  decayPower?: number;
}

/** Lucid divides the transformed image by this constant. */
const OUTPUT_DIVISOR = 4;

/**
 * The Fourier parameterization of centred images `[B, H, W, C]`: spectra `[B, C, H, ⌊W/2⌋+1]`
 * (real and imaginary parts), scaled by {@link spectrumScale}, transformed back with
 * {@link irfft2d}, and (for 3 channels) mapped from decorrelated colour to RGB.
 * @example const p = lens.fourierParam([4, 64, 64, 3], { decayPower: 1, seed: 1 });
 */
export function fourierParam(shape: [number, number, number, number], opts: FourierParamOptions = {}): ImageParam {
  const [b, h, w, c] = checkImageShape(shape);
  const mean = channelMean(opts.mean, c);
  const decayPower = checkNumber('decayPower', opts.decayPower ?? 1, 0, 4);
  const decorrelate = (opts.decorrelate ?? true) && c === 3;
  const sd = checkNumber('sd', opts.sd ?? 0.01, 0);
  const tables = dftTables(h, w);
  const scale = spectrumScale(h, w, decayPower);
  const wf = halfWidth(w);

  const renderFrom = (re: tf.Tensor, im: tf.Tensor): tf.Tensor4D =>
    tf.tidy(() => {
      const sr = tf.mul(re, scale).reshape([b * c, h, wf]) as tf.Tensor3D;
      const si = tf.mul(im, scale).reshape([b * c, h, wf]) as tf.Tensor3D;
      const x = tf.div(irfft2d(sr, si, tables), OUTPUT_DIVISOR).reshape([b, c, h, w]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
      return decorrelate ? toCorrelatedColors(x) : x;
    });

  const spectraOf = (x: tf.Tensor4D): { re: tf.Tensor; im: tf.Tensor } =>
    tf.tidy(() => {
      const plain = decorrelate ? toDecorrelatedColors(x) : x;
      const planes = tf.mul(plain.transpose([0, 3, 1, 2]), OUTPUT_DIVISOR).reshape([b * c, h, w]) as tf.Tensor3D;
      const { re, im } = rfft2d(planes, tables);
      return { re: tf.div(re.reshape([b, c, h, wf]), scale), im: tf.div(im.reshape([b, c, h, wf]), scale) };
    });

  const init = opts.init ?? 'noise';
  let start: { re: tf.Tensor; im: tf.Tensor };
  try {
    start =
      init === 'noise'
        ? { re: tf.randomNormal([b, c, h, wf], 0, sd, 'float32', opts.seed), im: tf.randomNormal([b, c, h, wf], 0, sd, 'float32', opts.seed === undefined ? undefined : opts.seed + 1) }
        : tf.tidy(() => spectraOf(initialImages([b, h, w, c], mean, init, sd, opts.seed)));
  } catch (e) {
    tf.dispose(scale);
    tables.dispose();
    throw e;
  }
  const re = tf.variable(start.re, true);
  const im = tf.variable(start.im, true);
  tf.dispose([start.re, start.im]);
  return {
    description: `fourier (${decorrelate ? 'decorrelated colour, ' : ''}decay ${decayPower})`,
    shape: [b, h, w, c],
    mean,
    variables: [re, im],
    render: () => renderFrom(re, im),
    pullback: (g) => {
      const grads = tf.grads((r: tf.Tensor, i: tf.Tensor) => tf.sum(tf.mul(renderFrom(r, i), g)));
      return grads([re, im]);
    },
    set: (x) => {
      const s = spectraOf(x);
      re.assign(s.re);
      im.assign(s.im);
      tf.dispose([s.re, s.im]);
    },
    dispose: () => {
      tf.dispose([re, im, scale]);
      tables.dispose();
    },
  };
}
