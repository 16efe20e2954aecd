/**
 * Small conv nets with known weights for the view tests, and an independent (plain JS) tile
 * computation to check the tensor-op tiles against.
 */
import { tf } from '../../kernel-lib/tf';

/** Deterministic pseudo-random values in [-1, 1). */
export function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

/** conv `rgb` (3 -> 5 filters, 3x3), conv `deep` (5 -> 4, 3x3), depthwise `dw`, flatten, dense `logits`. */
export function smallNet(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ name: 'rgb', inputShape: [8, 8, 3], filters: 5, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ name: 'deep', filters: 4, kernelSize: 3 }));
  model.add(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 2, depthMultiplier: 2 }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'logits', units: 3 }));
  model.layers.forEach((layer, i) => {
    layer.setWeights(layer.getWeights().map((w, j) => tf.tensor(values(w.size, 7 + 10 * i + j), w.shape)));
  });
  return model;
}

/** Kernel `[kh, kw, in, out]` of a layer as nested arrays. */
export async function kernelOf(model: tf.LayersModel, name: string): Promise<number[][][][]> {
  return (await model.getLayer(name).getWeights()[0].array()) as number[][][][];
}

/**
 * The expected RGBA bytes of one tile, computed pixel by pixel: `pixel(y, x)` gives the tile's
 * channel values; min-max stretched over the tile, rounded to 0..255.
 */
export function expectedTile(h: number, w: number, pixel: (y: number, x: number) => number[]): number[] {
  const all: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) all.push(...pixel(y, x));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixel(y, x).map((p) => Math.round(((p - lo) / (hi - lo)) * 255));
      out.push(...(v.length === 1 ? [v[0], v[0], v[0]] : v), 255);
    }
  }
  return out;
}

/** Bytes of tile `k` of an RGBA stack `[n, h, w]`. */
export function tileBytes(images: Uint8Array, h: number, w: number, k: number): number[] {
  return Array.from(images.subarray(k * h * w * 4, (k + 1) * h * w * 4));
}
