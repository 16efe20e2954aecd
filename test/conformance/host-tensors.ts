/**
 * Deterministic test inputs as plain arrays (the same bytes on every backend), friendly and
 * adversarial: random normals, ties, all-negative, all-zero, dead-ReLU (mostly exact zeros, whole
 * pooling windows of them) and large-but-finite values.
 */
import { tf } from '../../kernel-lib/tf';
import { mulberry32 } from '../../kernel-lib/data/random';

/** A tensor's values off any backend. */
export interface HostTensor {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** The kinds of float input every case family runs over. */
export const INPUT_KINDS = ['random', 'ties', 'negative', 'zeros', 'deadRelu', 'large'] as const;
/** One of {@link INPUT_KINDS}. */
export type InputKind = (typeof INPUT_KINDS)[number];

/** Magnitude of 'large' inputs: products of two still fit float32 (max 3.4e38) with room for sums. */
export const LARGE = 1e15;

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Seeded standard normals (Box-Muller on mulberry32). */
export function normals(n: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
}

/** A float32 input of `kind`. */
export function floats(kind: InputKind, shape: number[], seed: number, scale = 1): HostTensor {
  const z = normals(sizeOf(shape), seed);
  const f: Record<InputKind, (v: number) => number> = {
    random: (v) => v,
    // Multiples of 0.5 in [-1.5, 1.5]: most windows hold tied maxima, many values are exactly 0.
    ties: (v) => Math.max(-3, Math.min(3, Math.round(v * 1.5))) / 2,
    negative: (v) => -(Math.abs(v) + 0.01),
    zeros: () => 0,
    // ReLU(v - 1): about 84 % exact zeros, so most pooling windows are all zero.
    deadRelu: (v) => Math.max(0, v - 1),
    large: (v) => v * LARGE,
  };
  return { values: Float32Array.from(z, (v) => f[kind](v) * scale), shape, dtype: 'float32' };
}

/** Integers in [lo, hi) (int32). */
export function ints(shape: number[], lo: number, hi: number, seed: number): HostTensor {
  const rnd = mulberry32(seed);
  return { values: Int32Array.from({ length: sizeOf(shape) }, () => lo + Math.floor(rnd() * (hi - lo))), shape, dtype: 'int32' };
}

/** Booleans, true with probability `p`. */
export function bools(shape: number[], seed: number, p = 0.5): HostTensor {
  const rnd = mulberry32(seed);
  return { values: Uint8Array.from({ length: sizeOf(shape) }, () => (rnd() < p ? 1 : 0)), shape, dtype: 'bool' };
}

/** The host tensor as a tf.Tensor on the active backend. */
export function toTensor(h: HostTensor): tf.Tensor {
  return tf.tensor(h.values, h.shape, h.dtype);
}

/** A tensor's values, read asynchronously (webgpu cannot read synchronously in Node). */
export async function toHost(t: tf.Tensor): Promise<HostTensor> {
  const values = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  return { values, shape: t.shape, dtype: t.dtype as HostTensor['dtype'] };
}
