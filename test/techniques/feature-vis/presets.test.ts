/**
 * The presets on the shipped shapes-cnn: class models (Simonyan, Yosinski, no regularizer: > 99 %
 * confident noise), DeepDream over octaves, feature inversion (earlier layers more faithful),
 * texture and style losses falling, adversarial images within their L∞ bound, fooling images past
 * 99 %; no leaks. (Run on the default backend; the ops they compose are checked on cpu too in
 * parts.test.ts and optimize.test.ts.)
 */
import { tf } from '../../../kernel-lib/tf';
import * as fv from '../../../kernel-lib/techniques/feature-vis';
import { loadModel } from '../../../kernel-lib/models/zoo';
import { shapesDataset } from '../../../kernel-lib/data/shapes-dataset';
import { setupBackend } from '../models';

beforeAll(setupBackend);

const first = (r: { history: number[][] }) => r.history[0];
const last = (r: { history: number[][] }) => r.history[r.history.length - 1];

describe('presets on the shipped shapes-cnn', () => {
  let model: tf.LayersModel;
  let data: Awaited<ReturnType<typeof shapesDataset>>;
  beforeAll(async () => {
    model = (await loadModel('shapes-cnn'));
    data = await shapesDataset({ n: 4, seed: 5 });
  });
  afterAll(() => {
    model.dispose();
    data.dispose();
  });

  it('class models: scores rise under every recipe; without regularizers the noise image is > 99 % confident', async () => {
    const before = tf.memory().numTensors;
    for (const method of ['simonyan', 'yosinski', 'none'] as const) {
      const r = await fv.classModel(model, [0, 3], { method, steps: 30, seed: 1 });
      r.scores.forEach((s, i) => expect(s).toBeGreaterThan(first(r)[i] + 1));
      if (method === 'none') r.probabilities.forEach((p) => expect(p).toBeGreaterThan(0.99));
      expect(r.classes).toEqual([0, 3]);
      r.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('DeepDream raises the layer activation over octaves', async () => {
    const before = tf.memory().numTensors;
    const image = data.images.slice([0], [1]);
    const d = await fv.deepDream(model, image, { layer: 'conv2', octaves: 2, steps: 8, seed: 1 });
    expect(d.octaveSizes).toEqual([[46, 46], [64, 64]]);
    expect(d.scores[0]).toBeGreaterThan(2 * d.history[0][0]);
    const range = tf.tidy(() => tf.stack([tf.min(d.images), tf.max(d.images)]));
    const [lo, hi] = await range.data();
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    tf.dispose([d.images, range, image]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('feature inversion: the distance falls, and earlier layers reconstruct more faithfully', async () => {
    const inv = await fv.invertFeatures(model, data.images.slice([0], [1]), ['conv1', 'conv3'], { steps: 60, seed: 1 });
    inv.featureError.forEach((e, i) => expect(e).toBeLessThan(0.3 * -first(inv)[i]));
    expect(inv.pixelError[0]).toBeLessThan(inv.pixelError[1]);
    inv.dispose();
  }, 120_000);

  it('texture and style transfer: the Gram and content losses fall', async () => {
    const t = await fv.synthesizeTexture(model, data.images.slice([1], [1]), ['conv1', 'conv2'], { steps: 25, seed: 1 });
    expect(t.styleLoss[0]).toBeLessThan(0.5 * -first(t)[0]);
    t.dispose();
    const st = await fv.styleTransfer(model, data.images.slice([0], [1]), data.images.slice([1], [1]), ['conv1', 'conv2'], { contentLayer: 'conv3', steps: 25, seed: 1 });
    expect(-last(st)[0]).toBeLessThan(0.5 * -first(st)[0]);
    expect(st.contentLoss![0]).toBeGreaterThanOrEqual(0);
    st.dispose();
  }, 120_000);

  it('adversarial images reach the target class within the stated L∞ bound; fooling images pass 99 %', async () => {
    const before = tf.memory().numTensors;
    const eps = 0.03;
    const adv = await fv.adversarial(model, data.images, { target: 3, epsilon: eps, steps: 40 });
    adv.linf.forEach((d) => expect(d).toBeLessThanOrEqual(eps + 1e-6));
    const reached = adv.reached.filter(Boolean).length;
    expect(reached).toBeGreaterThanOrEqual(3);
    adv.reached.forEach((ok, i) => { if (ok) { expect(adv.predicted[i]).toBe(3); } });
    adv.dispose();
    const fgsm = await fv.adversarial(model, data.images, { method: 'fgsm', epsilon: eps });
    fgsm.linf.forEach((d) => expect(d).toBeCloseTo(eps, 5));
    expect(fgsm.steps).toBe(1);
    fgsm.dispose();
    const fool = await fv.foolingImages(model, [0, 1, 2, 3, 4, 5, 6, 7], { seed: 2 });
    fool.probabilities.forEach((p) => expect(p).toBeGreaterThan(0.99));
    fool.predicted.forEach((c, i) => expect(c).toBe(i));
    fool.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(fv.adversarial(model, data.images, { target: 'blob', classNames: ['circle', 'square'] })).rejects.toThrow(/Unknown class name "blob". Classes: circle, square/);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
