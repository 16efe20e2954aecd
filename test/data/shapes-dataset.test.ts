/**
 * shapesDataset: deterministic per seed, prefix-stable across chunk boundaries, and its
 * segmentations agree with its pixels (colour masks carry their palette colour, texture masks
 * carry their pattern, object masks cover exactly the object's colours, scenes cover the image).
 */
import { tf } from '../../kernel-lib/tf';
import {
  COLOUR_NAMES, COLOUR_PALETTE, SCENE_NAMES, SHAPE_NAMES, TEXTURE_NAMES, shapesDataset, ShapesDataset,
} from '../../kernel-lib/data';
import { expectError, expectNoLeak, expectRejection, setupBackend } from './helpers';
import { readScalar } from '../support/read';

let ds: ShapesDataset;
const N = 300; // crosses the 256-image chunk boundary

beforeAll(async () => {
  await setupBackend();
  ds = await shapesDataset({ n: N, seed: 7 });
});
afterAll(() => ds.dispose());

test('shapes, ranges, labels and vocabulary', async () => {
  expect(ds.images.shape).toEqual([N, 64, 64, 3]);
  expect(ds.labels.shape).toEqual([N]);
  expect(ds.classNames).toEqual(SHAPE_NAMES);
  const [lo, hi] = [(await ds.images.min().data())[0], (await ds.images.max().data())[0]];
  expect(lo).toBeGreaterThanOrEqual(0);
  expect(hi).toBeLessThanOrEqual(1);
  const labels = Array.from((await ds.labels.data()));
  expect(labels).toEqual(ds.info.map((i) => SHAPE_NAMES.indexOf(i.shape as (typeof SHAPE_NAMES)[number])));
  for (let k = 0; k < SHAPE_NAMES.length; k++) expect(labels.filter((l) => l === k).length).toBeGreaterThan(N / SHAPE_NAMES.length / 2);
  expect(ds.concepts.colour).toHaveLength(11);
  expect(new Set(ds.info.map((i) => i.texture))).toEqual(new Set([null, ...TEXTURE_NAMES]));
  expect(new Set(ds.info.map((i) => i.scene))).toEqual(new Set(SCENE_NAMES));
});

test('deterministic per seed; the first k images of n equal a k-image dataset; seeds differ', async () => {
  const again = await shapesDataset({ n: N, seed: 7 });
  expect((await tf.max(tf.abs(again.images.sub(ds.images))).data())[0]).toBe(0);
  expect(Buffer.compare(Buffer.from(again.segmentation.colour), Buffer.from(ds.segmentation.colour))).toBe(0);
  again.dispose();
  const prefix = await shapesDataset({ n: 5, seed: 7 });
  expect(await readScalar(() => tf.max(tf.abs(prefix.images.sub(ds.images.slice(0, 5)))))).toBe(0);
  expect(prefix.info).toEqual(ds.info.slice(0, 5));
  prefix.dispose();
  const other = await shapesDataset({ n: 5, seed: 8 });
  expect(await readScalar(() => tf.mean(tf.abs(other.images.sub(ds.images.slice(0, 5)))))).toBeGreaterThan(0.05);
  other.dispose();
  await expectNoLeak(async () => { (await shapesDataset({ n: 3, seed: 1 })).dispose(); });
});

test('every pixel carries the colour its colour mask names (nearest palette colour)', async () => {
  const agree = await readScalar(() => {
    const palette = tf.tensor2d(COLOUR_NAMES.map((c) => [...COLOUR_PALETTE[c]]));
    const d = ds.images.reshape([-1, 1, 3]).sub(palette.reshape([1, -1, 3])).square().sum(2);
    const nearest = d.argMin(1);
    const labelled = tf.tensor1d(Int32Array.from(ds.segmentation.colour), 'int32').sub(1);
    return nearest.equal(labelled).toFloat().mean();
  });
  expect(agree).toBe(1);
});

test('object masks cover exactly the pixels in the object colours; texture masks carry their pattern', () => {
  const px = 64 * 64;
  const second: Record<string, number[]> = {};
  const mismatches: string[] = [];
  for (let i = 0; i < N; i++) {
    const info = ds.info[i];
    const obj = ds.segmentation.object.subarray(i * px, (i + 1) * px);
    const tex = ds.segmentation.texture.subarray(i * px, (i + 1) * px);
    const col = ds.segmentation.colour.subarray(i * px, (i + 1) * px);
    const objectColours = new Set([info.colour, info.textureColour].filter(Boolean).map((c) => COLOUR_NAMES.indexOf(c as string) + 1));
    const shapeId = SHAPE_NAMES.indexOf(info.shape as (typeof SHAPE_NAMES)[number]) + 1;
    const textureId = info.texture ? TEXTURE_NAMES.indexOf(info.texture as (typeof TEXTURE_NAMES)[number]) + 1 : 0;
    const secondId = info.textureColour ? COLOUR_NAMES.indexOf(info.textureColour) + 1 : -1;
    let area = 0;
    let secondCount = 0;
    for (let p = 0; p < px; p++) {
      const inside = obj[p] !== 0;
      if (inside !== objectColours.has(col[p])) mismatches.push(`image ${i} pixel ${p}: object mask ${obj[p]} but colour ${col[p]}`);
      if (inside ? obj[p] !== shapeId || tex[p] !== textureId : tex[p] !== 0) mismatches.push(`image ${i} pixel ${p}: object ${obj[p]} texture ${tex[p]}`);
      if (inside) {
        area++;
        if (col[p] === secondId) secondCount++;
      }
    }
    expect(area).toBeGreaterThan(0.05 * px);
    if (info.texture) (second[info.texture] ??= []).push(secondCount / area);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
  // Fraction of the object in the texture's second colour, as the pattern's geometry predicts.
  const expected: Record<string, [number, number]> = {
    stripes: [0.35, 0.65], checker: [0.35, 0.65], zigzag: [0.35, 0.65], bands: [0.35, 0.65],
    dots: [0.18, 0.48], grid: [0.3, 0.6],
  };
  for (const t of TEXTURE_NAMES) {
    const fr = second[t];
    const mean = fr.reduce((a, b) => a + b, 0) / fr.length;
    expect(mean).toBeGreaterThan(expected[t][0]);
    expect(mean).toBeLessThan(expected[t][1]);
  }
});

test('stripes are horizontal: each row of a striped object is one colour', () => {
  const i = ds.info.findIndex((x) => x.texture === 'stripes');
  const col = ds.segmentation.colour.subarray(i * 4096, (i + 1) * 4096);
  const obj = ds.segmentation.object.subarray(i * 4096, (i + 1) * 4096);
  for (let y = 0; y < 64; y++) {
    const row = new Set<number>();
    for (let x = 0; x < 64; x++) if (obj[y * 64 + x]) row.add(col[y * 64 + x]);
    expect(row.size).toBeLessThanOrEqual(1);
  }
});

test('concept masks: one-hot per pixel, scenes cover the image, named masks match label maps', async () => {
  await expectNoLeak(() => ds.conceptMasks('colour', 0, 4));
  await expectNoLeak(() => ds.conceptMask('texture', 'dots'));
  const colour = ds.conceptMasks('colour', 10, 4);
  expect(colour.shape).toEqual([4, 64, 64, 11]);
  expect((await tf.min(colour.sum(3)).data())[0]).toBe(1);
  const scene = ds.conceptMasks('scene', 0, 3);
  for (let i = 0; i < 3; i++) {
    const k = SCENE_NAMES.indexOf(ds.info[i].scene as (typeof SCENE_NAMES)[number]);
    expect((await scene.slice([i, 0, 0, k], [1, 64, 64, 1]).mean().data())[0]).toBe(1);
    expect((await scene.slice([i, 0, 0, 0], [1, 64, 64, 6]).sum().data())[0]).toBe(4096);
  }
  const dots = ds.conceptMask('texture', 'dots');
  const expectedArea = Array.from(ds.segmentation.texture).filter((v) => v === TEXTURE_NAMES.indexOf('dots') + 1).length;
  expect((await dots.sum().data())[0]).toBe(expectedArea);
  const present = ds.conceptsIn(0);
  expect(present.object).toEqual([ds.info[0].shape]);
  expect(present.scene).toEqual([ds.info[0].scene]);
  expect(present.colour).toContain(ds.info[0].colour);
  tf.dispose([colour, scene, dots]);
});

test('bad input errors name the value and what is allowed', async () => {
  await expectRejection(() => shapesDataset({ n: 0 }), /n 0 must be a positive integer/);
  await expectRejection(() => shapesDataset({ n: 2, size: 8 }), /size 8 must be an integer in 16..512/);
  await expectRejection(() => shapesDataset({ n: 2, noise: 1 }), /noise 1 must be in 0..0.1/);
  expectError(() => ds.conceptMasks('material' as 'object'), /unknown concept category "material"; categories: object, colour, texture, scene/);
  expectError(() => ds.conceptMask('colour', 'teal'), /unknown colour concept "teal"; known: black, blue/);
  expectError(() => ds.conceptMasks('colour', N - 1, 5), /start 299, count 5 must lie within the 300 images/);
  expectError(() => ds.conceptsIn(N), /image 300 is not in 0..299/);
});
