/**
 * Training snapshots and diagnostics: N epochs give N snapshots (plus mid-epoch ones with
 * everyBatches, plus the initial one on request), recorded kernels equal the layer's weights at
 * that moment, dead units and weight norms match a direct computation, the high-frequency energy
 * equals a brute-force DFT, errors and leaks.
 */
import { tf } from '../../../kernel-lib/tf';
import { train } from '../../../kernel-lib/models/train';
import { highFrequencyFraction, trainingSnapshots } from '../../../kernel-lib/techniques/units';
import { expectError } from '../../data/helpers';
import { randomImages, setupBackend, smallCnn } from '../models';

beforeAll(setupBackend);

/** Brute-force: fraction of the zero-padded (P x Q) DFT energy with max(|fy|, |fx|) > cutoff, per filter. */
function bruteForce(k: number[][][][], cutoff: number): number[] {
  const [kh, kw, cin, cout] = [k.length, k[0].length, k[0][0].length, k[0][0][0].length];
  const P = Math.max(16, 2 * kh);
  const Q = Math.max(16, 2 * kw);
  const freq = (u: number, n: number) => Math.abs((((u / n + 0.5) % 1) + 1) % 1 - 0.5);
  return Array.from({ length: cout }, (_, o) => {
    let total = 0;
    let high = 0;
    for (let u = 0; u < P; u++) for (let v = 0; v < Q; v++) {
      let e = 0;
      for (let c = 0; c < cin; c++) {
        let re = 0;
        let im = 0;
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
          const a = -2 * Math.PI * (u * y / P + v * x / Q);
          re += k[y][x][c][o] * Math.cos(a);
          im += k[y][x][c][o] * Math.sin(a);
        }
        e += re * re + im * im;
      }
      total += e;
      if (Math.max(freq(u, P), freq(v, Q)) > cutoff + 1e-9) high += e;
    }
    return total > 0 ? high / total : 0;
  });
}

test('high-frequency energy equals a brute-force DFT (3x3, 5x5x3, a zero filter; cutoffs 0.25 and aliasing at stride 2, 4)', async () => {
  const kernels = [tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 5), tf.concat([tf.randomNormal([5, 5, 3, 2], 0, 1, 'float32', 6), tf.zeros([5, 5, 3, 1])], 3)];
  const before = tf.memory().numTensors;
  for (const k of kernels) {
    const values = (await k.array()) as number[][][][];
    for (const cutoff of [0.25, 1 / 4, 1 / 8, 0]) {
      const got = highFrequencyFraction(k as tf.Tensor4D, cutoff);
      const want = bruteForce(values, cutoff);
      Array.from(await got.data()).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4));
      got.dispose();
    }
  }
  // A checkerboard is all high frequency at the Nyquist; a constant filter mostly low.
  const checker = tf.tensor4d([1, -1, 1, -1, 1, -1, 1, -1, 1], [3, 3, 1, 1]);
  const flat = tf.ones<tf.Rank.R4>([3, 3, 1, 1]);
  const [hc, hf] = [highFrequencyFraction(checker, 0.25), highFrequencyFraction(flat, 0.25)];
  expect((await hc.data())[0]).toBeGreaterThan(0.6);
  expect((await hf.data())[0]).toBeLessThan(0.2);
  tf.dispose([hc, hf, checker, flat]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(kernels);
  expectError(() => highFrequencyFraction(kernels[0] as tf.Tensor4D, 0.7), /cutoff must be a number in \[0, 0.5\]/);
});

test('N epochs give N snapshots (plus initial and every-N-batch ones), kernels and diagnostics as recorded; no leaks', async () => {
  const model = smallCnn(8, 2, 3);
  const x = randomImages([24, 8, 8, 2], 9);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32');
  const probe = x.slice([0], [6]);
  await train(model, { x, y }, { epochs: 1, batchSize: 24 }); // the optimizer's state exists from here on
  const before = tf.memory().numTensors;
  const snaps = trainingSnapshots(model, { layers: ['c1', 'c2'], probe });
  const seen: number[] = [];
  const result = await train(model, { x, y }, snaps.trainOptions({ epochs: 3, batchSize: 8, onEpoch: (r) => void seen.push(r.epoch) }));
  expect(seen).toEqual([0, 1, 2]);
  expect(snaps.snapshots.map((s) => s.label)).toEqual(['epoch 1', 'epoch 2', 'epoch 3']);
  // The last snapshot holds the trained weights; the probe maps are image 0's activations.
  const last = snaps.snapshots[2];
  expect(await last.kernels.c1.array()).toEqual(await model.getLayer('c1').getWeights()[0].array());
  const acts = tf.tidy(() => {
    const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('c2').output });
    return sub.predict(probe) as tf.Tensor4D;
  });
  const actsArr = (await acts.array());
  expect(await last.probeMaps.c2.array()).toEqual(actsArr[0]);
  const table = await snaps.diagnostics();
  expect(table).toHaveLength(3);
  expect(table[2].loss).toBe(result.history[2].loss);
  const dead = actsArr[0][0][0].map((_, u) => actsArr.every((img) => img.every((row) => row.every((px) => px[u] <= 0))));
  expect(table[2].layers.c2.deadFraction).toBeCloseTo(dead.filter(Boolean).length / dead.length, 6);
  const k = (await last.kernels.c1.array());
  const norms = k[0][0][0].map((_, o) => Math.sqrt(k.flat(2).reduce((s, px) => s + px[o] * px[o], 0)));
  expect(table[2].layers.c1.weightNorm).toBeCloseTo(norms.reduce((a, b) => a + b, 0) / norms.length, 5);
  expect(table[2].layers.c1.stride).toBe(1);
  expect(table[2].layers.c1.aliasedEnergy).toBe(0); // stride 1: nothing above the Nyquist of 0.5
  acts.dispose();
  snaps.dispose();

  // Initial plus every 2 batches (3 batches per epoch): 1 + 2 * (1 mid + 1 end).
  const more = trainingSnapshots(model, { layers: ['c1'], initial: true, everyBatches: 2 });
  await train(model, { x, y }, more.trainOptions({ epochs: 2, batchSize: 8 }));
  expect(more.snapshots.map((s) => s.label)).toEqual(['epoch 0 (initial)', 'epoch 1, batch 2', 'epoch 1', 'epoch 2, batch 2', 'epoch 2']);
  expect((await more.diagnostics())[0].layers.c1.deadFraction).toBeNull();
  more.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(() => trainingSnapshots(model, { layers: ['p1'] })).toThrow(/layer "p1" is a MaxPooling2D; filters are recorded for Conv2D layers/);
  expect(() => trainingSnapshots(model, { layers: [] })).toThrow(/layers must be a non-empty array/);
  expect(() => trainingSnapshots(model, { layers: ['c1'], everyBatches: 0 })).toThrow(/everyBatches must be an integer >= 1/);
  tf.dispose([x, y, probe]);
});
