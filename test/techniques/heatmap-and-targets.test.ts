/**
 * Heatmap rendering (colormap ends, blending, PNG round trip) and target resolution (names from
 * model metadata, 'predicted', functions of the logits).
 */
import { PNG } from 'pngjs';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { colormapTable } from '../../kernel-lib/render/colormaps';
import { expectClose, randomImages, setupBackend, smallCnn } from './models';
import { read, readValues } from '../support/read';

beforeAll(setupBackend);

describe('heatmaps', () => {
  it('maps the minimum and maximum to the colormap ends', async () => {
    const rgb = lens.colorize(tf.tensor2d([[2, 5, 8]]), { colormap: 'viridis' });
    const px = ((await rgb.array()) as number[][][])[0];
    expectClose(px[0].map((v) => Math.round(v * 255)), [0x44, 0x01, 0x54], 0.5, 0);
    expectClose(px[2].map((v) => Math.round(v * 255)), [0xfd, 0xe7, 0x25], 0.5, 0);
    rgb.dispose();
    expect(colormapTable('jet')[0].map((v) => Math.round(v * 255))).toEqual([0, 0, 127]);
  });

  it('blends the resized map over the image and encodes a PNG of the image size', async () => {
    const image = tf.fill<tf.Rank.R3>([6, 4, 1], 0.5);
    const map = tf.tensor2d([[0, 1], [1, 0], [0, 0]]);
    const none = lens.overlayHeatmap(map, image, { opacity: 0 });
    expectClose((await none.data()), new Array(6 * 4 * 3).fill(0.5), 1e-6, 0);
    const full = lens.overlayHeatmap(map, image, { opacity: 1, colormap: 'gray' });
    expect(full.shape).toEqual([6, 4, 3]);
    const png = PNG.sync.read(Buffer.from(await lens.heatmapPNG(map, image, { opacity: 1, colormap: 'gray' })));
    expect([png.width, png.height]).toEqual([4, 6]);
    const expected = Array.from((await full.data())).map((v) => Math.round(v * 255));
    const red = Array.from({ length: 24 }, (_, i) => png.data[i * 4]);
    expectClose(red, expected.filter((_, i) => i % 3 === 0), 0.5, 0);
    tf.dispose([image, map, none, full]);
  });
});

describe('targets', () => {
  it('resolves class names from model metadata and opts, and predicted classes', async () => {
    const model = smallCnn();
    model.setUserDefinedMetadata({ classNames: ['cat', 'dog', 'bird'] });
    const x = randomImages([2, 8, 8, 2], 61);
    const byName = await lens.saliency(model, x, { target: 'bird' });
    expect(byName.classes).toEqual([2, 2]);
    const mixed = await lens.saliency(model, x, { target: ['dog', 0] });
    expect(mixed.classes).toEqual([1, 0]);
    const predicted = await lens.saliency(model, x);
    const argmax = await readValues(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
    expect(predicted.classes).toEqual(argmax);
    const fromFn = await lens.saliency(model, x, { target: () => [0, 2] });
    expect(fromFn.classes).toEqual([0, 2]);
    for (const r of [byName, mixed, predicted, fromFn, x]) r.dispose();
  });

  it('a target function returning a score: the gradient of logit 1 - logit 0 is the difference of gradients', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 62);
    const diff = await lens.saliency(model, x, { target: (l) => tf.sub(l.slice([0, 1], [-1, 1]), l.slice([0, 0], [-1, 1])).reshape([-1]) });
    expect(diff.classes).toBeNull();
    const [g1, g0] = [await lens.saliency(model, x, { target: 1 }), await lens.saliency(model, x, { target: 0 })];
    const expected = tf.sub(g1.attribution, g0.attribution);
    expectClose((await diff.attribution.data()), (await expected.data()), 1e-7, 1e-4);
    // Occlusion with a score function maps that score.
    const occ = await lens.occlusion(model, x, { target: (l) => tf.sub(l.slice([0, 1], [-1, 1]), l.slice([0, 0], [-1, 1])).reshape([-1]), patchSize: 2, stride: 4 });
    const clean = await read<number[][]>(() => lens.modelLogits(model, x));
    expectClose(occ.baseline, clean.map((row) => row[1] - row[0]), 1e-5, 1e-4);
    for (const r of [diff, g1, g0, expected, occ, x]) r.dispose();
  });
});
