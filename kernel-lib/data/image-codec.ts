/**
 * PNG and JPEG files to and from image tensors (pngjs and jpeg-js: pure JavaScript codecs). Image
 * tensors are `[height, width, channels]` float32 in [0, 1].
 */
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { tf } from '../tf';

/** Image file formats convlens reads and writes. */
export type ImageFormat = 'png' | 'jpeg';

/** The format of encoded image bytes, from their magic number (null when neither PNG nor JPEG). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** RGBA bytes (`width * height * 4`) to a `[h, w, channels]` float32 tensor in [0, 1]. */
export function rgbaToTensor(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 3 | 4 = 3): tf.Tensor3D {
  if (rgba.length !== width * height * 4) {
    throw new Error(`rgbaToTensor: ${rgba.length} bytes do not hold ${width}x${height} RGBA pixels (${width * height * 4} bytes).`);
  }
  checkChannels(channels, 'rgbaToTensor');
  return tf.tidy(() => {
    const t = tf.tensor3d(Float32Array.from(rgba), [height, width, 4]).div(255);
    if (channels === 4) return t as tf.Tensor3D;
    const rgb = t.slice([0, 0, 0], [height, width, 3]);
    return (channels === 3 ? rgb : rgb.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(2, true)) as tf.Tensor3D;
  });
}

/**
 * A `[h, w]` or `[h, w, c]` (c = 1, 3 or 4) image tensor with values in [0, 1] (clipped) to RGBA
 * bytes, e.g. for a canvas or an encoder.
 */
export function tensorToRgba(image: tf.Tensor): { width: number; height: number; data: Uint8ClampedArray } {
  const t = checkImage(image, 'tensorToRgba');
  const [height, width] = t.shape;
  const bytes = tf.tidy(() => {
    const x = (t.rank === 2 ? t.expandDims(2) : t).toFloat().clipByValue(0, 1).mul(255).round();
    const c = x.shape[2] as number;
    const rgb = c === 1 ? tf.tile(x, [1, 1, 3]) : x.slice([0, 0, 0], [height, width, 3]);
    const alpha = c === 4 ? x.slice([0, 0, 3], [height, width, 1]) : tf.fill([height, width, 1], 255);
    return tf.concat([rgb, alpha], 2).toInt();
  });
  const data = new Uint8ClampedArray(bytes.dataSync());
  bytes.dispose();
  return { width, height, data };
}

/**
 * Decodes PNG or JPEG bytes (format sniffed) to a `[h, w, channels]` float32 tensor in [0, 1]
 * (default 3 channels: RGB; 1: luminance; 4: RGBA). The caller disposes it.
 */
export function decodeImage(bytes: Uint8Array, channels: 1 | 3 | 4 = 3): tf.Tensor3D {
  const format = sniffImageFormat(bytes);
  if (format === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return rgbaToTensor(png.data, png.width, png.height, channels);
  }
  if (format === 'jpeg') {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return rgbaToTensor(img.data, img.width, img.height, channels);
  }
  throw new Error(`decodeImage: the bytes are neither PNG nor JPEG (starts with ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}).`);
}

/** Encodes a `[h, w]` or `[h, w, c]` image tensor in [0, 1] as PNG bytes. */
export function encodePng(image: tf.Tensor): Buffer {
  const { width, height, data } = tensorToRgba(image);
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png);
}

/** Encodes a `[h, w]` or `[h, w, c]` image tensor in [0, 1] as JPEG bytes (quality 1..100, default 90). */
export function encodeJpeg(image: tf.Tensor, quality = 90): Buffer {
  if (!(quality >= 1 && quality <= 100)) throw new Error(`encodeJpeg: quality ${quality} must be in 1..100.`);
  const { width, height, data } = tensorToRgba(image);
  return jpeg.encode({ width, height, data }, quality).data;
}

/** Reads a .png/.jpg/.jpeg file into a `[h, w, channels]` float32 tensor in [0, 1]. */
export function readImage(file: string, channels: 1 | 3 | 4 = 3): tf.Tensor3D {
  if (!fs.existsSync(file)) throw new Error(`readImage: no file at ${path.resolve(file)}.`);
  return decodeImage(fs.readFileSync(file), channels);
}

/** Writes an image tensor in [0, 1] to a .png or .jpg/.jpeg file (format from the extension). */
export function writeImage(file: string, image: tf.Tensor, quality = 90): void {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.jpg' && ext !== '.jpeg') {
    throw new Error(`writeImage: extension ${JSON.stringify(ext)} of ${file} is not one of .png, .jpg, .jpeg.`);
  }
  fs.writeFileSync(file, ext === '.png' ? encodePng(image) : encodeJpeg(image, quality));
}

function checkChannels(channels: number, where: string): void {
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`${where}: channels ${channels} must be 1, 3 or 4.`);
}

function checkImage(image: tf.Tensor, where: string): tf.Tensor {
  if (!(image instanceof tf.Tensor)) throw new Error(`${where}: expected an image tensor, got ${typeof image}.`);
  if (image.rank === 2) return image;
  if (image.rank === 3 && [1, 3, 4].includes(image.shape[2] as number)) return image;
  throw new Error(`${where}: image shape [${image.shape}] must be [h, w] or [h, w, c] with c = 1, 3 or 4.`);
}
