/**
 * Gradients with closed definitions checked against PyTorch (Debian's python3-torch, float64): on
 * the shipped shapes-cnn, the class score before softmax and its input gradient (what class-model
 * visualization ascends), and the Gram/style loss of gramMatch and its input gradient (what texture
 * synthesis and style transfer descend). Inputs include negatives and saturated values (dead ReLUs).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../../kernel-lib/tf';
import * as fv from '../../../kernel-lib/techniques/feature-vis';
import { runGraph } from '../../../kernel-lib/techniques/model-graph';
import { loadModel } from '../../../kernel-lib/models/zoo';
import { setupBackend } from '../models';

const PYTHON = '/usr/bin/python3';

test('class-score and Gram-loss input gradients on shapes-cnn match PyTorch', async () => {
  await setupBackend();
  const model = (await loadModel('shapes-cnn')) as tf.LayersModel;
  const before = tf.memory().numTensors;
  // Adversarial inputs: out of range, exactly 0 and 1, and a uniform patch (flat, dead ReLUs).
  const x = tf.tidy(() => {
    const r = tf.randomUniform([2, 64, 64, 3], -0.3, 1.3, 'float32', 21);
    const flat = tf.pad(tf.zeros([1, 16, 16, 3]), [[0, 1], [0, 48], [0, 48], [0, 0]], 0);
    const mask = tf.pad(tf.ones([1, 16, 16, 3]), [[0, 1], [0, 48], [0, 48], [0, 0]], 0);
    return tf.add(tf.mul(r, tf.sub(1, mask)), flat) as tf.Tensor4D;
  });
  const style = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 22) as tf.Tensor4D;
  const layers = ['scale', 'conv1', 'conv2', 'conv3'];
  const layerWeights = [0.1, 0.2, 0.3, 0.4];
  const cls = 5;

  const gram = fv.gramMatchTo(model, layers, style, layerWeights);
  const ctxFor = (xi: tf.Tensor4D): fv.ObjectiveContext => {
    const run = runGraph(model, xi, { fetch: layers, logits: true });
    return { batch: 2, input: xi, image: xi, centered: xi, logits: run.output as tf.Tensor2D, layer: (n) => run.outputs[n] };
  };
  const scoreOf = fv.classLogit(cls);
  const [score, scoreGrad] = tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((xi: tf.Tensor) => scoreOf.value(ctxFor(xi as tf.Tensor4D)))(x, tf.ones([2]));
    return [value, grad];
  });
  const [loss, lossGrad] = tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((xi: tf.Tensor) => tf.neg(gram.value(ctxFor(xi as tf.Tensor4D))))(x, tf.ones([2]));
    return [value, grad];
  });

  const weights: Record<string, unknown> = {};
  for (const w of model.weights) weights[w.originalName.replace(/^.*?\/?(conv\d|probs)\//, '$1/')] = await w.read().array();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-fv-torch-'));
  try {
    const request = path.join(dir, 'request.json');
    fs.writeFileSync(request, JSON.stringify({ weights, x: await x.array(), style: await style.array(), class: cls, layers, layerWeights }));
    const r = spawnSync(PYTHON, [path.join(__dirname, 'torch_feature_vis.py'), request], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    if (r.status !== 0) throw new Error(`torch reference failed: ${r.stderr}`);
    const ref = JSON.parse(r.stdout);
    const close = (got: ArrayLike<number>, want: number[], rel: number) => {
      const scale = Math.max(...want.map(Math.abs));
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect({ worst: worst / scale < rel, ratio: worst / scale }).toEqual({ worst: true, ratio: worst / scale });
    };
    close(await score.data(), ref.score, 1e-4);
    close(await scoreGrad.data(), ref.scoreGrad, 1e-3);
    close(await loss.data(), ref.gramLoss, 1e-4);
    close(await lossGrad.data(), ref.gramGrad, 2e-3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    tf.dispose([score, scoreGrad, loss, lossGrad]);
    gram.dispose();
  }
  tf.dispose([x, style]);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
}, 180_000);
