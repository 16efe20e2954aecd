/**
 * Feature-visualization gradients with closed definitions against the PyTorch reference
 * (torch_reference.py's inputGradient, gramLoss, gramLossGradient; float64), on the shipped
 * shapes-cnn: the class score before softmax and its input gradient (what class-model visualization
 * ascends), and the Gram/style loss of `gramMatch` and its input gradient (what texture synthesis
 * and style transfer descend). The inputs include values out of range, exact 0 and 1, and a flat
 * patch (ties in the max-pools, dead ReLUs).
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import * as fv from '../../kernel-lib/techniques/feature-vis';
import { runGraph } from '../../kernel-lib/techniques/model-graph';
import { loadModel, zooEntry } from '../../kernel-lib/models';
import { mapAgreement, torchReference } from './torch-reference';

test('class-score and Gram-loss input gradients on shapes-cnn agree with PyTorch', async () => {
  await initBackend({ log: false });
  const model = (await loadModel('shapes-cnn')) as tf.LayersModel;
  const before = tf.memory().numTensors;
  const x = tf.tidy(() => {
    const r = tf.clipByValue(tf.randomUniform([2, 64, 64, 3], -0.3, 1.3, 'float32', 21), -0.2, 1);
    const mask = tf.pad(tf.ones([1, 16, 16, 3]), [[0, 1], [0, 48], [0, 48], [0, 0]], 0);
    return tf.mul(r, tf.sub(1, mask)) as tf.Tensor4D; // image 0 has a flat black 16x16 corner
  });
  const style = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 22) as tf.Tensor4D;
  const layers = ['scale', 'conv1', 'conv2', 'conv3'];
  const weights = [0.1, 0.2, 0.3, 0.4];
  const cls = 5;
  const objectiveGrad = (objective: fv.Objective, sign: number) =>
    tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((xi: tf.Tensor) => {
        const run = runGraph(model, xi as tf.Tensor4D, { fetch: layers, logits: true });
        const ctx: fv.ObjectiveContext = { batch: 2, input: xi as tf.Tensor4D, image: xi as tf.Tensor4D, centered: xi as tf.Tensor4D, logits: run.output as tf.Tensor2D, layer: (n) => run.outputs[n] };
        return tf.mul(objective.value(ctx), sign);
      })(x, tf.ones([2]));
      return [value, grad];
    });
  const gramObjective = fv.gramMatchTo(model, layers, style, weights);
  const [score, scoreGrad] = objectiveGrad(fv.classLogit(cls), 1);
  const [loss, lossGrad] = objectiveGrad(gramObjective, -1);
  gramObjective.dispose();

  const ref = await torchReference({
    model: zooEntry('shapes-cnn').dir,
    images: { tensor: x },
    targets: [cls, cls],
    cases: [
      { id: 'inputGradient', method: 'inputGradient' },
      { id: 'gramLoss', method: 'gramLoss', options: { layers, weights, style: await style.array() } },
      { id: 'gramLossGradient', method: 'gramLossGradient', options: { layers, weights, style: await style.array() } },
    ],
  });
  const scores = Array.from(await score.data());
  scores.forEach((s, i) => expect(Math.abs(s - ref.logits[i][cls])).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.logits[i][cls]))));
  for (const a of mapAgreement(await scoreGrad.data(), ref.maps.inputGradient)) {
    expect(a.r).toBeGreaterThan(0.9999);
    expect(a.relErr).toBeLessThan(1e-3);
  }
  const losses = Array.from(await loss.data());
  losses.forEach((l, i) => expect(Math.abs(l - ref.maps.gramLoss.values[i])).toBeLessThan(1e-4 * ref.maps.gramLoss.values[i]));
  for (const a of mapAgreement(await lossGrad.data(), ref.maps.gramLossGradient)) {
    expect(a.r).toBeGreaterThan(0.9999);
    expect(a.relErr).toBeLessThan(2e-3);
  }
  tf.dispose([x, style, score, scoreGrad, loss, lossGrad]);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
}, 180_000);
