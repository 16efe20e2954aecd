/**
 * UMAP (umap-js behind the t-SNE call shape) on well-separated Gaussian blobs (2-D blobs embedded
 * in 20 dimensions): the blobs stay separated in the map, frames and progress stream, the seed
 * makes the run reproducible, Stop rejects with nothing left behind, bad options are named.
 */
import { tf } from '../../../kernel-lib/tf';
import * as fs from '../../../kernel-lib/techniques/feature-space';
import { setupBackend } from '../models';
import { blobs } from './reference';

let features: tf.Tensor2D;
let labels: number[];

beforeAll(async () => {
  await setupBackend();
  const b = blobs(200, 2, 5, 1, 3, 8);
  labels = b.labels;
  features = tf.tidy(() => tf.matMul<tf.Tensor2D>(tf.tensor2d(b.rows), tf.randomNormal([2, 20], 0, 1, 'float32', 4)));
});
afterAll(() => features.dispose());

describe('UMAP on Gaussian blobs', () => {
  it('separates the blobs, streams frames and progress, is reproducible with a seed, leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const frames: number[] = [];
    const progress: number[] = [];
    const r = await fs.umap(features, { nNeighbors: 15, minDist: 0.1, nEpochs: 100, seed: 3, every: 20, onIteration: (f) => void frames.push(f.iteration), onProgress: (p) => progress.push(p.done) });
    expect(r.embedding.shape).toEqual([200, 2]);
    expect(r.epochs).toBe(100);
    expect(frames).toEqual([20, 40, 60, 80, 100]);
    expect(progress).toEqual(frames);
    expect(Array.from(r.positions).every(Number.isFinite)).toBe(true);
    // Well-separated blobs: the 10-NN class vote in the 2-D map is (nearly) always right.
    expect(await fs.knnAccuracy(r.embedding, labels, { k: 10 })).toBeGreaterThan(0.95);
    expect(await fs.trustworthiness(features, r.embedding, 10)).toBeGreaterThan(0.9);
    const again = await fs.umap(features, { nNeighbors: 15, minDist: 0.1, nEpochs: 100, seed: 3 });
    expect(Array.from(again.positions)).toEqual(Array.from(r.positions));
    const other = await fs.umap(features, { nNeighbors: 15, minDist: 0.1, nEpochs: 100, seed: 4 });
    expect(Array.from(other.positions)).not.toEqual(Array.from(r.positions));
    tf.dispose([r, again, other].map((u) => u.embedding));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Stop rejects with an AbortError at the next frame and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let seen = 0;
    const run = fs.umap(features, { nEpochs: 200, every: 5, signal: controller.signal, onIteration: () => { seen++; controller.abort(); } });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options naming the option, the value and what is allowed', async () => {
    const before = tf.memory().numTensors;
    await expect(fs.umap(features, { nNeighbors: 1 })).rejects.toThrow(/nNeighbors must be an integer in \[2, 199\]; got number 1/);
    await expect(fs.umap(features, { minDist: 2 })).rejects.toThrow(/minDist must be a number in \[0, 1\]; got number 2/);
    await expect(fs.umap(features, { nEpochs: 0 })).rejects.toThrow(/nEpochs must be an integer >= 1; got number 0/);
    await expect(fs.umap(features, { metric: 'manhattan' as never })).rejects.toThrow(/metric must be one of 'l2', 'cosine'; got "manhattan"/);
    const tiny = tf.zeros<tf.Rank.R2>([2, 3]);
    await expect(fs.umap(tiny)).rejects.toThrow(/umap: features must have at least 3 row\(s\)/);
    tiny.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
