/**
 * Saliency, SmoothGrad and Integrated Gradients against independent computations: finite
 * differences of the scores before softmax, and the completeness property of IG.
 */
import { tf } from '../../kernel-lib/tf';
import { integratedGradients, saliency, smooth } from '../../kernel-lib/techniques';
import { modelLogits } from '../../kernel-lib/models/logits';
import { correlation, expectClose, functionalNet, linearHeadCopy, nestedNet, randomImages, setupBackend, smallCnn } from './models';

beforeAll(setupBackend);

/** Central finite difference of `score(x)` at the given flat pixel indices of image batch `x`. */
function finiteDifferences(score: (x: tf.Tensor4D) => number, x: tf.Tensor4D, indices: number[], eps = 1e-3): number[] {
  const base = x.dataSync();
  return indices.map((i) => {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i] += eps;
    minus[i] -= eps;
    const [up, down] = [plus, minus].map((v) => tf.tidy(() => score(tf.tensor4d(v, x.shape))));
    return (up - down) / (2 * eps);
  });
}

describe('saliency', () => {
  it('is the gradient of the score before softmax (finite differences on an independent linear-head copy)', async () => {
    const model = smallCnn();
    const logitsModel = linearHeadCopy(model);
    const x = randomImages([2, 8, 8, 2], 3);
    const target = [2, 0];
    const s = await saliency(model, x, { target });
    // Score of image b for class target[b], computed by the copy whose last layer is linear.
    const g = s.attribution.dataSync();
    const perImage = 8 * 8 * 2;
    const indices = [5, 17, 40, 77, 101, 127, perImage + 3, perImage + 60, perImage + 99];
    const score = (v: tf.Tensor4D) => {
      const out = (logitsModel.predict(v) as tf.Tensor2D).arraySync();
      return out[0][target[0]] + out[1][target[1]];
    };
    const fd = finiteDifferences(score, x, indices);
    expectClose(indices.map((i) => g[i]), fd, 2e-3, 2e-2);
    // The map is max |gradient| over channels.
    const expected = tf.tidy(() => tf.max(tf.abs(s.attribution), 3));
    expectClose(s.map.dataSync(), expected.dataSync());
    expect(s.classes).toEqual(target);
    for (const r of [s, x, expected]) r.dispose();
  });

  it('takes scores before softmax: logits of a softmax model equal its linear-head copy', () => {
    const model = smallCnn();
    const copy = linearHeadCopy(model);
    const x = randomImages([3, 8, 8, 2], 4);
    const [a, b] = tf.tidy(() => [modelLogits(model, x).dataSync(), (copy.predict(x) as tf.Tensor).dataSync()]);
    expectClose(a, b, 1e-5, 1e-4);
    x.dispose();
  });

  it('runs functional models (skip connection, ReLU layer, softmax Activation) and nested models', async () => {
    for (const model of [functionalNet(), nestedNet()]) {
      const x = randomImages([1, 8, 8, 2], 5);
      // The re-implemented forward agrees with the model's own.
      const [probs, logits] = tf.tidy(() => [(model.predict(x) as tf.Tensor).dataSync(), tf.softmax(modelLogits(model, x)).dataSync()]);
      expectClose(logits, probs, 1e-6, 1e-4);
      const s = await saliency(model, x, { target: 1 });
      const g = s.attribution.dataSync();
      const indices = [0, 9, 33, 70, 127];
      const score = (v: tf.Tensor4D) => tf.tidy(() => modelLogits(model, v).dataSync()[1]);
      expectClose(indices.map((i) => g[i]), finiteDifferences(score, x, indices), 2e-3, 2e-2);
      for (const r of [s, x]) r.dispose();
    }
  });

  it('SmoothGrad averages gradients of noisy copies; zero noise gives the plain gradient', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 6);
    const plain = await saliency(model, x, { target: 1 });
    const zeroNoise = await smooth(saliency, { samples: 3, noise: 0 })(model, x, { target: 1 });
    expectClose(zeroNoise.attribution.dataSync(), plain.attribution.dataSync(), 1e-6, 1e-4);
    const a = await smooth(saliency, { samples: 8, noise: 0.2, seed: 1 })(model, x, { target: 1, batchSize: 5 });
    const b = await smooth(saliency, { samples: 8, noise: 0.2, seed: 1 })(model, x, { target: 1, batchSize: 5 });
    expectClose(a.map.dataSync(), b.map.dataSync(), 0, 0);
    expect(correlation(a.map.dataSync(), plain.map.dataSync())).toBeGreaterThan(0.3);
    for (const r of [plain, zeroNoise, a, b, x]) r.dispose();
  });

  it('Integrated Gradients: attributions sum to score(x) - score(baseline), chunked or not', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 8);
    const ig = await integratedGradients(model, x, { target: [0, 2], steps: 128, baseline: 0, batchSize: 37 });
    const sums = tf.tidy(() => tf.sum(ig.attribution, [1, 2, 3]).dataSync());
    const [sx, s0] = tf.tidy(() => [modelLogits(model, x).arraySync(), modelLogits(model, tf.zerosLike(x)).arraySync()]);
    const expected = [sx[0][0] - s0[0][0], sx[1][2] - s0[1][2]];
    expectClose(sums, expected, 2e-3, 2e-2);
    const progress: number[] = [];
    const once = await integratedGradients(model, x, { target: [0, 2], steps: 128, onProgress: (p) => progress.push(p.fraction) });
    expectClose(once.attribution.dataSync(), ig.attribution.dataSync(), 1e-5, 1e-3);
    expect(progress[progress.length - 1]).toBe(1);
    for (const r of [ig, once, x]) r.dispose();
  });
});
