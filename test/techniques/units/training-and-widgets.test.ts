/**
 * Training snapshots and diagnostics: N epochs give N snapshots (plus mid-epoch ones with
 * everyBatches, plus the initial one on request), recorded kernels equal the layer's weights at
 * that moment, dead units and weight norms match a direct computation, the high-frequency energy
 * equals a brute-force DFT, errors and leaks.
 * The UnitExplorer's and EpochSlider's kernel sides against the offline transport: unit tiles are
 * each unit's top patch, clicking a unit (a frontend update) sends its top-k patches, source images
 * and clipped boxes equal to maxActivatingPatches', the probe's maps and field geometry are sent;
 * the slider has one frame per epoch with the recorded filters and the diagnostics; bad frontend
 * values are rejected, and closing frees every tensor.
 */
import { tf } from '../../../kernel-lib/tf';
import { train } from '../../../kernel-lib/models/train';
import { highFrequencyFraction, maxActivatingPatches, trainingSnapshots } from '../../../kernel-lib/techniques/units';
import { epochSlider } from '../../../kernel-lib/widgets/epoch-slider';
import { kernelFilters } from '../../../kernel-lib/widgets/filter-tiles';
import { stackTiles } from '../../../kernel-lib/widgets/tiles';
import { unitExplorer } from '../../../kernel-lib/widgets/unit-explorer';
import { expectError } from '../../data/helpers';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../../widgets-kernel/frontend';
import { randomImages, setupBackend, smallCnn } from '../models';

beforeAll(setupBackend);

test('UnitExplorer: units, the selected unit\'s patches and sources, the probe, errors, no leaks', async () => {
  const t = freshTransport();
  const model = smallCnn(8, 3, 3);
  const images = randomImages([10, 8, 8, 3], 41);
  const probe = images.slice([2], [1]);
  const before = tf.memory().numTensors;
  const ex = await unitExplorer(model, 'c2', images, { units: [0, 2, 3], k: 4, probe, batchSize: 3 });
  const open = openOf(t, ex).data as { state: Record<string, unknown> };
  expect(open.state._view_name).toBe('UnitExplorerView');
  expect(ex.get('unit_indices')).toEqual([0, 2, 3]);
  expect(ex.get('selected')).toBe(0);
  // c2 after a 2x2 pool of a 3x3 conv: field 3 + 2 + 2*2 = 8 px, stride 2.
  expect(ex.get('field_size')).toEqual([8, 8]);
  expect(ex.get('field_stride')).toEqual([2, 2]);
  expect(ex.get('patch_shape')).toEqual([4, 8, 8]);
  expect(ex.get('source_shape')).toEqual([4, 8, 8]);
  expect(ex.get('map_shape')).toEqual([3, 4, 4]);
  expect(ex.get('probe_shape')).toEqual([1, 8, 8]);

  // Clicking unit 3 sends its patches: the same bytes as tiles of maxActivatingPatches' result.
  await frontendUpdate(t, ex, { selected: 3 });
  await ex.ready();
  const ref = await maxActivatingPatches(model, 'c2', images, { units: [3], k: 4 });
  const refStack = tf.tidy(() => ref.patches.reshape<tf.Tensor4D>([4, 8, 8, 3]));
  expect(Array.from(ex.get('patches'))).toEqual(Array.from((await stackTiles(refStack, { normalize: 'all' })).images));
  expect(ex.get('source_boxes')).toEqual(ref.top[0].map((p) => [Math.max(0, p.box[0]), Math.max(0, p.box[1]), Math.min(8, p.box[2]), Math.min(8, p.box[3])]));
  expect(ex.get('patch_labels')[0]).toMatch(new RegExp(`^#1: .* \\(image ${ref.top[0][0].image}, at ${ref.top[0][0].y}, ${ref.top[0][0].x}\\)$`));
  refStack.dispose();
  ref.dispose();

  const errors = await collectErrors(() => frontendUpdate(t, ex, { selected: 1 }));
  expect(errors.join('\n')).toMatch(/selected must be null or one of the shown units \(0, 2, 3\); got 1/);
  expect(ex.get('selected')).toBe(3);
  await frontendUpdate(t, ex, { selected: null });
  await ex.ready();
  expect(ex.get('patch_shape')).toEqual([0, 0, 0]);

  ex.close();
  expect(tf.memory().numTensors).toBe(before);
  await expect(unitExplorer(model, 'c2', images, { units: [0], selected: 2 })).rejects.toThrow(/selected must be one of the units searched \(0\); got 2/);
  await expect(unitExplorer(model, 'c2', images, { probe: images })).rejects.toThrow(/probe must be one image/);
  await expect(unitExplorer(model, 'c2', images, { tileSize: 600 })).rejects.toThrow(/tileSize must be a number in \[8, 512\]; got number 600/);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([images, probe]);
  model.dispose();
});

test('EpochSlider: N epochs give N frames of filters and probe maps, diagnostics series, frame checks, no leaks', async () => {
  const t = freshTransport();
  const model = smallCnn(8, 3, 3);
  const x = randomImages([12, 8, 8, 3], 43);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32');
  const snaps = trainingSnapshots(model, { layers: ['c1'], probe: x.slice([0], [4]) });
  await train(model, { x, y }, snaps.trainOptions({ epochs: 3, batchSize: 6 }));
  const before = tf.memory().numTensors;
  const slider = await epochSlider(snaps, 'c1');
  expect(openOf(t, slider).data.state._view_name).toBe('EpochSliderView');
  expect(slider.get('labels')).toEqual(['epoch 1', 'epoch 2', 'epoch 3']);
  expect(slider.frame).toBe(2);
  // 4 filters 3x3 per snapshot; 4 probe maps 8x8 per snapshot.
  expect([slider.get('filter_count'), ...slider.get('filter_shape')]).toEqual([4, 12, 3, 3]);
  expect([slider.get('map_count'), ...slider.get('map_shape')]).toEqual([4, 12, 8, 8]);
  // Frame 1's tiles are the tiles of the epoch-2 kernel.
  const stack = tf.tidy(() => kernelFilters('Conv2D', snaps.snapshots[1].kernels.c1));
  const tiles = await stackTiles(stack, { normalize: 'each' });
  stack.dispose();
  const frameBytes = 4 * 3 * 3 * 4;
  expect(Array.from(slider.get('filters').subarray(frameBytes, 2 * frameBytes))).toEqual(Array.from(tiles.images));
  const table = await snaps.diagnostics();
  const names = slider.get('series_names');
  expect(names).toEqual(['dead units (fraction of the probe set)', 'high-frequency energy (> 0.25 cycles/px)', 'aliased energy (> 1/(2 × stride 1))', 'mean filter norm', 'loss', 'accuracy']);
  expect(slider.get('series')[names.indexOf('loss')]).toEqual(table.map((d) => d.loss));
  const errors = await collectErrors(() => frontendUpdate(t, slider, { frame: 3 }));
  expect(errors.join('\n')).toMatch(/frame must be an integer in \[0, 2\]; got number 3/);
  await frontendUpdate(t, slider, { frame: 0 });
  expect(slider.frame).toBe(0);
  slider.close();
  expect(tf.memory().numTensors).toBe(before);
  await expect(epochSlider(snaps, 'c2')).rejects.toThrow(/layer "c2" was not recorded; recorded layers: c1/);
  // Options are named as the caller wrote them (the state keys are for the page).
  await expect(epochSlider(snaps, 'c1', { intervalMs: 5 })).rejects.toThrow(/intervalMs must be an integer in \[16, 60000\]; got number 5/);
  await expect(epochSlider(snaps, 'c1', { frame: 9 })).rejects.toThrow(/frame must be an integer in \[0, 2\]; got number 9/);
  await expect(epochSlider(snaps, 'c1', { tileSize: 4 })).rejects.toThrow(/tileSize must be an integer in \[8, 512\]; got number 4/);
  expect(tf.memory().numTensors).toBe(before);
  snaps.dispose();
  tf.dispose([x, y]);
  model.dispose();
});

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
