/**
 * Guided backpropagation and the deconvnet against hand-written backward passes (JavaScript
 * loops), and guided backprop = plain gradient on a net without ReLUs.
 */
import { tf } from '../../kernel-lib/tf';
import { deconvnet, guidedBackprop, saliency } from '../../kernel-lib/techniques';
import { expectClose, noReluNet, randomImages, setupBackend } from './models';
import { read } from '../support/read';

beforeAll(setupBackend);

const relu = (v: number) => Math.max(0, v);

/** flatten → dense(5, relu) → dense(2, softmax), seeded. */
function mlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [3, 3, 1] }),
      tf.layers.dense({ name: 'h', units: 5, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4, stddev: 0.3 }) }),
      tf.layers.dense({ name: 'o', units: 2, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }),
    ],
  });
}

/** Adjoint of a stride-1 'same' 3x3 convolution: signal g [h][w][co] back to [h][w][ci]. */
function convBackward(g: number[][][], kernel: number[][][][]): number[][][] {
  const h = g.length;
  const w = g[0].length;
  const ci = kernel[0][0].length;
  const out = Array.from({ length: h }, () => Array.from({ length: w }, () => new Array(ci).fill(0)));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let dy = 0; dy < 3; dy++)
        for (let dx = 0; dx < 3; dx++) {
          const iy = y + dy - 1;
          const ix = x + dx - 1;
          if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
          for (let c = 0; c < ci; c++) for (let co = 0; co < g[y][x].length; co++) out[iy][ix][c] += g[y][x][co] * kernel[dy][dx][c][co];
        }
  return out;
}

describe('guided backpropagation and deconvnet', () => {
  it('guided backprop on a net without ReLUs equals the plain gradient', async () => {
    const model = noReluNet();
    const x = randomImages([2, 8, 8, 2], 31);
    const g = await guidedBackprop(model, x, { target: [0, 2] });
    const s = await saliency(model, x, { target: [0, 2] });
    expectClose((await g.attribution.data()), (await s.attribution.data()), 1e-7, 1e-5);
    for (const r of [g, s, x]) r.dispose();
  });

  it('match hand-written backward passes through a dense ReLU layer', async () => {
    const model = mlp();
    const x = randomImages([1, 3, 3, 1], 32);
    const [w1, b1] = (await Promise.all(model.getLayer('h').getWeights().map((t) => t.array()))) as [number[][], number[]];
    const w2 = (await model.getLayer('o').getWeights()[0].array()) as number[][];
    const xs = Array.from((await x.data()));
    const pre = b1.map((b, j) => b + xs.reduce((s, v, i) => s + v * w1[i][j], 0));
    const back = (rule: (g: number, p: number) => number) => xs.map((_, i) => pre.reduce((s, p, j) => s + w1[i][j] * rule(w2[j][1], p), 0));
    const guided = await guidedBackprop(model, x, { target: 1 });
    expectClose((await guided.attribution.data()), back((g, p) => (p > 0 && g > 0 ? g : 0)), 1e-6, 1e-4);
    const deconv = await deconvnet(model, x, { target: 1 });
    expectClose((await deconv.attribution.data()), back((g) => relu(g)), 1e-6, 1e-4);
    const plain = await saliency(model, x, { target: 1 });
    expectClose((await plain.attribution.data()), back((g, p) => (p > 0 ? g : 0)), 1e-6, 1e-4);
    for (const r of [guided, deconv, plain, x]) r.dispose();
  });

  it('deconvnet projects one feature map: switch unpooling, ReLU on the signal, flipped filters', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c1', inputShape: [8, 8, 1], filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.randomUniform({ minval: 0.1, maxval: 1, seed: 8 }), biasInitializer: tf.initializers.constant({ value: 0.1 }) }),
        tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
        tf.layers.conv2d({ name: 'c2', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 9 }) }),
        tf.layers.flatten({}),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const x = randomImages([1, 8, 8, 1], 33);
    const sub = (name: string) => read<number[][][][]>(() => tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output }).predict(x) as tf.Tensor);
    const [a1, a2] = [(await sub('c1'))[0], (await sub('c2'))[0]];
    const w1 = (await model.getLayer('c1').getWeights()[0].array()) as number[][][][];
    const w2 = (await model.getLayer('c2').getWeights()[0].array()) as number[][][][];
    for (const position of ['all', 'max'] as const) {
      // The seed: channel 1 of c2's activations, all other channels zero (or only its peak).
      const peak = Math.max(...a2.flat().map((v) => v[1]));
      const seed = a2.map((row) => row.map((v) => [0, position === 'max' && v[1] !== peak ? 0 : v[1], 0]));
      const atPool = convBackward(seed.map((r) => r.map((v) => v.map(relu))), w2);
      // Unpool: each pooled value goes to the position of its window's maximum (the switch).
      const atC1 = Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => [0, 0]));
      for (let y = 0; y < 4; y++)
        for (let xx = 0; xx < 4; xx++)
          for (let c = 0; c < 2; c++) {
            let best = [2 * y, 2 * xx];
            for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) if (a1[2 * y + dy][2 * xx + dx][c] > a1[best[0]][best[1]][c]) best = [2 * y + dy, 2 * xx + dx];
            atC1[best[0]][best[1]][c] = atPool[y][xx][c];
          }
      const expected = convBackward(atC1.map((r) => r.map((v) => v.map(relu))), w1);
      const d = await deconvnet(model, x, { layer: 'c2', channel: 1, position });
      expect(d.channels).toEqual([1]);
      expect(d.classes).toBeNull();
      expectClose((await d.attribution.data()), expected.flat(2), 1e-5, 1e-4);
      d.dispose();
    }
    // channel 'max' picks the most active channel.
    const strongest = [0, 1, 2].reduce((best, c) => (Math.max(...a2.flat().map((v) => v[c])) > Math.max(...a2.flat().map((v) => v[best])) ? c : best), 0);
    const auto = await deconvnet(model, x, { layer: 'c2' });
    expect(auto.channels).toEqual([strongest]);
    auto.dispose();
    x.dispose();
  });
});
