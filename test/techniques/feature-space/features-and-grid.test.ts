/**
 * Dataset features (flattened, average- and max-pooled rows equal to the activations reduced
 * directly; tensor and iterable sources; progress and Stop), pixel features, k-NN accuracy on a
 * hand-made case, and the embedding grid (images on an exact grid land in their own cells, each
 * image used once, the picture equals the tiles in that order).
 */
import { tf } from '../../../kernel-lib/tf';
import * as fs from '../../../kernel-lib/techniques/feature-space';
import { tap } from '../../../kernel-lib/models/activations';
import { tileImages } from '../../../kernel-lib/render/tile-images';
import { randomImages, setupBackend, smallCnn } from '../models';

beforeAll(setupBackend);

const maxDiff = async (a: tf.Tensor, b: tf.Tensor) => {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  try {
    return (await d.data())[0];
  } finally {
    d.dispose();
  }
};

describe('datasetFeatures', () => {
  it.each(['flatten', 'avg', 'max'] as const)('%s rows equal the layer activations reduced directly, from a tensor and from an iterable, with progress', async (pool) => {
    const model = smallCnn(8, 2, 3);
    const images = randomImages([7, 8, 8, 2]);
    const before = tf.memory().numTensors;
    const done: number[] = [];
    const rows = await fs.datasetFeatures(model, 'c2', images, { pool, batchSize: 3, onProgress: (p) => done.push(p.done) });
    const whole = tap(model, ['c2'], images).c2;
    const want = tf.tidy(() => (pool === 'flatten' ? whole.reshape([7, -1]) : pool === 'avg' ? whole.mean([1, 2]) : whole.max([1, 2])));
    expect(rows.shape).toEqual(want.shape);
    expect(await maxDiff(rows, want)).toBeLessThan(1e-5);
    expect(done).toEqual([3, 6, 7]);
    const parts = [tf.slice(images, 0, 4), tf.slice(images, 4, 3)];
    const fromIterable = await fs.datasetFeatures(model, 'c2', parts, { pool });
    expect(await maxDiff(fromIterable, want)).toBeLessThan(1e-5);
    tf.dispose([rows, whole, want, fromIterable, ...parts]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images]);
    model.dispose();
  });

  it('stops on the signal, and names bad pooling and unknown layers, leaving no tensors', async () => {
    const model = smallCnn(8, 2, 3);
    const images = randomImages([6, 8, 8, 2]);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    await expect(fs.datasetFeatures(model, 'c1', images, { batchSize: 2, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toThrow(/abort/i);
    await expect(fs.datasetFeatures(model, 'c1', images, { pool: 'sum' as never })).rejects.toThrow(/pool must be one of 'flatten', 'avg', 'max'; got "sum"/);
    await expect(fs.datasetFeatures(model, 'nope', images)).rejects.toThrow(/nope/);
    expect(tf.memory().numTensors).toBe(before);
    const px = fs.pixelFeatures(images);
    expect(px.shape).toEqual([6, 128]);
    tf.dispose([px, images]);
    model.dispose();
  });
});

describe('knnAccuracy', () => {
  it('counts leave-one-out majority votes', async () => {
    const x = tf.tensor2d([[0], [0.1], [0.2], [5], [5.1], [5.2], [0.15]]);
    // The last point sits in the first group but is labelled 1: it and nobody else is wrong.
    expect(await fs.knnAccuracy(x, [0, 0, 0, 1, 1, 1, 1], { k: 3 })).toBeCloseTo(6 / 7, 10);
    x.dispose();
  });
});

describe('embeddingGrid', () => {
  it('puts images laid out on an exact grid in their own cells (largest y on top), each image once', async () => {
    const size = 3;
    const n = size * size;
    // Image i is filled with i / 10; its point is cell (row r, column c) with y up.
    const images = tf.tidy<tf.Tensor4D>(() => tf.mul(tf.reshape(tf.range(0, n), [n, 1, 1, 1]), tf.ones([n, 2, 2, 1])).div(10));
    const order = [4, 7, 0, 2, 8, 1, 6, 3, 5]; // image order[t] belongs in cell t
    const coords: number[] = new Array<number>(2 * n);
    order.forEach((img, cell) => {
      coords[2 * img] = cell % size;
      coords[2 * img + 1] = size - 1 - Math.floor(cell / size);
    });
    const before = tf.memory().numTensors;
    const g = await fs.embeddingGrid(images, coords, { size });
    expect(Array.from(g.cells)).toEqual(order);
    const want = tf.tidy(() => tileImages(tf.gather(images, order), { columns: size, padding: 0 }));
    expect(await maxDiff(g.image, want)).toBeLessThan(1e-7);
    // More cells than images: every image placed exactly once, the rest empty (background).
    const big = await fs.embeddingGrid(images, coords, { size: 4, padding: 1, background: 0.5 });
    const placed = Array.from(big.cells).filter((c) => c >= 0).sort((a, b) => a - b);
    expect(placed).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(big.image.shape).toEqual([4 * 3 - 1, 4 * 3 - 1, 1]);
    tf.dispose([want]);
    g.dispose();
    big.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(fs.embeddingGrid(images, [1, 2, 3])).rejects.toThrow(/coords must hold 2 numbers per image \(18\)/);
    await expect(fs.embeddingGrid(images, coords, { size: 0 })).rejects.toThrow(/size must be an integer in \[1, 1000\]; got number 0/);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
