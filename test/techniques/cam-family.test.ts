/**
 * The CAM family from one channel-weights hook, `smooth` around any method, and the method
 * registry: Grad-CAM and Grad-CAM++ against PyTorch (test/techniques/torch_cam.py) and Grad-CAM++
 * against its closed form on a GAP net; Grad-CAM in one forward and one backward pass; `smooth`
 * equal to the mean of the method over the same noisy copies; a view method added by one entry.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';
import { gradCam, gradCamPlusPlus, guidedBackprop, saliency, smooth, ATTRIBUTION_METHODS, type AttributionMethod } from '../../kernel-lib/techniques';
import { tap } from '../../kernel-lib/models/activations';
import { attributionView } from '../../kernel-lib/widgets';
import { freshTransport } from '../widgets-kernel/frontend';
import { expectClose, gapNet, randomImages, setupBackend, smallCnn } from './models';
import { read, readValues } from '../support/read';

beforeAll(setupBackend);

let seed = 301;
const init = () => tf.initializers.glorotUniform({ seed: seed++ });

/**
 * smallCnn with a sigmoid first layer: its maps are positive and never tie, so the gradient
 * passes back through the max pooling the same way on every backend (tfjs-backend-wasm 4.22's
 * MaxPoolGrad drops windows whose values are all <= 0).
 */
function sigmoidCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 't1', inputShape: [8, 8, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'tp', poolSize: 2 }),
      tf.layers.conv2d({ name: 't2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.flatten({ name: 'tf' }),
      tf.layers.dense({ name: 'to', units: 3, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

/** The net in tfjs layouts for torch_cam.py. */
function describeNet(model: tf.Sequential): Promise<unknown[]> {
  return Promise.all(model.layers.map(async (layer) => {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as { activation?: string; poolSize?: number[] };
    const [kernel, bias] = layer.getWeights();
    if (cls === 'Conv2D') return { type: 'conv', kernelShape: kernel.shape, kernel: Array.from((await kernel.data())), bias: Array.from((await bias.data())), activation: cfg.activation };
    if (cls === 'MaxPooling2D') return { type: 'maxpool', size: cfg.poolSize![0] };
    if (cls === 'Flatten') return { type: 'flatten' };
    return { type: 'dense', kernelShape: kernel.shape, kernel: Array.from((await kernel.data())), bias: Array.from((await bias.data())) };
  }));
}

interface TorchCase { model: tf.Sequential; x: tf.Tensor4D; layer: string; classes: number[] }

/** Grad-CAM and Grad-CAM++ maps (before the ReLU) of each case from PyTorch. */
async function torchMaps(cases: TorchCase[]): Promise<Array<{ gradCam: number[]; gradCamPlusPlus: number[] }>> {
  const specs = await Promise.all(cases.map(async ({ model, x, layer, classes }) => ({ layers: await describeNet(model), images: Array.from(await x.data()), shape: x.shape, layer: model.layers.findIndex((l) => l.name === layer), classes })));
  const r = spawnSync('/usr/bin/python3', [path.join(__dirname, 'torch_cam.py')], { input: JSON.stringify(specs), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`torch_cam.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('CAM family', () => {
  it('Grad-CAM and Grad-CAM++ match PyTorch, before and after a max pooling', async () => {
    const classes = [0, 2, 1];
    const cases: TorchCase[] = [
      { model: smallCnn(), x: randomImages([3, 8, 8, 2], 31), layer: 'c2', classes },
      { model: sigmoidCnn(), x: randomImages([3, 8, 8, 2], 32), layer: 't1', classes },
    ];
    const references = await torchMaps(cases);
    for (const [i, { model, x, layer }] of cases.entries()) {
      const g = await gradCam(model, x, { layer, target: classes, relu: false });
      const gpp = await gradCamPlusPlus(model, x, { layer, target: classes, relu: false, batchSize: 2 });
      expect(g.classes).toEqual(classes);
      expectClose((await g.raw.data()), references[i].gradCam, 1e-6, 1e-3);
      expectClose((await gpp.raw.data()), references[i].gradCamPlusPlus, 1e-6, 1e-3);
      for (const r of [g, gpp, x]) r.dispose();
    }
  });

  it('Grad-CAM++ equals its closed form on a GAP net, where dS/dA = w_kc / (h·w)', async () => {
    const model = gapNet();
    const x = randomImages([2, 10, 10, 3], 33);
    const gpp = await gradCamPlusPlus(model, x, { relu: false }); // 'predicted', at the last conv layer conv_b
    const logits = await read<number[]>(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
    expect(gpp.classes).toEqual(logits);
    expect(gpp.layer).toBe('conv_b');
    const acts = tap(model, ['conv_b'], x);
    const A = (await acts.conv_b.array()) as number[][][][];
    const W = (await model.getLayer('probs').getWeights()[0].array()) as number[][];
    const [, h, w, k] = acts.conv_b.shape;
    const raw = (await gpp.raw.array());
    for (let b = 0; b < 2; b++) {
      const c = logits[b];
      const weights = Array.from({ length: k }, (_, ch) => {
        const g = W[ch][c] / (h * w);
        let sumA = 0;
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) sumA += A[b][i][j][ch];
        const alpha = g === 0 ? 0 : (g * g) / (2 * g * g + sumA * g * g * g + 1e-7);
        return Math.max(g, 0) * alpha * h * w;
      });
      const expected = A[b].flatMap((row) => row.map((a) => a.reduce((s, v, ch) => s + v * weights[ch], 0)));
      expectClose(raw[b].flat(), expected, 1e-7, 1e-4);
    }
    gpp.dispose();
    tf.dispose([acts, x]);
  });

  it('Grad-CAM runs one forward pass and one backward pass from the scores to the layer', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 34);
    const calls: Record<string, number> = {};
    for (const layer of model.layers) {
      const call = layer.call.bind(layer);
      layer.call = (inputs, kwargs) => {
        calls[layer.name] = (calls[layer.name] ?? 0) + 1;
        return call(inputs, kwargs);
      };
    }
    let result: Awaited<ReturnType<typeof gradCam>> | undefined;
    const profile = await tf.profile(async () => {
      result = await gradCam(model, x, { layer: 'c1' }); // 'predicted': resolved inside the same pass
    });
    expect(calls).toEqual({ c1: 1, p1: 1, c2: 1, flat: 1, out: 1 });
    const kernels = profile.kernels.map((kernel) => kernel.name);
    expect(kernels.filter((n) => /Conv2D/.test(n) && !/Backprop/.test(n))).toHaveLength(2); // c1, c2 forward
    expect(kernels.filter((n) => n === 'Conv2DBackpropInput')).toHaveLength(1); // back through c2 only
    expect(kernels.filter((n) => n === 'Conv2DBackpropFilter')).toHaveLength(0); // no weight gradients
    result!.dispose();
    x.dispose();
  });
});

describe('smooth', () => {
  it('smooth(gradCam) is the mean of Grad-CAM over the same noisy copies; classes come from the clean images', async () => {
    const model = gapNet();
    const x = randomImages([2, 10, 10, 3], 35);
    const samples = 3;
    const noise = 0.2;
    const smoothed = await smooth(gradCam, { samples, noise, seed: 5 })(model, x, { relu: false, batchSize: 4 });
    const clean = await gradCam(model, x);
    expect(smoothed.classes).toEqual(clean.classes);
    // The same copies smooth makes: N(0, 1) noise of seed 5, scaled by noise · (max - min) per image.
    const copies = tf.tidy(() => {
      const eps = tf.randomNormal([2, samples, 10, 10, 3], 0, 1, 'float32', 5);
      const range = tf.sub(tf.max(x, [1, 2, 3]), tf.min(x, [1, 2, 3])).reshape([2, 1, 1, 1, 1]);
      return tf.add(tf.expandDims(x, 1), tf.mul(eps, tf.mul(range, noise))).reshape([2 * samples, 10, 10, 3]);
    });
    const perCopy = await gradCam(model, copies, { relu: false, target: clean.classes!.flatMap((c) => [c, c, c]) });
    const mean = tf.tidy(() => tf.mean(perCopy.raw.reshape([2, samples, 10, 10]), 1));
    expectClose((await smoothed.raw.data()), (await mean.data()), 1e-6, 1e-4);
    for (const r of [smoothed, clean, perCopy, mean, copies, x]) r.dispose();
  });

  it('with zero noise smooth(method) is the method; progress runs to 1', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 36);
    const progress: number[] = [];
    const sg = await smooth(guidedBackprop, { samples: 4, noise: 0 })(model, x, { target: [1, 2], onProgress: (p) => progress.push(p.fraction) });
    const gb = await guidedBackprop(model, x, { target: [1, 2] });
    expectClose((await sg.attribution.data()), (await gb.attribution.data()), 1e-6, 1e-4);
    expectClose((await sg.map.data()), (await gb.map.data()), 1e-6, 1e-4);
    expect(progress[progress.length - 1]).toBe(1);
    const s = await smooth(saliency, { samples: 2, noise: 0 })(model, x, { target: 0 });
    expect(s.map.shape).toEqual([2, 8, 8]);
    for (const r of [sg, gb, s, x]) r.dispose();
  });
});

describe('the method registry', () => {
  it('names every method once, and a view gains a method by one entry', async () => {
    const names = ATTRIBUTION_METHODS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['saliency', 'smoothGrad', 'integratedGradients', 'gradCam', 'gradCamPlusPlus', 'occlusion']));
    freshTransport();
    const model = smallCnn();
    const image = randomImages([1, 8, 8, 2], 37);
    const brightness: AttributionMethod = {
      name: 'brightness',
      title: 'Brightness',
      kind: 'heatmap',
      run: async (_m, images) => {
        const map = tf.tidy(() => tf.mean<tf.Tensor3D>(images.reshape([-1, 8, 8, 2]), 3));
        return { map, classes: null, dispose: () => map.dispose() };
      },
    };
    const before = tf.memory().numTensors;
    const view = await attributionView(model, image, { methods: ['gradCamPlusPlus', brightness], target: 1 });
    await view.ready();
    expect(view.get('error')).toBe('');
    expect(view.get('titles')).toEqual(['Grad-CAM++', 'Brightness']);
    const values = new Float32Array(view.get('values').slice().buffer);
    const expected = await readValues(() => tf.mean(image, 3));
    expectClose(values.slice(64), expected, 1e-6, 1e-5);
    view.close();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });
});
