/**
 * Image files: `.png`, `.jpg` and `.jpeg` read into and written from image tensors (the codecs
 * are in `render/image-codec.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { tf } from '../tf';
import { decodeImage, encodeJpeg, encodePng } from '../render/image-codec';

/** Reads a .png/.jpg/.jpeg file into a `[h, w, channels]` float32 tensor in [0, 1]. */
export function readImage(file: string, channels: 1 | 3 | 4 = 3): tf.Tensor3D {
  if (!fs.existsSync(file)) throw new Error(`readImage: no file at ${path.resolve(file)}.`);
  return decodeImage(fs.readFileSync(file), channels);
}

/** Writes an image tensor in [0, 1] to a .png or .jpg/.jpeg file (format from the extension). */
export async function writeImage(file: string, image: tf.Tensor, quality = 90): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.jpg' && ext !== '.jpeg') {
    throw new Error(`writeImage: extension ${JSON.stringify(ext)} of ${file} is not one of .png, .jpg, .jpeg.`);
  }
  fs.writeFileSync(file, ext === '.png' ? await encodePng(image) : await encodeJpeg(image, quality));
}
