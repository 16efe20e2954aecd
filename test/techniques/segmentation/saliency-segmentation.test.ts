/**
 * saliencySegmentation on a model whose saliency is known: a linear class score that weighs only
 * the centre of an object, so the saliency seeds lie inside it and GrabCut must grow them to the
 * object's colour boundary. Also the seeds against a brute-force quantile, the figure, progress,
 * Stop, errors and leaks.
 */
import { tf } from '../../../kernel-lib/tf';
import { saliencySegmentation } from '../../../kernel-lib/techniques';
import { setupBackend } from '../models';

beforeAll(setupBackend);

const [H, W] = [24, 24];
/** The object: rows 5..16, columns 7..18. */
const inObject = (y: number, x: number) => y >= 5 && y < 17 && x >= 7 && x < 19;

/** A reddish square on a bluish noisy background, `[1, 24, 24, 3]` in [0, 1]. */
function objectImage(): tf.Tensor4D {
  return tf.tidy(() => {
    const truth = tf.tensor2d(Array.from({ length: H * W }, (_, i) => (inObject(Math.floor(i / W), i % W) ? 1 : 0)), [H, W]).expandDims(2);
    const fg = tf.tensor1d([0.85, 0.25, 0.2]);
    const bg = tf.tensor1d([0.2, 0.35, 0.75]);
    const clean = tf.add(tf.mul(truth, fg), tf.mul(tf.sub(1, truth), bg));
    return tf.expandDims<tf.Tensor4D>(tf.clipByValue(tf.add(clean, tf.randomNormal([H, W, 3], 0, 0.04, 'float32', 9)), 0, 1), 0);
  });
}

/**
 * flatten → dense(2, softmax): class 0 weighs the 6x6 centre of the object strongly, the rest of
 * the object less and the background faintly (a saliency that peaks inside the object, as a
 * trained network's does), so the lowest 30% of the saliency lies in the background.
 */
function centreWeightedModel(): tf.Sequential {
  const weights = new Float32Array(H * W * 3 * 2);
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const centre = y >= 8 && y < 14 && x >= 10 && x < 16;
      for (let c = 0; c < 3; c++) {
        const i = ((y * W + x) * 3 + c) * 2;
        const scale = centre ? 1 + rand() : inObject(y, x) ? 0.1 + 0.2 * rand() : 0.01 * rand();
        weights[i] = scale * (c === 0 ? 1 : -1);
        weights[i + 1] = 0.01 * rand();
      }
    }
  }
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [H, W, 3] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  model.layers[1].setWeights([tf.tensor2d(weights, [H * W * 3, 2]), tf.zeros([2])]);
  return model;
}

let model: tf.Sequential;
let image: tf.Tensor4D;
beforeAll(() => {
  model = centreWeightedModel();
  image = objectImage();
});
afterAll(() => {
  model.dispose();
  image.dispose();
});

describe('saliencySegmentation', () => {
  it('grows the salient centre to the whole object, with seeds at the saliency quantiles', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const seg = await saliencySegmentation(model, image, { target: 0, iterations: 3, onProgress: (p) => progress.push(p.done / p.total) });
    expect(progress).toEqual([1 / 4, 2 / 4, 3 / 4, 1]);
    expect(seg.classes).toEqual([0]);
    expect(seg.mask.shape).toEqual([H, W]);
    expect(seg.saliency.shape).toEqual([H, W]);
    expect(seg.image.shape).toEqual([H, W, 3]);
    expect(seg.energies).toHaveLength(3);
    const [mask, sal, seeds] = [await seg.mask.data(), await seg.saliency.data(), await seg.seeds.data()];
    // The mask is the object.
    const wrong = Array.from(mask).filter((v, i) => (v > 0.5) !== inObject(Math.floor(i / W), i % W)).length;
    expect(wrong).toBe(0);
    // Seeds against a brute-force quantile (linear interpolation between order statistics).
    const sorted = Array.from(sal).sort((a, b) => a - b);
    const quantile = (q: number) => {
      const pos = q * (sorted.length - 1);
      const lo = Math.floor(pos);
      return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
    };
    const [tLo, tHi] = [quantile(0.3), quantile(0.95)];
    const expected = Array.from(sal, (s) => (s >= tHi && s > tLo ? 1 : s <= tLo ? -1 : 0));
    expect(Array.from(seeds)).toEqual(expected);
    expect(expected.filter((v) => v === 1).length).toBe(29); // of 576: the order statistics above position 0.95 * 575 = 546.25
    // Foreground seeds are inside the salient centre; mask holds every seed's label.
    Array.from(seeds).forEach((s, i) => {
      if (s === 1) expect(mask[i]).toBe(1);
      if (s === -1) expect(mask[i]).toBe(0);
    });
    // The figure: 4 panels in [0, 1].
    const panels = seg.panels();
    expect(panels.shape).toEqual([4, H, W, 3]);
    const range = tf.tidy(() => tf.stack([tf.min(panels), tf.max(panels)]));
    const [lo, hi] = await range.data();
    range.dispose();
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    panels.dispose();
    seg.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('seeds from a blurred or a SmoothGrad saliency map', async () => {
    const before = tf.memory().numTensors;
    const plain = await saliencySegmentation(model, image, { target: 0, iterations: 1 });
    const blurred = await saliencySegmentation(model, image, { target: 0, iterations: 1, blur: 2 });
    // The blurred map is the plain one through a normalised Gaussian: same total up to the reflected borders, lower peak.
    const [p, b] = [Array.from(await plain.saliency.data()), Array.from(await blurred.saliency.data())];
    expect(Math.max(...b)).toBeLessThan(Math.max(...p));
    const sum = (v: number[]) => v.reduce((x, y) => x + y, 0);
    expect(Math.abs(sum(b) / sum(p) - 1)).toBeLessThan(0.02);
    expect(Array.from(await blurred.mask.data()).filter((v, i) => (v > 0.5) !== inObject(Math.floor(i / W), i % W)).length).toBe(0);
    // A linear model's gradient does not depend on the input: SmoothGrad's map equals the plain one.
    const smoothed = await saliencySegmentation(model, image, { target: 0, iterations: 1, smoothing: { samples: 3, seed: 1 } });
    const s = Array.from(await smoothed.saliency.data());
    expect(Math.max(...s.map((v, i) => Math.abs(v - p[i])))).toBeLessThan(1e-5);
    for (const r of [plain, blurred, smoothed]) r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('works on the 4-connected grid, with the other seed quantiles, and on gray images', async () => {
    const before = tf.memory().numTensors;
    const seg = await saliencySegmentation(model, image, { target: 0, connectivity: 4, foregroundQuantile: 0.9, backgroundQuantile: 0.5, iterations: 2 });
    const mask = await seg.mask.data();
    expect(Array.from(mask).filter((v, i) => (v > 0.5) !== inObject(Math.floor(i / W), i % W)).length).toBe(0);
    expect(Array.from(await seg.seeds.data()).filter((v) => v === 1).length).toBeGreaterThan(40);
    seg.dispose();
    const gray = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [H, W, 1] }), tf.layers.dense({ units: 2 })] });
    const x = tf.tidy(() => tf.mean(image, 3, true));
    const g = await saliencySegmentation(gray, x, { iterations: 1 });
    expect(g.image.shape).toEqual([H, W, 3]);
    g.dispose();
    x.dispose();
    gray.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when asked (AbortError, nothing leaked)', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = saliencySegmentation(model, image, { iterations: 5, signal: controller.signal, onProgress: (p) => p.done === 2 && controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options naming the argument, the value and what is allowed (nothing leaked)', async () => {
    const before = tf.memory().numTensors;
    const cases: [object, RegExp][] = [
      [{ foregroundQuantile: 1.5 }, /foregroundQuantile must be a number in \[0, 1\]; got number 1.5/],
      [{ backgroundQuantile: -0.1 }, /backgroundQuantile must be a number in \[0, 1\]; got number -0.1/],
      [{ backgroundQuantile: 0.96 }, /backgroundQuantile must be below foregroundQuantile; got 0.96 >= 0.95/],
      [{ iterations: 0 }, /iterations must be an integer in \[1, 100\]; got number 0/],
      [{ components: 2.5 }, /components must be an integer in \[1, 20\]; got number 2.5/],
      [{ connectivity: 6 }, /connectivity must be one of 4, 8; got 6/],
      [{ gamma: -1 }, /gamma must be a number in \[0, Infinity\]; got number -1/],
      [{ blur: -1 }, /blur must be a number in \[0, 64\]; got number -1/],
      [{ initFrom: 'rect' }, /initFrom must be one of 'seeds', 'all'; got "rect"/],
      [{ smoothing: { samples: 0 } }, /samples must be an integer >= 1; got number 0/],
      [{ valueRange: [1, 0] }, /valueRange must be \[low, high\] with finite low < high/],
      [{ target: 7 }, /target/],
    ];
    for (const [opts, message] of cases) await expect(saliencySegmentation(model, image, opts)).rejects.toThrow(message);
    const two = tf.concat([image, image]);
    await expect(saliencySegmentation(model, two)).rejects.toThrow(/one image; got a batch of 2/);
    const flat = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [H, W, 3] }), tf.layers.dense({ units: 2, kernelInitializer: 'zeros' })] });
    await expect(saliencySegmentation(flat, image)).rejects.toThrow(/saliency map is flat/);
    tf.dispose([two]);
    flat.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
