/**
 * imageGrid: stacks of images and the feature maps of one image as tiles, normalisation modes,
 * kernel-side updates, bad input, and no leaked tensors.
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { imageGrid, imageTiles } from '../../kernel-lib/widgets';
import { freshTransport, sentData } from '../widgets-kernel/frontend';
import { expectedTile, tileBytes, values } from './model';

const v = values(2 * 4 * 5 * 3, 3);
const at = (n: number, y: number, x: number, c: number) => v[((n * 4 + y) * 5 + x) * 3 + c];
let images: tf.Tensor4D;
let first: tf.Tensor4D;

beforeAll(async () => {
  await initBackend({ log: false });
  images = tf.tensor4d(v, [2, 4, 5, 3]);
  first = images.slice(0, 1);
});

describe('imageGrid', () => {
  it('draws [n, h, w, 3] as RGB tiles, each stretched on its own', async () => {
    const tiles = await imageTiles(images);
    expect(tiles.shape).toEqual([2, 4, 5]);
    for (let n = 0; n < 2; n++) {
      const want = expectedTile(4, 5, (y, x) => [0, 1, 2].map((c) => at(n, y, x, c)));
      expect(Math.max(...tileBytes(tiles.images, 4, 5, n).map((b, i) => Math.abs(b - want[i])))).toBeLessThanOrEqual(1);
    }
  });

  it("draws the feature maps of one image as one tile per channel with layout 'channels'", async () => {
    const tiles = await imageTiles(first, { layout: 'channels' });
    expect(tiles.shape).toEqual([3, 4, 5]);
    const want = expectedTile(4, 5, (y, x) => [at(0, y, x, 2)]);
    expect(Math.max(...tileBytes(tiles.images, 4, 5, 2).map((b, i) => Math.abs(b - want[i])))).toBeLessThanOrEqual(1);
  });

  it("keeps values in [0, 1] as they are with normalize 'none', and shares one range with 'all'", async () => {
    const unit = tf.tensor4d([0, 0.5, 1, 0.25], [2, 1, 2, 1]);
    expect(Array.from((await imageTiles(unit, { normalize: "none" })).images.filter((_, i) => i % 4 === 0))).toEqual([0, 128, 255, 64]);
    const all = await imageTiles(tf.tensor4d([0, 1, 2, 4], [2, 1, 2, 1]), { normalize: 'all' });
    expect(Array.from(all.images.filter((_, i) => i % 4 === 0))).toEqual([0, 64, 128, 255]);
    const flat = await imageTiles(tf.tensor4d([3, 3], [1, 1, 2, 1]));
    expect(Array.from(flat.images.subarray(0, 4))).toEqual([128, 128, 128, 255]);
  });

  it('sends new tiles to the view with setTiles and clears a selection that is gone', async () => {
    const t = freshTransport();
    const grid = await imageGrid(images, { labels: ['cat', 'dog'] });
    grid.selected = 1;
    grid.setTiles(await imageTiles(first));
    const last = sentData(t, grid).pop();
    expect(last.method).toBe('update');
    expect(last.buffer_paths).toEqual([['images']]);
    expect(last.state).toMatchObject({ image_shape: [1, 4, 5], labels: ['#0'], indices: [0], selected: null });
    grid.close();
  });

  it('rejects tensors that are not image stacks, naming the shape', async () => {
    freshTransport();
    await expect(imageGrid(tf.zeros([4, 4]))).rejects.toThrow(/imageGrid needs images \[n, h, w, c\] or \[n, h, w\]; got a float32 tensor of shape \[4,4\]/);
    await expect(imageGrid(images, { layout: 'channels' })).rejects.toThrow(/layout 'channels' needs one image \[1, h, w, k\] or \[h, w, k\]; got a float32 tensor of shape \[2,4,5,3\]/);
    await expect(imageGrid([1, 2] as any)).rejects.toThrow(/needs a tensor \[n, h, w, c\]; got object 1,2/);
    await expect(imageGrid(images, { labels: ['one'] })).rejects.toThrow(/labels must have one entry per image \(2\); got 1/);
    await expect(imageGrid(images, { normalize: 'max' as any })).rejects.toThrow(/normalize must be one of 'all', 'each', 'none', 'signed'; got "max"/);
  });

  it('leaves no tensors behind', async () => {
    freshTransport();
    (await imageGrid(images)).close();
    const before = tf.memory().numTensors;
    (await imageGrid(images, { sort: 'norm', channel: 1 })).close();
    await imageTiles(first, { layout: 'channels' });
    await expect(imageGrid(images, { layout: 'channels' })).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
