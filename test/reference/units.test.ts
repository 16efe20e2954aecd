/**
 * Max patches and activation maps against PyTorch (test/reference/torch_reference.py: the shipped
 * models rebuilt in float64, a brute-force stable sort over every (image, row, column) per unit and
 * receptive-field crops from the layer configs) on real data, on the active backend.
 *
 * Agreement rule: values to 1e-5 of the unit's largest value; the position at rank r must equal
 * the reference's unless the reference's value at r is within that tolerance of a neighbour's (a
 * float32 near-tie may order either way); exact ties (equal float64 values, e.g. zeros) must
 * follow the documented order (earliest position first), and so must match exactly; each patch
 * equals the reference's crop at the same position bit for bit (both copy input pixels).
 * 24 images per model by default; CONVLENS_REFERENCE_IMAGES sets fewer.
 */
import { tf } from '../../kernel-lib/tf';
import { loadFashionMnist, shapesDataset } from '../../kernel-lib/data';
import { loadModel, zooEntry } from '../../kernel-lib/models';
import { activationMaps, maxActivatingPatches } from '../../kernel-lib/techniques/units';
import { referenceAvailable, torchReference, type ReferenceImages, type ReferenceResult } from './torch-reference';
import { setupBackend } from '../techniques/models';

const K = 9;
/** Images per model (CI's passes on the slow cpu and webgpu backends set CONVLENS_REFERENCE_IMAGES=2). */
const N = Number(process.env.CONVLENS_REFERENCE_IMAGES ?? 24);

interface Case { layer: string; units?: number[] }

async function check(name: 'fashion-cnn' | 'shapes-cnn', images: tf.Tensor4D, refImages: ReferenceImages, cases: Case[]): Promise<void> {
  const model = await loadModel(name);
  try {
    const reference: ReferenceResult = await torchReference({
      model: zooEntry(name).dir,
      images: refImages,
      targets: Array.from({ length: images.shape[0] }, () => 0),
      cases: cases.flatMap((c) => [
        { id: `acts ${c.layer}`, method: 'layerActivations', options: { layer: c.layer } },
        { id: `top ${c.layer}`, method: 'maxPatches', options: { layer: c.layer, units: c.units, k: K, fill: 0 } },
      ]),
    });
    for (const c of cases) {
      // Activation maps.
      const a = activationMaps(model, c.layer, images);
      const acts = await a.maps.data();
      a.dispose();
      const refActs = reference.maps[`acts ${c.layer}`];
      const scale = refActs.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      let worst = 0;
      refActs.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - acts[i]))));
      expect(worst / scale).toBeLessThan(1e-5);

      // Top-k, batched small so the running merge and cross-batch ties are exercised.
      const before = tf.memory().numTensors;
      const top = await maxActivatingPatches(model, c.layer, images, { units: c.units, k: K, batchSize: 5 });
      const patches = await top.patches.data();
      const [u, k, sh, sw, ch] = top.patches.shape;
      top.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const ref = reference.maps[`top ${c.layer}`];
      expect(ref.shape).toEqual([u, k, 4 + sh * sw * ch]);
      const row = ref.shape[2];
      let compared = 0;
      for (let i = 0; i < u; i++) {
        const unitScale = Math.max(1e-12, Math.abs(ref.values[i * k * row]));
        const tol = 1e-5 * unitScale;
        for (let r = 0; r < k; r++) {
          const base = (i * k + r) * row;
          const [value, image, y, x] = Array.from(ref.values.subarray(base, base + 4));
          const got = top.top[i][r];
          expect(Math.abs(got.value - value)).toBeLessThanOrEqual(tol);
          const near = (j: number) => j >= 0 && j < k && Math.abs(ref.values[(i * k + j) * row] - value) <= tol && ref.values[(i * k + j) * row] !== value;
          if (near(r - 1) || near(r + 1)) continue;
          expect([got.image, got.y, got.x]).toEqual([image, y, x]);
          const crop = ref.values.subarray(base + 4, base + row);
          const mine = patches.subarray((i * k + r) * sh * sw * ch, (i * k + r + 1) * sh * sw * ch);
          let diff = 0;
          crop.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - mine[j]))));
          expect(diff).toBe(0);
          compared++;
        }
      }
      // Nearly every rank is compared (near-ties are rare).
      expect(compared).toBeGreaterThan(0.9 * u * k);
    }
  } finally {
    model.dispose();
  }
}

beforeAll(setupBackend);

test('shapes-cnn: activation maps, top-9 positions and crops equal PyTorch brute force (conv1, pool1, conv2, conv3)', async () => {
  const available = await referenceAvailable();
  expect(available).toEqual({ ok: true, reason: expect.any(String) });
  const shapes = await shapesDataset({ n: N, seed: 11 });
  try {
    await check('shapes-cnn', shapes.images, { tensor: shapes.images }, [
      { layer: 'conv1' },
      { layer: 'pool1', units: [0, 3, 7] },
      { layer: 'conv2', units: [0, 5, 9, 31] },
      { layer: 'conv3', units: [1, 2, 40, 63] },
    ]);
  } finally {
    shapes.images.dispose();
    shapes.labels.dispose();
  }
});

test('fashion-cnn: activation maps, top-9 positions and crops equal PyTorch brute force (conv1, conv2)', async () => {
  const fashion = await loadFashionMnist({ split: 'test', limit: N });
  try {
    await check('fashion-cnn', fashion.images, { tensor: fashion.images }, [
      { layer: 'conv1', units: [0, 1, 2, 3, 4, 5, 6, 7] },
      { layer: 'conv2', units: [0, 10, 20, 63] },
    ]);
  } finally {
    fashion.dispose();
  }
});
