/**
 * convlens against an independent PyTorch implementation (test/reference/torch_reference.py, the
 * shipped models rebuilt from model.json + weights.bin in float64, each method from its paper's
 * definition) on 10 images per shipped model, on the active backend (CONVLENS_BACKEND).
 * CONVLENS_REFERENCE_IMAGES sets fewer images (CI's pass on the slow pure-JS cpu backend uses 2).
 *
 * Per image, every map must correlate with the reference at Pearson r >= 0.999 and differ from it by
 * at most the stated relative error (max |convlens - reference| / max |reference|). The logits must
 * agree to 1e-5 of their largest magnitude first, or nothing else could.
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { loadFashionMnist, shapesDataset } from '../../kernel-lib/data';
import { loadModel, zooEntry } from '../../kernel-lib/models';
import { mapAgreement, ReferenceCase, ReferenceImages, referenceAvailable, ReferenceResult, torchReference } from './torch-reference';

/** Max relative error allowed per method (float32 on the backend against float64). */
const MAX_REL_ERR: Record<string, number> = {
  logits: 1e-5,
  saliency: 2e-4,
  // 32 gradients along the path: at a few of them a ReLU or max-pool decision flips between
  // float32 and float64 (a pre-activation or a pooling near-tie within rounding of zero).
  integratedGradients: 5e-3,
  occlusion: 1e-5,
  cam: 1e-5,
  gradCam: 1e-4,
  guidedBackprop: 2e-4,
  deconvnet: 2e-4,
  guidedGradCam: 2e-4,
};
const MIN_R = 0.999;
const IMAGES = Number(process.env.CONVLENS_REFERENCE_IMAGES ?? 10);

type Method = (model: tf.LayersModel, images: tf.Tensor4D, target: number[]) => Promise<{ map: tf.Tensor; dispose(): void }>;

/** One convlens call per reference case, with the same options. */
interface Case extends ReferenceCase {
  convlens: Method;
}

function casesFor(model: tf.LayersModel, occlusion: { patchSize: number; stride: number }, gap: boolean): Case[] {
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.name);
  return [
    { id: 'saliency', method: 'saliency', convlens: (m, x, target) => lens.saliency(m, x, { target }) },
    {
      id: 'integratedGradients',
      method: 'integratedGradients',
      options: { steps: 32, baseline: 0 },
      convlens: (m, x, target) => lens.integratedGradients(m, x, { target, steps: 32, baseline: 0 }),
    },
    {
      id: 'occlusion',
      method: 'occlusion',
      options: { ...occlusion, fill: 0.5 },
      convlens: (m, x, target) => lens.occlusion(m, x, { target, ...occlusion, fill: 'gray', valueRange: [0, 1] }),
    },
    ...(gap ? [{ id: 'cam', method: 'cam', options: { relu: false }, convlens: ((m, x, target) => lens.cam(m, x, { target })) as Method }] : []),
    ...convs.map((layer) => {
      const convlens: Method = (m, x, target) => lens.gradCam(m, x, { target, layer });
      return { id: `gradCam ${layer}`, method: 'gradCam', options: { layer }, convlens };
    }),
    { id: 'guidedBackprop', method: 'guidedBackprop', convlens: (m, x, target) => lens.guidedBackprop(m, x, { target }) },
    { id: 'deconvnet', method: 'deconvnet', convlens: (m, x, target) => lens.deconvnet(m, x, { target }) },
    { id: 'guidedGradCam', method: 'guidedGradCam', convlens: (m, x, target) => lens.guidedGradCam(m, x, { target }) },
  ];
}

interface Run {
  model: string;
  cases: Case[];
  reference: ReferenceResult;
  logits: number[][];
  maps: Record<string, Float32Array>;
}

const runs: Run[] = [];
let available = { ok: false, reason: 'not checked' };
const backendName = () => tf.getBackend();

/** Compute convlens' maps while the reference runs in its own process. */
async function compare(name: 'fashion-cnn' | 'shapes-cnn', images: tf.Tensor4D, refImages: ReferenceImages, targets: number[], occlusion: { patchSize: number; stride: number }, gap: boolean): Promise<Run> {
  const model = (await loadModel(name));
  try {
    const cases = casesFor(model, occlusion, gap);
    const pending = torchReference({ model: zooEntry(name).dir, images: refImages, targets, cases: cases.map(({ id, method, options }) => ({ id, method, options })) });
    pending.catch(() => undefined); // awaited below
    const logitsT = tf.tidy(() => lens.modelLogits(model, images));
    const logits = (await logitsT.array());
    logitsT.dispose();
    const maps: Record<string, Float32Array> = {};
    for (const c of cases) {
      const r = await c.convlens(model, images, targets);
      maps[c.id] = (await r.map.data()) as Float32Array;
      r.dispose();
    }
    return { model: name, cases, reference: await pending, logits, maps };
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await initBackend({ log: false });
  available = await referenceAvailable();
  if (!available.ok) return;
  const started = Date.now();
  const fashion = await loadFashionMnist({ split: 'test', limit: IMAGES });
  const fashionTargets = Array.from(await fashion.labels.data(), Number);
  runs.push(await compare('fashion-cnn', fashion.images, { fashionMnist: { dir: fashion.source, split: 'test', indices: fashionTargets.map((_, i) => i) } }, fashionTargets, { patchSize: 6, stride: 3 }, false));
  fashion.dispose();
  const shapes = await shapesDataset({ n: IMAGES, seed: 5 });
  const shapeTargets = Array.from(await shapes.labels.data(), Number);
  runs.push(await compare('shapes-cnn', shapes.images, { tensor: shapes.images }, shapeTargets, { patchSize: 12, stride: 8 }, true));
  shapes.images.dispose();
  shapes.labels.dispose();
  const table = runs.flatMap((run) =>
    run.cases.map((c) => {
      const agreement = mapAgreement(run.maps[c.id], run.reference.maps[c.id]);
      const r = Math.min(...agreement.map((a) => a.r));
      const err = Math.max(...agreement.map((a) => a.relErr));
      return `  ${run.model.padEnd(11)} ${c.id.padEnd(20)} r >= ${r.toFixed(6)}   max rel err ${err.toExponential(2)} (allowed ${MAX_REL_ERR[c.method]})`;
    }),
  );
  console.log(
    `PyTorch reference on ${backendName()} (${available.reason}; torch ${runs.map((r) => r.reference.seconds.toFixed(1)).join(' + ')} s, ` +
      `whole comparison ${((Date.now() - started) / 1000).toFixed(1)} s), worst of ${IMAGES} images:\n${table.join('\n')}`,
  );
}, 1_200_000);

test('the PyTorch reference runs (Debian python3-torch under /usr/bin/python3)', () => {
  expect(available.reason).toMatch(/torch/);
  expect(available.ok).toBe(true);
});

describe.each(['fashion-cnn', 'shapes-cnn'])('%s', (model) => {
  const run = () => runs.find((r) => r.model === model)!;

  test('logits agree with the float64 rebuild', () => {
    const { logits, reference } = run();
    const scale = Math.max(...reference.logits.flat().map(Math.abs));
    const diff = Math.max(...logits.flatMap((row, i) => row.map((v, j) => Math.abs(v - reference.logits[i][j]))));
    expect(diff / scale).toBeLessThan(MAX_REL_ERR.logits);
  });

  test('every method agrees with PyTorch on every image', () => {
    const problems = run().cases.flatMap((c) =>
      mapAgreement(run().maps[c.id], run().reference.maps[c.id])
        .map((a, i) => ({ ...a, i }))
        .filter((a) => !(a.r >= MIN_R && a.relErr <= MAX_REL_ERR[c.method]))
        .map((a) => `${c.id} image ${a.i}: r ${a.r.toFixed(6)}, rel err ${a.relErr.toExponential(2)}`),
    );
    expect(problems).toEqual([]);
    expect(run().cases.length).toBeGreaterThanOrEqual(model === 'fashion-cnn' ? 8 : 10);
  });
});
