/**
 * Occlusion against a brute-force loop that occludes one position at a time with JavaScript
 * pixel writes and runs the model's own predict.
 */
import { tf } from '../../kernel-lib/tf';
import { occlusion, occlusionCenters } from '../../kernel-lib/techniques';
import { gaussianBlur } from '../../kernel-lib/data/blur';
import { expectClose, randomImages, setupBackend, smallCnn } from './models';
import { read, readValues } from '../support/read';

beforeAll(setupBackend);

/** Probability of `cls` with the patch centred at every (cy, cx), by an explicit loop. */
async function bruteForce(model: tf.LayersModel, image: tf.Tensor3D, cls: number, patch: number, centers: number[], fill: (y: number, x: number, c: number) => number): Promise<number[][]> {
  const [h, w, ch] = image.shape;
  const pixels = await image.array();
  const rows = centers.map((cy) =>
    centers.map((cx) => {
      const copy = pixels.map((row) => row.map((px) => px.slice()));
      for (let y = cy - Math.floor(patch / 2); y < cy - Math.floor(patch / 2) + patch; y++) {
        for (let x = cx - Math.floor(patch / 2); x < cx - Math.floor(patch / 2) + patch; x++) {
          if (y < 0 || x < 0 || y >= h || x >= w) continue;
          for (let c = 0; c < ch; c++) copy[y][x][c] = fill(y, x, c);
        }
      }
      return read<number[][]>(() => model.predict(tf.tensor4d([copy])) as tf.Tensor2D).then((p) => p[0][cls]);
    }),
  );
  return Promise.all(rows.map((row) => Promise.all(row)));
}

describe('occlusion', () => {
  it('centres one patch per stride cell', () => {
    expect(occlusionCenters(8, 2)).toEqual([1, 3, 5, 7]);
    expect(occlusionCenters(7, 3)).toEqual([1, 4, 6]);
    expect(occlusionCenters(224, 8).length).toBe(28);
  });

  it('equals a brute-force loop (gray fill, odd patch, chunked across images)', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 11);
    const occ = await occlusion(model, x, { patchSize: 3, stride: 2, fill: 'gray', target: [1, 2], batchSize: 7 });
    expect(occ.map.shape).toEqual([2, 4, 4]);
    expect(occ.centerRows).toEqual([1, 3, 5, 7]);
    const images = tf.unstack(x) as tf.Tensor3D[];
    for (let b = 0; b < 2; b++) {
      const expected = await bruteForce(model, images[b], [1, 2][b], 3, occ.centerRows, () => 0.5);
      expectClose(((await occ.map.array()))[b].flat(), expected.flat(), 1e-5, 1e-4);
      const clean = (await read<number[][]>(() => model.predict(images[b].expandDims(0)) as tf.Tensor2D))[0][[1, 2][b]];
      expectClose([occ.baseline[b]], [clean], 1e-6, 1e-4);
      expectClose(((await occ.drop.array()))[b].flat(), expected.flat().map((p) => clean - p), 1e-5, 1e-4);
    }
    occ.dispose();
    tf.dispose([x, ...images]);
  });

  it('equals a brute-force loop with an even patch, per-channel fill and the mean / blur fills', async () => {
    const model = smallCnn();
    const x = randomImages([1, 8, 8, 2], 12);
    const image = tf.squeeze<tf.Tensor3D>(x, [0]);
    const perChannel = await occlusion(model, x, { patchSize: 4, stride: 3, fill: [0.2, 0.9], target: 0 });
    expectClose((await perChannel.map.data()), (await bruteForce(model, image, 0, 4, perChannel.centerRows, (_y, _x, c) => [0.2, 0.9][c])).flat(), 1e-5, 1e-4);
    const mean = await occlusion(model, x, { patchSize: 2, stride: 4, fill: 'mean', target: 0 });
    const channelMeans = await read<number[]>(() => tf.mean(x, [0, 1, 2]));
    expectClose((await mean.map.data()), (await bruteForce(model, image, 0, 2, mean.centerRows, (_y, _x, c) => channelMeans[c])).flat(), 1e-5, 1e-4);
    const blur = await occlusion(model, x, { patchSize: 3, stride: 4, fill: 'blur', blurSigma: 1, target: 0 });
    const blurred = (await read<number[][][][]>(() => gaussianBlur(x, 1)))[0];
    expectClose((await blur.map.data()), (await bruteForce(model, image, 0, 3, blur.centerRows, (y, xx, c) => blurred[y][xx][c])).flat(), 1e-5, 1e-4);
    for (const r of [perChannel, mean, blur]) r.dispose();
    tf.dispose([x, image]);
  });

  it('gaussian blur keeps constants, preserves the mean of an impulse, and smooths', async () => {
    const constant = tf.fill<tf.Rank.R4>([1, 6, 7, 3], 0.4);
    const out = gaussianBlur(constant, 1.5);
    expectClose((await out.data()), (await constant.data()), 1e-6, 1e-5);
    const impulse = tf.tidy(() => tf.pad<tf.Tensor4D>(tf.ones([1, 1, 1, 1]), [[0, 0], [5, 5], [5, 5], [0, 0]]));
    const spread = gaussianBlur(impulse, 1);
    const [sum, peak] = await readValues(() => tf.stack([tf.sum(spread), tf.max(spread)]));
    expect(sum).toBeCloseTo(1, 4);
    expect(peak).toBeLessThan(0.2);
    tf.dispose([constant, out, impulse, spread]);
  });

  it('reports progress and stops on an AbortSignal without leaking', async () => {
    const model = smallCnn();
    const x = randomImages([1, 8, 8, 2], 13);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const run = occlusion(model, x, {
      patchSize: 2,
      stride: 1,
      batchSize: 4,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done >= 8) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toEqual([4, 8]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
