/**
 * PNG and JPEG bytes to and from image tensors (pngjs and jpeg-js: pure JavaScript codecs). Image
 * tensors are `[height, width, channels]` float32 in [0, 1]; the pixels go through
 * {@link rgbaBytes} / {@link rgbaToTensor}, the one RGBA conversion.
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { tf } from '../tf';
import { rgbaToTensor, tensorToRgba } from './rgba';

/** Image file formats convlens reads and writes. */
export type ImageFormat = 'png' | 'jpeg';

/** The format of encoded image bytes, from their magic number (null when neither PNG nor JPEG). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
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

/**
 * Encodes a `[h, w]` or `[h, w, c]` (c = 1, 3 or 4) image tensor in [0, 1] as PNG bytes; show
 * them with `new lens.Image({ value, format: 'png' })` or `tslab.display.png(bytes)`.
 */
export async function encodePng(image: tf.Tensor): Promise<Buffer> {
  const { width, height, data } = await tensorToRgba(image);
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png);
}

/** Encodes a `[h, w]` or `[h, w, c]` image tensor in [0, 1] as JPEG bytes (quality 1..100, default 90). */
export async function encodeJpeg(image: tf.Tensor, quality = 90): Promise<Buffer> {
  if (!(quality >= 1 && quality <= 100)) throw new Error(`encodeJpeg: quality ${quality} must be in 1..100.`);
  const { width, height, data } = await tensorToRgba(image);
  return jpeg.encode({ width, height, data }, quality).data;
}
