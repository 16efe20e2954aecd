/**
 * Images travel from the kernel as binary widget buffers: either one raw RGBA uint8 buffer holding
 * a stack of equally sized images (with its shape `[n, h, w]`), or one PNG per image. This module
 * turns them into canvases. No per-pixel loops: RGBA bytes are wrapped as ImageData in place.
 */

/** How a stack of images is encoded in widget state. */
export type ImageFormat = 'rgba' | 'png';

/** A wire buffer as it arrives in a model (DataView from the kernel, ArrayBuffer in saved state). */
export type WireBuffer = DataView | ArrayBuffer | Uint8Array;

/**
 * Serializer for a binary state field (`static serializers = { images: BINARY_SERIALIZER }`).
 * Without it @jupyter-widgets/base JSON-stringifies the DataView to `{}` whenever the state is
 * serialized (saving widget state into a notebook, `get_state`); with it the bytes stay binary
 * and travel as a buffer.
 */
export const BINARY_SERIALIZER = {
  serialize: (value: WireBuffer | WireBuffer[] | null) => value,
};

/** Bytes of a wire buffer, without copying. */
export function bytesOf(buffer: WireBuffer): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** True for a buffer without bytes (a widget's default before the kernel sends any). */
export function isEmptyBuffer(buffer: WireBuffer | WireBuffer[]): boolean {
  return Array.isArray(buffer) ? buffer.length === 0 : buffer.byteLength === 0;
}

/** Float32 values of a wire buffer (copied when the buffer is not 4-byte aligned). */
export function float32Of(buffer: WireBuffer): Float32Array {
  const bytes = bytesOf(buffer);
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

/** A canvas of `width` x `height` pixels. */
export function makeCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** Split one RGBA buffer of shape `[n, h, w]` (4 bytes a pixel) into n ImageData. */
export function rgbaStack(buffer: WireBuffer, shape: number[]): ImageData[] {
  const [n, h, w] = shape;
  const bytes = bytesOf(buffer);
  if (n === 0 && bytes.byteLength === 0) return [];
  const size = h * w * 4;
  if (!(n >= 0 && h > 0 && w > 0) || bytes.byteLength !== n * size) {
    throw new Error(
      `convlens: RGBA buffer of ${bytes.byteLength} bytes does not match shape [${shape.join(', ')}] ` +
        `(expected n*h*w*4 = ${n * size} bytes)`,
    );
  }
  const out: ImageData[] = [];
  for (let i = 0; i < n; i++) {
    const pixels = new Uint8ClampedArray(bytes.buffer as ArrayBuffer, bytes.byteOffset + i * size, size);
    out.push(new ImageData(pixels, w, h));
  }
  return out;
}

/** Draw ImageData onto a new canvas of its own size. */
export function imageDataCanvas(image: ImageData): HTMLCanvasElement {
  const canvas = makeCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

/** Decode one PNG buffer into a canvas. */
export async function pngCanvas(buffer: WireBuffer): Promise<HTMLCanvasElement> {
  const bytes = bytesOf(buffer);
  const blob = new Blob([bytes.slice()], { type: 'image/png' });
  const bitmap = await createImageBitmap(blob);
  const canvas = makeCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  bitmap.close();
  return canvas;
}

/**
 * Decode a stack of images into canvases: `rgba` takes one buffer and its shape `[n, h, w]`,
 * `png` takes one buffer per image.
 */
export async function decodeImages(
  format: ImageFormat,
  buffers: WireBuffer | WireBuffer[],
  shape: number[],
): Promise<HTMLCanvasElement[]> {
  if (format === 'png') {
    const list = Array.isArray(buffers) ? buffers : [buffers];
    return Promise.all(list.map(pngCanvas));
  }
  if (format === 'rgba') {
    const buffer = Array.isArray(buffers) ? buffers[0] : buffers;
    return rgbaStack(buffer, shape).map(imageDataCanvas);
  }
  throw new Error(`convlens: unknown image format ${JSON.stringify(format)}; use 'rgba' or 'png'`);
}
