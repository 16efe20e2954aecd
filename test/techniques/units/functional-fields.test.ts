/**
 * Receptive fields follow a functional graph (branches, a skip connection, dilation, a merge):
 * each unit's box equals the set of input pixels that move it on a linear all-ones net (one
 * forward pass over the 576 one-pixel images; tfjs has no gradient for dilated convs), and
 * maxActivatingPatches crops those boxes on a functional model.
 */
import { tf } from '../../../kernel-lib/tf';
import { receptiveFieldBox, receptiveFields } from '../../../kernel-lib/models/receptive-field';
import { maxActivatingPatches } from '../../../kernel-lib/techniques/units';
import { setupBackend } from '../models';

beforeAll(setupBackend);

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
