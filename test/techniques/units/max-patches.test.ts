/**
 * maxActivatingPatches and activationMaps on handcrafted nets: a planted pattern found as the top
 * patch of the unit built to detect it (crop aligned with the receptive field), ties in dataset
 * order, batching and iterable sources giving the same answer, padding crops, errors, Stop, leaks.
 * Receptive fields follow a functional graph (branches, a skip connection, dilation, a merge):
 * each unit's box equals the set of input pixels that move it on a linear all-ones net (one
 * forward pass over the 576 one-pixel images; tfjs has no gradient for dilated convs), and
 * maxActivatingPatches crops those boxes on a functional model.
 */
import { tf } from '../../../kernel-lib/tf';
import { receptiveFieldBox, receptiveFields } from '../../../kernel-lib/models/receptive-field';
import { activationMaps, cropPatches, maxActivatingPatches } from '../../../kernel-lib/techniques/units';
import { expectError, expectRejection } from '../../data/helpers';
import { setupBackend } from '../models';

beforeAll(setupBackend);

const PATTERN = [[1, -1, 1], [-1, 1, -1], [1, -1, 1]];
const PLANT = { image: 5, top: 6, left: 9 };

/** conv 'detect' (the pattern as its first filter, valid) -> 2x2 max pool -> 1x1 conv 'pick' (copies channel 0). */
function detector(): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'detect', inputShape: [16, 16, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tf.layers.conv2d({ name: 'pick', filters: 2, kernelSize: 1, activation: 'relu' }),
    ],
  });
  const k1 = tf.stack([tf.tensor2d(PATTERN), tf.fill([3, 3], 0.1)], 2).reshape([3, 3, 1, 2]);
  const k2 = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
  m.setWeights([k1, tf.zeros([2]), k2, tf.zeros([2])]);
  tf.dispose([k1, k2]);
  return m;
}

/** 12 images of low noise, the pattern planted (x 2) in image PLANT.image at (top, left). */
function planted(): tf.Tensor4D {
  return tf.tidy(() => {
    const noise = tf.randomUniform([12, 16, 16, 1], 0, 0.2, 'float32', 3);
    const mask = tf.pad(tf.mul(tf.tensor2d(PATTERN), 2), [[PLANT.top, 16 - PLANT.top - 3], [PLANT.left, 16 - PLANT.left - 3]]);
    const which = tf.oneHot(PLANT.image, 12).reshape([12, 1, 1, 1]);
    return tf.add<tf.Tensor4D>(noise, tf.mul(which, mask.reshape([1, 16, 16, 1])));
  });
}

test('a planted pattern is the top patch of its detector, layer 1 and after pooling, crop on the receptive field', async () => {
  const model = detector();
  const images = planted();
  const before = tf.memory().numTensors;
  for (const layer of ['detect', 'pick']) {
    const top = await maxActivatingPatches(model, layer, images, { units: [0], k: 3, batchSize: 4, keepImages: true });
    const best = top.top[0][0];
    expect(best.image).toBe(PLANT.image);
    const [y0, x0, y1, x1] = best.box;
    // The box is the receptive field of the unit: 3 px for 'detect', 4 px (pool of two 3 px fields) for 'pick'.
    expect([y1 - y0, x1 - x0]).toEqual(layer === 'detect' ? [3, 3] : [4, 4]);
    expect(y0 <= PLANT.top && PLANT.top + 3 <= y1 && x0 <= PLANT.left && PLANT.left + 3 <= x1).toBe(true);
    if (layer === 'detect') expect([best.y, best.x]).toEqual([PLANT.top, PLANT.left]);
    const expected = tf.tidy(() => images.slice([PLANT.image, y0, x0, 0], [1, y1 - y0, x1 - x0, 1]).reshape([y1 - y0, x1 - x0, 1]));
    const got = tf.tidy(() => top.patches.slice([0, 0], [1, 1]).reshape([y1 - y0, x1 - x0, 1]));
    expect(await got.array()).toEqual(await expected.array());
    const source = tf.tidy(() => top.images!.slice([0, 0], [1, 1]).reshape([16, 16, 1]));
    const whole = tf.tidy(() => images.slice([PLANT.image], [1]).reshape([16, 16, 1]));
    expect(await source.array()).toEqual(await whole.array());
    tf.dispose([expected, got, source, whole]);
    top.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
  images.dispose();
  model.dispose();
});

test('ties keep dataset order (image, row, column) across batches; batch size and iterable sources do not change the answer', async () => {
  const model = detector();
  // All-zero images: every activation is 0, every position ties.
  const zeros = tf.zeros([5, 16, 16, 1]);
  const tied = await maxActivatingPatches(model, 'detect', zeros, { units: [0], k: 20, batchSize: 2 });
  // Image 0 has 14 x 14 positions: the first 20 in row-major order.
  expect(tied.top[0].map((p) => [p.image, p.y, p.x])).toEqual(Array.from({ length: 20 }, (_, i) => [0, Math.floor(i / 14), i % 14]));
  tied.dispose();
  zeros.dispose();
  const images = planted();
  const whole = await maxActivatingPatches(model, 'pick', images, { k: 7 });
  const small = await maxActivatingPatches(model, 'pick', images, { k: 7, batchSize: 1 });
  const parts = [images.slice([0], [5]), images.slice([5], [7])];
  const iterable = await maxActivatingPatches(model, 'pick', parts, { k: 7, batchSize: 3, total: 12 });
  for (const other of [small, iterable]) {
    expect(other.top).toEqual(whole.top);
    expect(await other.patches.array()).toEqual(await whole.patches.array());
  }
  expect(whole.seen).toBe(12);
  tf.dispose([whole, small, iterable].flatMap((r) => [r.values, r.patches]));
  tf.dispose([...parts, images]);
  model.dispose();
});

test('ties between batches: equal maxima in a later batch never displace earlier ones', async () => {
  const model = detector();
  const images = tf.tidy(() => tf.tile(planted().slice([PLANT.image], [1]), [6, 1, 1, 1]));
  const top = await maxActivatingPatches(model, 'detect', images, { units: [0], k: 6, batchSize: 2 });
  // Six identical images: the best value ties six times, one per image, in image order.
  expect(top.top[0].map((p) => [p.image, p.y, p.x])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, PLANT.top, PLANT.left]));
  top.dispose();
  images.dispose();
  model.dispose();
});

test('crops hanging over the border are filled; exact pixel copies', async () => {
  const images = tf.range(1, 1 + 2 * 5 * 5).reshape<tf.Tensor4D>([2, 5, 5, 1]);
  const idx = tf.tensor1d([1, 0, 0], 'int32');
  const top = tf.tensor1d([-2, 3, -9], 'int32');
  const left = tf.tensor1d([-1, 4, 1], 'int32');
  const crops = cropPatches(images, idx, top, left, [3, 3], -7);
  expect(await crops.reshape([3, 3, 3]).array()).toEqual([
    [[-7, -7, -7], [-7, -7, -7], [-7, 26, 27]],
    [[20, -7, -7], [25, -7, -7], [-7, -7, -7]],
    [[-7, -7, -7], [-7, -7, -7], [-7, -7, -7]],
  ]);
  tf.dispose([images, idx, top, left, crops]);
});

test('activation maps: every channel or the chosen units, with each position\'s receptive-field box', () => {
  const model = detector();
  const images = planted();
  const single = images.slice([PLANT.image], [1]).reshape([16, 16, 1]);
  const before = tf.memory().numTensors;
  const all = activationMaps(model, 'pick', images);
  const one = activationMaps(model, 'pick', single, { units: [1] });
  expect(all.maps.shape).toEqual([12, 7, 7, 2]);
  expect(one.maps.shape).toEqual([1, 7, 7, 1]);
  expect(all.box(0, 0)).toEqual([0, 0, 4, 4]);
  expect(all.box(3, 6)).toEqual([6, 12, 10, 16]);
  expect(() => all.box(7, 0)).toThrow(/outside the 7x7 map of pick/);
  all.dispose();
  one.dispose();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([images, single]);
  model.dispose();
});

test('errors name the argument and what is allowed; Stop rejects; nothing leaks', async () => {
  const model = detector();
  const images = planted();
  await expectRejection(() => maxActivatingPatches(model, 'nope', images), /Unknown layer "nope". The model's layers are: .*detect/);
  await expectRejection(() => maxActivatingPatches(model, 'detect', images, { units: [2] }), /unit 2 is not a channel of the layer: allowed 0..1/);
  await expectRejection(() => maxActivatingPatches(model, 'detect', images, { k: 0 }), /k must be an integer in \[1, 1000\]; got number 0/);
  const empty = tf.zeros([0, 16, 16, 1]);
  await expectRejection(() => maxActivatingPatches(model, 'detect', empty), /data has no items/);
  empty.dispose();
  await expectRejection(() => maxActivatingPatches(model, 'detect', images, { batchSize: 0 }), /batchSize must be an integer >= 1/);
  const stop = new AbortController();
  await expectRejection(
    () => maxActivatingPatches(model, 'detect', images, { batchSize: 2, onProgress: (p) => p.done >= 4 && stop.abort(), signal: stop.signal }),
    /abort/i,
  );
  expectError(() => activationMaps(model, 'detect', tf.zeros([16, 16, 3])), /images must be \[N, 16, 16, 1\]/);
  images.dispose();
  model.dispose();
});

/** input 24 -> a (5x5 /2 same) -> [b (3x3 dilation 2 same), c (1x1)] -> add -> d (3x3 valid) -> pool (2x2). */
function branchy(): tf.LayersModel {
  const ones = tf.initializers.ones();
  const conv = (name: string, kernelSize: number, extra: Partial<tf.layers.Layer['getConfig']> & Record<string, unknown> = {}) =>
    tf.layers.conv2d({ name, filters: 1, kernelSize, useBias: false, kernelInitializer: ones, ...extra });
  const input = tf.input({ shape: [24, 24, 1] });
  const a = conv('a', 5, { strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const b = conv('b', 3, { dilationRate: 2, padding: 'same' }).apply(a) as tf.SymbolicTensor;
  const c = conv('c', 1).apply(a) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([c, b]) as tf.SymbolicTensor;
  const d = conv('d', 3).apply(sum) as tf.SymbolicTensor;
  const pool = tf.layers.averagePooling2d({ name: 'pool', poolSize: 2 }).apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: pool });
}

/** Per layer, the output `[576, h, w]` for the 576 one-pixel images: pixel p moves unit u iff out[p, u] != 0. */
function pixelResponses(m: tf.LayersModel, layer: string): tf.Tensor {
  const sub = tf.model({ inputs: m.inputs, outputs: m.getLayer(layer).output });
  return tf.tidy(() => tf.squeeze(sub.predict(tf.oneHot(tf.range(0, 576, 1, 'int32'), 576).toFloat().reshape([576, 24, 24, 1])) as tf.Tensor, [3]));
}

async function support(responses: tf.Tensor, unit: [number, number]): Promise<number[]> {
  const column = tf.tidy(() => responses.slice([0, unit[0], unit[1]], [576, 1, 1]).reshape([576]));
  const values = await column.data();
  column.dispose();
  let box = [24, 24, -1, -1];
  values.forEach((v, p) => {
    const [y, x] = [Math.floor(p / 24), p % 24];
    if (Math.abs(v) > 1e-9) box = [Math.min(box[0], y), Math.min(box[1], x), Math.max(box[2], y + 1), Math.max(box[3], x + 1)];
  });
  return box;
}

test('a functional net with a skip connection: fields are unions at the merge and are the pixels that move each unit', async () => {
  const m = branchy();
  const rfs = Object.fromEntries(receptiveFields(m).map((r) => [r.layer, r]));
  expect(rfs.a).toMatchObject({ size: [5, 5], stride: [2, 2] });
  expect(rfs.b).toMatchObject({ size: [13, 13], stride: [2, 2] });
  expect(rfs.c).toMatchObject({ size: [5, 5], stride: [2, 2] });
  expect(rfs.sum).toMatchObject({ size: [13, 13], stride: [2, 2] });
  expect(rfs.d).toMatchObject({ size: [17, 17], stride: [2, 2] });
  expect(rfs.pool).toMatchObject({ size: [19, 19], stride: [4, 4] });
  for (const layer of ['a', 'b', 'c', 'sum', 'd', 'pool']) {
    const responses = pixelResponses(m, layer);
    const [, h, w] = responses.shape;
    for (const unit of [[0, 0], [h - 1, w - 1], [Math.floor(h / 2), 1], [Math.floor(h / 2), Math.floor(w / 2)]] as [number, number][]) {
      const box = receptiveFieldBox(m, layer, unit);
      const full = receptiveFieldBox(m, layer, unit, { clip: false });
      const moved = await support(responses, unit);
      if (full.every((v, i) => v === box[i])) {
        // A field inside the image: exactly the pixels that move the unit.
        expect([layer, unit, box]).toEqual([layer, unit, moved]);
      } else {
        // Over the border the box is clipped; with dilation a tap in the padding can leave a
        // clipped edge row that reaches the unit through no tap: the pixels that move it lie inside.
        expect([layer, unit, moved[0] >= box[0] && moved[1] >= box[1] && moved[2] <= box[2] && moved[3] <= box[3]]).toEqual([layer, unit, true]);
      }
    }
    responses.dispose();
  }
  m.dispose();
});

test('maxActivatingPatches on the functional net crops the field of the winning unit', async () => {
  const m = branchy();
  // One bright pixel per image at different places: the unit whose field covers it most centrally wins.
  const images = tf.tidy(() => tf.oneHot(tf.tensor1d([100, 300, 413], 'int32'), 24 * 24).toFloat().reshape([3, 24, 24, 1]));
  const top = await maxActivatingPatches(m, 'd', images, { k: 1, batchSize: 2, fill: -1 });
  const [best] = top.top[0];
  const [y0, x0, y1, x1] = best.box;
  expect([y1 - y0, x1 - x0]).toEqual([17, 17]);
  expect(best.box).toEqual([...receptiveFieldBox(m, 'd', [best.y, best.x], { clip: false })]);
  // The bright pixel of the winning image lies inside its box.
  const bright = [100, 300, 413][best.image];
  const [py, px] = [Math.floor(bright / 24), bright % 24];
  expect(py >= y0 && py < y1 && px >= x0 && px < x1).toBe(true);
  const patch = (await top.patches.array());
  expect(patch[0][0][py - y0][px - x0][0]).toBe(1);
  top.dispose();
  images.dispose();
  m.dispose();
});
