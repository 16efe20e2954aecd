/**
 * Image tensors to and from RGBA bytes (canvases, widget buffers, PNG encoders). The one place
 * where values in [0, 1] become bytes: clipped, scaled by 255 and rounded, gray repeated into R, G
 * and B, alpha 255 unless the image has its own.
 */
import { tf } from '../tf';
import { describeValue, isTensor } from '../core/checks';

/**
 * Check that `image` is one image `[h, w]` / `[h, w, c]` (or, with `stack`, also `[n, h, w, c]`)
 * with c = 1, 3 or 4. `where` prefixes the error.
 * @throws naming the bad shape and the allowed ones.
 */
export function checkImageTensor(image: unknown, where: string, stack = false): tf.Tensor {
  const allowed = `[h, w] or [h, w, c]${stack ? ' or a stack [n, h, w, c]' : ''} with c = 1, 3 or 4`;
  if (!isTensor(image)) throw new Error(`${where}: expected an image tensor ${allowed}; got ${describeValue(image)}.`);
  const c = image.shape[image.rank - 1];
  if (image.rank === 2 || ((image.rank === 3 || (stack && image.rank === 4)) && (c === 1 || c === 3 || c === 4))) return image;
  throw new Error(`${where}: image shape [${image.shape.join(',')}] must be ${allowed}.`);
}

/**
 * The RGBA bytes of an image `[h, w]` / `[h, w, c]` or a stack `[n, h, w, c]` (c = 1, 3 or 4) with
 * values in [0, 1] (clipped), as an int32 tensor `[..., 4]` (a new tensor; read it with `data()` or
 * {@link rgbaBytes}).
 */
export function rgbaTensor(images: tf.Tensor): tf.Tensor {
  const t = checkImageTensor(images, 'rgbaTensor', true);
  return tf.tidy(() => {
    const x = t.rank === 2 ? tf.expandDims(t, 2) : t;
    const bytes = tf.round(tf.mul(tf.clipByValue(tf.cast(x, 'float32'), 0, 1), 255));
    const last = x.rank - 1;
    const c = x.shape[last];
    const begin = new Array<number>(x.rank).fill(0);
    const size = x.shape.map((d, i) => (i === last ? 3 : d));
    const rgb = c === 1 ? tf.tile(bytes, [...new Array<number>(last).fill(1), 3]) : tf.slice(bytes, begin, size);
    const alpha = c === 4 ? tf.slice(bytes, x.shape.map((_, i) => (i === last ? 3 : 0)), x.shape.map((d, i) => (i === last ? 1 : d))) : tf.fill([...x.shape.slice(0, last), 1], 255);
    return tf.cast(tf.concat([rgb, alpha], last), 'int32');
  });
}

/**
 * RGBA bytes (4 per pixel, row-major) of an image `[h, w]` / `[h, w, c]` or a stack
 * `[n, h, w, c]` (c = 1, 3 or 4) with values in [0, 1] (clipped).
 */
export async function rgbaBytes(images: tf.Tensor): Promise<Uint8Array> {
  checkImageTensor(images, 'rgbaBytes', true);
  const rgba = rgbaTensor(images);
  try {
    return Uint8Array.from(await rgba.data());
  } finally {
    rgba.dispose();
  }
}

/**
 * A `[h, w]` or `[h, w, c]` (c = 1, 3 or 4) image tensor with values in [0, 1] (clipped) to RGBA
 * bytes, e.g. for a canvas or an encoder.
 */
export async function tensorToRgba(image: tf.Tensor): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const t = checkImageTensor(image, 'tensorToRgba');
  const [height, width] = t.shape as [number, number];
  const bytes = await rgbaBytes(t);
  return { width, height, data: new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** RGBA bytes (`width * height * 4`) to a `[h, w, channels]` float32 tensor in [0, 1] (1: luminance, 3: RGB, 4: RGBA). */
export function rgbaToTensor(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 3 | 4 = 3): tf.Tensor3D {
  if (rgba.length !== width * height * 4) {
    throw new Error(`rgbaToTensor: ${rgba.length} bytes do not hold ${width}x${height} RGBA pixels (${width * height * 4} bytes).`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`rgbaToTensor: channels ${String(channels)} must be 1, 3 or 4.`);
  return tf.tidy(() => {
    const t = tf.div(tf.tensor3d(Float32Array.from(rgba), [height, width, 4]), 255);
    if (channels === 4) return t as tf.Tensor3D;
    const rgb = tf.slice(t, [0, 0, 0], [height, width, 3]);
    return (channels === 3 ? rgb : tf.sum(tf.mul(rgb, tf.tensor1d([0.299, 0.587, 0.114])), 2, true)) as tf.Tensor3D;
  });
}
