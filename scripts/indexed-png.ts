/**
 * A PNG with a palette (colour type 3, at most 256 colours) from a truecolour PNG: the gallery's
 * screenshots shrink to a fraction of their size. Colours are quantized with gifenc's quantizer
 * (already a dependency, for the RegularizationLab's GIF export); pngjs writes only truecolour.
 */
import * as zlib from 'zlib';
import { applyPalette, quantize } from 'gifenc';
import { PNG } from 'pngjs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Re-encode `png` (any PNG) with a palette of at most `colors` colours (opaque images). */
export function toIndexedPng(png: Buffer, colors = 256): Buffer {
  const { width, height, data } = PNG.sync.read(png);
  const palette = quantize(data, colors);
  const index = applyPalette(data, palette);
  // Each row: filter byte 0 (none) then one palette index per pixel.
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(index.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (palette), deflate, filter 0, no interlace
  const plte = Buffer.from(palette.flatMap(([r, g, b]) => [r, g, b]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
