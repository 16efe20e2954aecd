/** Image utilities: codecs, resize, display range, normalisation, tiling. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { sniffImageFormat } from '../../kernel-lib/render/image-codec';
import { rgbaToTensor } from '../../kernel-lib/render/rgba';
import { expectError, expectNoLeak, expectRejection, setupBackend } from './helpers';

beforeAll(setupBackend);

/** A [h, w, 3] image with distinct values everywhere (a smooth gradient, exact in 8 bits). */
function gradientImage(h: number, w: number): tf.Tensor3D {
  return tf.tidy(() => {
    const y = tf.range(0, h).reshape([h, 1, 1]).mul(255 / (h - 1)).round();
    const x = tf.range(0, w).reshape([1, w, 1]).mul(255 / (w - 1)).round();
    return tf.concat([y.add(x.mul(0)), x.add(y.mul(0)), y.add(x).div(2).floor()], 2).div<tf.Tensor3D>(255);
  });
}

test('PNG encode/decode round trip is exact (RGB, grey, RGBA)', async () => {
  const img = gradientImage(20, 30);
  for (const channels of [3, 1, 4] as const) {
    const src = channels === 3 ? img : channels === 1 ? img.slice([0, 0, 0], [20, 30, 1]) : tf.concat([img, tf.fill([20, 30, 1], 128 / 255)], 2);
    await expectNoLeak(() => lens.encodePng(src));
    await expectNoLeak(async () => lens.decodeImage(await lens.encodePng(src)));
    const bytes = await lens.encodePng(src);
    expect(sniffImageFormat(bytes)).toBe('png');
    const back = lens.decodeImage(bytes, channels === 1 ? 3 : channels);
    const want = channels === 1 ? tf.tile(src, [1, 1, 3]) : src;
    expect(back.shape).toEqual([20, 30, channels === 1 ? 3 : channels]);
    expect((await tf.max(tf.abs(back.sub(want))).data())[0]).toBeLessThan(1e-6);
    tf.dispose(channels === 1 ? [back, want] : [back]);
    if (src !== img) src.dispose();
  }
  img.dispose();
});

test('JPEG encode/decode round trip is close; luminance decode has 1 channel', async () => {
  const img = gradientImage(32, 32);
  const bytes = await lens.encodeJpeg(img, 95);
  expect(sniffImageFormat(bytes)).toBe('jpeg');
  const back = lens.decodeImage(bytes);
  expect((await tf.mean(tf.abs(back.sub(img))).data())[0]).toBeLessThan(0.02);
  const grey = lens.decodeImage(bytes, 1);
  expect(grey.shape).toEqual([32, 32, 1]);
  tf.dispose([img, back, grey]);
});

test('readImage/writeImage by extension; bad input errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-img-'));
  const img = gradientImage(8, 8);
  await lens.writeImage(path.join(dir, 'a.png'), img);
  await lens.writeImage(path.join(dir, 'a.jpg'), img);
  const a = lens.readImage(path.join(dir, 'a.png'));
  expect((await tf.max(tf.abs(a.sub(img))).data())[0]).toBeLessThan(1e-6);
  tf.dispose([a, img]);
  const [rgb, twoChannels] = [tf.zeros([2, 2, 3]), tf.zeros([2, 2, 2])];
  await expectRejection(() => lens.writeImage(path.join(dir, 'a.gif'), rgb), /extension ".gif".*\.png, \.jpg, \.jpeg/);
  expectError(() => lens.readImage(path.join(dir, 'missing.png')), /no file at/);
  expectError(() => lens.decodeImage(Buffer.from('GIF89a')), /neither PNG nor JPEG \(starts with 47 49 46 38\)/);
  await expectRejection(() => lens.encodePng(twoChannels), /\[2,2,2\] must be \[h, w\] or \[h, w, c\] with c = 1, 3 or 4/);
  await expectRejection(() => lens.encodeJpeg(rgb, 0), /quality 0 must be in 1..100/);
  tf.dispose([rgb, twoChannels]);
  expectError(() => rgbaToTensor(new Uint8Array(10), 2, 2), /10 bytes do not hold 2x2 RGBA/);
});

test('resizeImages: nearest upscaling repeats pixels, bilinear keeps constants, 3D and 4D', async () => {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  await expectNoLeak(() => lens.resizeImages(x, [4, 4], { method: 'nearest' }));
  const up = lens.resizeImages(x, [4, 4], { method: 'nearest' });
  expect(Array.from((await up.data()))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  up.dispose();
  const c = tf.fill<tf.Rank.R3>([5, 7, 3], 0.25);
  const r = lens.resizeImages(c, [11, 3]);
  expect(r.shape).toEqual([11, 3, 3]);
  expect((await tf.max(tf.abs(r.sub(0.25))).data())[0]).toBeLessThan(1e-6);
  tf.dispose([x, c, r]);
  expectError(() => lens.resizeImages(tf.zeros([2, 2]) as unknown as tf.Tensor3D, [4, 4]), /\[h, w, c\] or \[n, h, w, c\].*shape \[2,2\]/);
  expectError(() => lens.resizeImages(tf.zeros<tf.Rank.R3>([2, 2, 1]), [0, 4]), /size \[0,4\] must be \[height, width\]/);
  expectError(() => lens.resizeImages(tf.zeros<tf.Rank.R3>([2, 2, 1]), [4, 4], { method: 'cubic' as 'nearest' }), /method "cubic"/);
});

test('toDisplayRange per tensor and per item; constants map to 0.5', async () => {
  const x = tf.tensor3d([[[0], [10]], [[-1], [1]]]);
  const all = lens.toDisplayRange(x, 'all');
  expect(Array.from((await all.data())).map((v) => +v.toFixed(4))).toEqual([1 / 11, 1, 0, 2 / 11].map((v) => +v.toFixed(4)));
  const each = lens.toDisplayRange(x, 'each');
  expect(Array.from((await each.data()))).toEqual([0, 1, 0, 1]);
  const flat = lens.toDisplayRange(tf.fill([3], 7));
  expect(Array.from((await flat.data()))).toEqual([0.5, 0.5, 0.5]);
  // Around zero per item: item 0 peaks at |10|, item 1 at |1|; 0 is mid-grey.
  const signed = lens.toDisplayRange(x, 'signed');
  expect(Array.from(await signed.data())).toEqual([0.5, 1, 0, 1]);
  const zeros = lens.toDisplayRange(tf.zeros([2, 3]), 'signed');
  expect(Array.from(await zeros.data())).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  expect(() => lens.toDisplayRange(x, 'sign' as 'signed')).toThrow(/'all', 'each', 'none', 'signed'/);
  tf.dispose([x, all, each, flat, signed, zeros]);
});

test('channelStats matches brute force; normalize and denormalize are inverses', async () => {
  const x = tf.randomUniform([4, 5, 6, 3], 0, 1, 'float32', 3);
  const stats = await lens.channelStats(x);
  const data = (await x.data());
  for (let c = 0; c < 3; c++) {
    const vals = Array.from(data).filter((_, i) => i % 3 === c);
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    expect(stats.mean[c]).toBeCloseTo(mean, 5);
    expect(stats.std[c]).toBeCloseTo(std, 5);
  }
  await expectNoLeak(() => lens.normalize(x, stats));
  await expectNoLeak(() => lens.denormalize(x, stats));
  await expectNoLeak(() => lens.channelStats(x));
  const t = lens.normalize(x, stats);
  const s = await lens.channelStats(t);
  s.mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
  s.std.forEach((v) => expect(v).toBeCloseTo(1, 4));
  const back = lens.denormalize(t, stats);
  expect((await tf.max(tf.abs(back.sub(x))).data())[0]).toBeLessThan(1e-5);
  tf.dispose([t, back]);
  x.dispose();
  expectError(() => lens.normalize(tf.zeros([1, 2, 2, 3]), { mean: [0, 0], std: [1, 1] }), /3 means and 3 stds/);
  expectError(() => lens.normalize(tf.zeros([1, 2, 2, 1]), { mean: [0], std: [0] }), /every std must be > 0/);
  expect(lens.IMAGENET_STATS.mean).toHaveLength(3);
});

test('tileImages lays tiles out row-major with padding and blank cells', async () => {
  // 5 tiles of 2x3 (value = tile index), 3 columns, padding 1 of value -1.
  const tiles = tf.tidy(() => tf.range(0, 5).reshape([5, 1, 1, 1]).tile([1, 2, 3, 1]));
  await expectNoLeak(() => lens.tileImages(tiles, { columns: 3, padding: 1, padValue: -1 }));
  {
    const g = lens.tileImages(tiles, { columns: 3, padding: 1, padValue: -1 });
    expect(g.shape).toEqual([2 * 3 - 1, 3 * 4 - 1, 1]);
    const v = (await g.squeeze().array()) as number[][];
    for (let t = 0; t < 6; t++) {
      const r = Math.floor(t / 3);
      const c = t % 3;
      for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) expect(v[r * 3 + y][c * 4 + x]).toBe(t < 5 ? t : -1);
    }
    expect(v[2][0]).toBe(-1); // padding row
    expect(v[0][3]).toBe(-1); // padding column
    g.dispose();
  }
  const scaled = lens.tileImages(tiles, { scale: 'each', padding: 0, columns: 5 });
  expect(scaled.shape).toEqual([2, 15, 1]);
  expect(Array.from((await scaled.data())).every((x) => x === 0.5)).toBe(true);
  tf.dispose([tiles, scaled]);
  expectError(() => lens.tileImages(tf.zeros([2, 2])), /\[n, h, w, c\] or \[n, h, w\]/);
  expectError(() => lens.tileImages(tf.zeros([2, 2, 2, 1]), { columns: 0 }), /columns 0 must be a positive integer/);
});
