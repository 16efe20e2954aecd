/**
 * Exporting a run of frames (RGBA bytes of equal size, as the RegularizationLab streams them): an
 * animated GIF (gifenc: one 256-colour palette per frame) or a PNG strip of frames side by side.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { PNG } from 'pngjs';

/** RGBA frames of `width` x `height` pixels. */
export interface Frames {
  width: number;
  height: number;
  /** One RGBA buffer (width·height·4 bytes) per frame. */
  frames: Uint8Array[];
}

function checkFrames({ width, height, frames }: Frames): void {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) throw new Error(`frames need a positive integer width and height; got ${width} x ${height}`);
  if (frames.length === 0) throw new Error('there are no frames to export (run the optimization first)');
  const bad = frames.findIndex((f) => f.length !== width * height * 4);
  if (bad >= 0) throw new Error(`frame ${bad} has ${frames[bad].length} bytes; expected width·height·4 = ${width * height * 4}`);
}

/** Nearest-neighbour enlargement of one RGBA frame by an integer factor (row copies). */
function enlarge(frame: Uint8Array, width: number, height: number, zoom: number): Uint8Array {
  if (zoom === 1) return frame;
  const out = new Uint8Array(width * zoom * height * zoom * 4);
  const row = new Uint8Array(width * zoom * 4);
  const src = new Uint32Array(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength));
  const dst = new Uint32Array(row.buffer);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * zoom; x++) dst[x] = src[y * width + Math.floor(x / zoom)];
    for (let k = 0; k < zoom; k++) out.set(row, (y * zoom + k) * width * zoom * 4);
  }
  return out;
}

/**
 * An animated GIF of the frames, `delayMs` per frame (the last one held 1 s), enlarged `zoom`
 * times (nearest neighbour), looping forever.
 */
export function framesToGif(frames: Frames, opts: { delayMs?: number; zoom?: number } = {}): Uint8Array {
  checkFrames(frames);
  const zoom = opts.zoom ?? 1;
  if (!Number.isInteger(zoom) || zoom < 1 || zoom > 16) throw new Error(`zoom must be an integer in [1, 16]; got ${zoom}`);
  const delay = opts.delayMs ?? 100;
  const w = frames.width * zoom;
  const h = frames.height * zoom;
  const gif = GIFEncoder();
  frames.frames.forEach((f, i) => {
    const rgba = enlarge(f, frames.width, frames.height, zoom);
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), w, h, { palette, delay: i === frames.frames.length - 1 ? 1000 : delay, repeat: 0 });
  });
  gif.finish();
  return gif.bytes();
}

/** A PNG of the frames side by side (with a 2-pixel gap), enlarged `zoom` times. */
export function framesToPngStrip(frames: Frames, opts: { zoom?: number } = {}): Uint8Array {
  checkFrames(frames);
  const zoom = opts.zoom ?? 1;
  const fw = frames.width * zoom;
  const fh = frames.height * zoom;
  const gap = 2;
  const width = frames.frames.length * (fw + gap) - gap;
  const png = new PNG({ width, height: fh });
  png.data.fill(255);
  frames.frames.forEach((f, i) => {
    const big = enlarge(f, frames.width, frames.height, zoom);
    for (let y = 0; y < fh; y++) png.data.set(big.subarray(y * fw * 4, (y + 1) * fw * 4), (y * width + i * (fw + gap)) * 4);
  });
  return new Uint8Array(PNG.sync.write(png));
}
