/**
 * t-SNE end to end on well-separated Gaussian blobs (20 blobs of 12 points, isotropic in 20
 * dimensions, then mixed by a random linear map): the KL divergence decreases after early
 * exaggeration, both the exact and the Barnes-Hut method keep more than 90% of every point's 10
 * nearest neighbours and separate the blobs, and they agree on trustworthiness; frames stream,
 * progress is reported, Stop rejects with nothing left behind, bad options are named.
 *
 * Why these blobs: with 12 points a blob holds each point's 10 nearest neighbours, so keeping
 * them means keeping every blob whole and apart, the picture t-SNE promises. Inside larger blobs
 * t-SNE does not keep 10-NN sets to 0.9: on the former data (5 blobs of 40 points, 2-D blobs in 20
 * dimensions) scikit-learn 1.2's own t-SNE keeps 0.89 from the same start, as convlens does (see
 * test/reference/tsne.test.ts and docs/feature-space.md).
 */
import { tf } from '../../../kernel-lib/tf';
import * as fs from '../../../kernel-lib/techniques/feature-space';
import { setupBackend } from '../models';
import { blobs } from './reference';

let features: tf.Tensor2D;
let labels: number[];
let featureAccuracy: number;

beforeAll(async () => {
  await setupBackend();
  const b = blobs(240, 20, 20, 1, 3, 8);
  labels = b.labels;
  features = tf.tidy(() => tf.matMul<tf.Tensor2D>(tf.tensor2d(b.rows), tf.randomNormal([20, 20], 0, 1, 'float32', 4)));
  featureAccuracy = await fs.knnAccuracy(features, labels, { k: 10 });
});
afterAll(() => features.dispose());

describe('t-SNE on Gaussian blobs', () => {
  const trust: Record<string, number> = {};
  it.each(['exact', 'barnes-hut'] as const)('%s: KL decreases, 10-NN kept, blobs separated, frames and progress streamed', async (method) => {
    const before = tf.memory().numTensors;
    const frames: fs.TsneFrame[] = [];
    const progress: number[] = [];
    const r = await fs.tsne(features, { method, iterations: 300, perplexity: 30, every: 10, onIteration: (f) => void frames.push({ ...f, positions: Float32Array.from(f.positions) }), onProgress: (p) => progress.push(p.done) });
    expect(r.method).toBe(method);
    expect(frames.map((f) => f.iteration)).toEqual(Array.from({ length: 30 }, (_, i) => 10 * (i + 1)));
    expect(progress).toEqual(frames.map((f) => f.iteration));
    expect(frames[0].exaggeration).toBe(12);
    expect(frames[29].exaggeration).toBe(1);
    expect(Array.from(frames[29].positions)).toEqual(Array.from(r.positions));
    // After early exaggeration (250 steps) the KL divergence only goes down.
    const late = r.klHistory.filter((h) => h.iteration > 250).map((h) => h.kl);
    late.forEach((kl, i) => i > 0 && expect(kl).toBeLessThanOrEqual(late[i - 1] + 1e-6));
    expect(r.kl).toBeLessThan(r.klHistory[0].kl);
    const kept = await fs.neighborPreservation(features, r.embedding, 10);
    expect(kept).toBeGreaterThan(0.9);
    // The blobs stay as separable as in the features (10-NN class accuracy).
    expect(await fs.knnAccuracy(r.embedding, labels, { k: 10 })).toBeGreaterThanOrEqual(featureAccuracy - 0.02);
    trust[method] = await fs.trustworthiness(features, r.embedding, 10);
    expect(trust[method]).toBeGreaterThan(0.98);
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the approximate method agrees with the exact one on trustworthiness within 0.02', () => {
    expect(Math.abs(trust.exact - trust['barnes-hut'])).toBeLessThan(0.02);
  });

  it("'auto' takes the exact method on wasm, tfjs-node and GPU backends for these 240 points, Barnes-Hut on the pure-JS cpu backend", async () => {
    const r = await fs.tsne(features, { iterations: 2 });
    expect(r.method).toBe(tf.getBackend() === 'cpu' ? 'barnes-hut' : 'exact');
    r.dispose();
  });

  it('Stop rejects with an AbortError at the next step and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let seen = 0;
    const run = fs.tsne(features, { iterations: 200, every: 5, signal: controller.signal, onIteration: () => { seen++; controller.abort(); } });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options naming the option, the value and what is allowed', async () => {
    const before = tf.memory().numTensors;
    await expect(fs.tsne(features, { method: 'umap' as never })).rejects.toThrow(/method must be one of 'auto', 'exact', 'barnes-hut'; got "umap"/);
    await expect(fs.tsne(features, { iterations: 0 })).rejects.toThrow(/iterations must be an integer >= 1; got number 0/);
    await expect(fs.tsne(features, { iterations: -1 })).rejects.toThrow(/iterations must be an integer >= 1; got number -1/);
    await expect(fs.tsne(features, { perplexity: -1 })).rejects.toThrow(/perplexity must be a number in \[1, \d+\]; got number -1/);
    await expect(fs.tsne(features, { theta: 11 })).rejects.toThrow(/theta must be a number in \[0, 10\]; got number 11/);
    await expect(fs.tsne(features, { every: 0 })).rejects.toThrow(/every must be an integer >= 1; got number 0/);
    await expect(fs.tsne(features, { learningRate: -1 })).rejects.toThrow(/learningRate must be a number in \[5e-324, Infinity\]; got number -1/);
    await expect(fs.tsne(features, { neighbors: 0 })).rejects.toThrow(/neighbors must be an integer in \[1, \d+\]; got number 0/);
    await expect(fs.tsne(features, { init: 'spectral' as never, iterations: 1 })).rejects.toThrow(/init must be one of 'pca', 'random'; got "spectral"/);
    const tiny = tf.zeros<tf.Rank.R2>([2, 3]);
    await expect(fs.tsne(tiny)).rejects.toThrow(/tsne: features must have at least 3 row\(s\)/);
    tiny.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
