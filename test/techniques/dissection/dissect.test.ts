/**
 * Network dissection: thresholds and IoU equal a brute-force float64 PyTorch implementation of
 * Bau et al.'s definition (test/reference/dissection_reference.py) on the shipped shapes-cnn and
 * real shapes images, streamed in odd batches from a tensor and from an iterable; a unit equal to
 * a concept mask gets IoU 1 with it; a constructed colour unit is named by its colour; reports
 * and comparisons; leak-free on success, on Stop and on errors. The DissectionHistogram widget's
 * kernel side against the offline transport: its state carries the dissection, clicking a concept
 * renders the detector units' top images dimmed outside exactly the unit's upsampled thresholded
 * map, bad selections are rejected, closing frees every tensor. The DissectionComparison counts
 * what compareDissections counts.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { tf } from '../../../kernel-lib/tf';
import { shapesDataset, type ShapesDataset } from '../../../kernel-lib/data';
import { loadModel } from '../../../kernel-lib/models/zoo';
import { activations } from '../../../kernel-lib/models/activations';
import { dissect, dissection, dissectionComparison, dissectionHistogram } from '../../../kernel-lib';
import { countsPerCategory } from '../../../kernel-lib/widgets/state/dissection-comparison';
import { detectorsByConcept } from '../../../kernel-lib/widgets/state/dissection-histogram';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../../widgets-kernel/frontend';
import type { ConceptDataset } from '../../../kernel-lib/techniques/dissection';
import { expectRejection, setupBackend } from '../../data/helpers';
import { REFERENCE_PYTHON } from '../../reference/torch-reference';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '../../reference/dissection_reference.py');
const N = 13;

let ds: ShapesDataset;
let model: tf.LayersModel;

beforeAll(async () => {
  await setupBackend();
  ds = await shapesDataset({ n: N, seed: 3 });
  model = await loadModel('shapes-cnn');
});
afterAll(() => {
  ds.dispose();
  model.dispose();
});

/** Runs the brute-force reference on activations and the dataset's masks. */
async function reference(acts: tf.Tensor, data: ConceptDataset, quantile: number): Promise<{ thresholds: number[]; iou: number[][] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-dissection-'));
  const write = async (name: string, t: tf.Tensor) => {
    // float32 whatever the backend keeps (the cpu backend keeps a cast int tensor's Int32Array).
    fs.writeFileSync(path.join(dir, name), Buffer.from(Float32Array.from(await t.data()).buffer));
    return { file: name, shape: t.shape };
  };
  try {
    const categories = [];
    for (const c of data.categories) {
      const m = data.masks(c, 0, data.n);
      categories.push({ name: c, masks: await write(`${c}.f32`, m) });
      m.dispose();
    }
    const request = path.join(dir, 'request.json');
    fs.writeFileSync(request, JSON.stringify({ activations: await write('acts.f32', acts), maskSize: data.maskSize, quantile, categories }));
    await run(REFERENCE_PYTHON, [SCRIPT, request], { env: { ...process.env, OMP_NUM_THREADS: '1' } });
    return JSON.parse(fs.readFileSync(path.join(dir, 'RESULT.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.each([
  ['conv2', 0.005, 'tensor'],
  ['conv3', 0.02, 'iterable'],
])('%s, quantile %s, %s source: thresholds and IoU equal the float64 brute force', async (layer, quantile, kind) => {
  const data = dissection.conceptDataset(ds);
  const source: ConceptDataset = kind === 'tensor' ? data : {
    ...data,
    // A fresh generator per pass, in uneven batches, as a dataset streamed from disk would be.
    images: () => (function* () {
      for (const [s, e] of [[0, 5], [5, 6], [6, N]]) {
        const batch = ds.images.slice(s, e - s);
        try { yield batch; } finally { batch.dispose(); }
      }
    })(),
  };
  const before = tf.memory().numTensors;
  const d = await dissect(model, layer, source, { quantile, batchSize: 4 });
  expect(tf.memory().numTensors).toBe(before);
  const acts = await activations(model, layer, ds.images);
  const ref = await reference(acts, data, quantile);
  acts.dispose();
  expect(d.thresholds.length).toBe(ref.thresholds.length);
  d.thresholds.forEach((t, u) => expect(Math.abs(t - ref.thresholds[u])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.thresholds[u]))));
  const K = d.concepts.length;
  expect(ref.iou[0].length).toBe(K);
  let maxErr = 0;
  let nonzero = 0;
  for (let u = 0; u < d.units; u++) for (let c = 0; c < K; c++) {
    maxErr = Math.max(maxErr, Math.abs(d.iou[u * K + c] - ref.iou[u][c]));
    if (ref.iou[u][c] > 0) nonzero++;
  }
  expect(nonzero).toBeGreaterThan(d.units); // the comparison is not between empty tables
  expect(maxErr).toBeLessThan(1e-9);
}, 120_000);

/** A 1x1 linear conv model `[size, size, channels] -> units` with the given kernel (channels x units). */
function pointwise(size: number, kernel: number[][], name = 'units'): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.conv2d({ name, inputShape: [size, size, kernel.length], filters: kernel[0].length, kernelSize: 1, useBias: false })] });
  const w = tf.tensor4d(kernel.flat(), [1, 1, kernel.length, kernel[0].length]);
  m.getLayer(name).setWeights([w]);
  w.dispose();
  return m;
}

test('identity: a unit equal to a concept mask gets IoU 1 with it and is its detector', async () => {
  const data = dissection.conceptDataset(ds);
  const objects = data.masks('object', 0, N) as tf.Tensor4D; // units = the 8 object masks
  const K = objects.shape[3];
  const model = pointwise(64, Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 1 : 0))));
  const before = tf.memory().numTensors;
  // Each object covers under half of all pixels, so the top half of a 0/1 unit is its whole mask.
  const d = await dissect(model, 'units', { ...data, images: objects, imagesAt: undefined }, { quantile: 0.5 });
  expect(tf.memory().numTensors).toBe(before);
  const labels = dissection.unitLabels(d);
  const present = new Set(ds.info.map((i) => i.shape));
  for (let u = 0; u < K; u++) {
    const name = ds.concepts.object[u];
    if (!present.has(name)) continue;
    expect(labels[u]).toMatchObject({ name, category: 'object' });
    expect(labels[u].iou).toBe(1);
  }
  expect(dissection.summary(d).detectors).toBe(present.size);
  objects.dispose();
  model.dispose();
}, 60_000);

test('a constructed colour unit (R - G - B) is named red, first among units; reports and comparisons', async () => {
  const big = await shapesDataset({ n: 64, size: 32, seed: 5 }); // 32 px: cheap on the cpu backend too
  // unit 0: redness; unit 1: blueness; unit 2: nothing in particular (a constant).
  const model = pointwise(32, [[1, -1, 0], [-1, -1, 0], [-1, 1, 0]]);
  const d = await dissect(model, 'units', big, { quantile: 0.02, batchSize: 16 });
  const labels = dissection.unitLabels(d);
  expect(labels[0]).toMatchObject({ name: 'red', category: 'colour' });
  expect(labels[0].iou).toBeGreaterThan(0.5);
  expect(labels[1]).toMatchObject({ name: 'blue', category: 'colour' });
  const s = dissection.summary(d);
  expect(s.perConcept[0].units[0]).toBe(0);
  expect(s.headline).toBe(`${s.detectors}/3 units with IoU > 0.04`);
  expect(dissection.summary(d, 0.999).detectors).toBe(0);
  expect(s.perCategory.colour.unique).toBeGreaterThanOrEqual(2);
  const csv = dissection.toCSV(d).trim().split('\n');
  expect(csv[0]).toBe('unit,category,label,score,threshold');
  expect(csv[1].startsWith('0,colour,red,')).toBe(true);
  expect(JSON.parse(JSON.stringify(dissection.toJSON(d))).iou).toHaveLength(3);
  const rows = dissection.compareDissections([d, { ...d, label: 'copy' }]);
  expect(rows[1]).toMatchObject({ label: 'copy', detectors: s.detectors, uniquePerCategory: rows[0].uniquePerCategory });
  expect(dissection.unitHistory([d, d], 0).map((h) => h.concept)).toEqual(['red', 'red']);
  // Top images: the unit's peak activation, best first, equal to a direct computation.
  const peaks = await tf.tidy(() => model.predict(big.images) as tf.Tensor).max([1, 2]).array() as number[][];
  const byPeak = peaks.map((p, i) => [p[0], i]).sort((a, b) => b[0] - a[0]).slice(0, d.topImages.count).map((p) => p[1]);
  expect(Array.from(d.topImages.indices.subarray(0, d.topImages.count))).toEqual(byPeak);
  big.dispose();
  model.dispose();
}, 60_000);

// Batch sizing is the same on every backend; on SwiftShader (test:webgpu, a CPU renderer) the 256-concept IoU takes minutes.
const onSoftwareWebgpu = process.env.CONVLENS_BACKEND === 'webgpu';
(onSoftwareWebgpu ? test.skip : test)('the IoU pass batches by units + pixel concepts: a one-unit layer over many concepts stays in small batches (was one 1.2 GB batch: wasm out of bounds)', async () => {
  // 40 images, 64 x 64 masks, one pixel category of 256 concepts (pixel p of image i has label (p + i) % 256),
  // image = label / 256. Sized by the units alone, pass 2 took all 40 images at once; by units +
  // concepts it takes 2^24 / (4096 * (1 + 256)) = 15 (the notebook's 1-unit redness over 3000
  // shapes images took 3000 at once: 3 tensors of 3000 * 4096 * 25 floats).
  const n = 40, size = 64, K = 256;
  const labels = (start: number, count: number) => tf.tidy(() => tf.range(0, size * size, 1, 'int32').reshape([1, size, size]).add(tf.range(start, start + count, 1, 'int32').reshape([count, 1, 1])).mod(K).toInt());
  const counts: number[] = [];
  const data: ConceptDataset = {
    n,
    images: tf.tidy(() => labels(0, n).toFloat().div<tf.Tensor3D>(K).expandDims<tf.Tensor4D>(3)),
    categories: ['part'],
    concepts: { part: Array.from({ length: K }, (_, i) => `p${i}`) },
    imageLevel: [],
    maskSize: [size, size],
    masks: (_category, start, count) => {
      counts.push(count);
      return tf.tidy(() => tf.oneHot(labels(start, count), K).toFloat());
    },
  };
  const unit = pointwise(size, [[1]]);
  const before = tf.memory().numTensors;
  const d = await dissect(unit, 'units', data, { quantile: 0.02 });
  expect(tf.memory().numTensors).toBe(before);
  expect(Math.max(...counts)).toBe(15);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
  // Every pixel has one label; the batches change no count (a 7-image run agrees exactly).
  expect(d.counts.labelPixels.reduce((a, b) => a + b, 0)).toBe(n * size * size);
  const small = await dissect(unit, 'units', data, { quantile: 0.02, batchSize: 7 });
  expect(Array.from(small.counts.intersection)).toEqual(Array.from(d.counts.intersection));
  expect(Array.from(small.iou)).toEqual(Array.from(d.iou));
  // The notebook's case: 1 unit, shapes masks at 64 px (25 pixel concepts) -> 157 images per batch.
  expect(dissection.iouBatchSize(dissection.conceptDataset(ds), 1)).toBe(Math.floor(2 ** 24 / (64 * 64 * 26)));
  (data.images as tf.Tensor).dispose();
  unit.dispose();
}, 60_000);

test('Stop, bad arguments and non-spatial layers reject clearly and leak nothing', async () => {
  const controller = new AbortController();
  let calls = 0;
  await expectRejection(() => dissect(model, 'conv3', ds, { batchSize: 2, signal: controller.signal, onProgress: (p) => { calls++; expect(p.total).toBe(2 * N); if (p.done >= 4) controller.abort(); } }), /abort/i);
  expect(calls).toBeGreaterThan(0);
  // Stopped during the second (IoU) pass.
  const late = new AbortController();
  await expectRejection(() => dissect(model, 'conv3', ds, { batchSize: 4, signal: late.signal, onProgress: (p) => { if (p.done > N) late.abort(); } }), /abort/i);
  await expectRejection(() => dissect(model, 'probs', ds), /spatial layer/);
  await expectRejection(() => dissect(model, 'nope', ds), /nope/);
  await expectRejection(() => dissect(model, 'conv3', ds, { quantile: 1.5 }), /quantile must be a number in \(0, 1\).*1\.5/);
  await expectRejection(() => dissect(model, 'conv3', { n: 3 } as never), /dataset images must be a tensor/);
  const data = dissection.conceptDataset(ds);
  await expectRejection(() => dissect(model, 'conv3', { ...data, masks: () => tf.zeros([1, 2]) }), /masks\("object", 0, \d+\) has shape \[1, 2\]; expected/);
  // A streamed source that yields fewer images than it says.
  const short = () => (function* () { const b = ds.images.slice(0, 5); try { yield b; } finally { b.dispose(); } })();
  await expectRejection(() => dissect(model, 'conv3', { ...data, images: short }), /saw 320 activations per unit, expected 832/);
}, 60_000);

test('histogram state, concept click renders masked top images, validation, no leaks', async () => {
  const t = freshTransport();
  const ds = await shapesDataset({ n: 24, size: 32, seed: 9 });
  // unit 0 redness, unit 1 blueness, unit 2 greenness (1x1 conv on the pixels).
  const model = tf.sequential({ layers: [tf.layers.conv2d({ name: 'units', inputShape: [32, 32, 3], filters: 3, kernelSize: 1, useBias: false })] });
  const w = tf.tensor4d([1, -1, -1, -1, -1, 1, -1, 1, -1], [1, 1, 3, 3]);
  model.getLayer('units').setWeights([w]);
  w.dispose();
  const d = await dissect(model, 'units', ds, { quantile: 0.02, topImages: 4 });
  const before = tf.memory().numTensors;
  const widget = dissectionHistogram(d, { model, dataset: ds, topImages: 3 });
  await widget.ready();
  const open = openOf(t, widget).data as { state: Record<string, unknown> };
  expect(open.state._view_name).toBe('DissectionHistogramView');
  const labels = dissection.unitLabels(d);
  expect(widget.get('best_concept')).toEqual(labels.map((l) => l.concept));
  expect(widget.get('concepts')[labels[0].concept]).toBe('red');
  const byConcept = detectorsByConcept(widget.getState(), 0.04);
  expect(byConcept[labels[0].concept]).toContain(0);
  expect(dissection.summary(d).detectors).toBe(byConcept.flat().length);

  await frontendUpdate(t, widget, { selected_concept: labels[0].concept });
  await widget.ready();
  expect(widget.get('shown_units')[0]).toBe(0);
  const shape = widget.get('unit_images_shape');
  expect(shape).toEqual([3 * widget.get('shown_units').length, 32, 32]);
  // The first image of unit 0: pixels where R - G - B > T are kept, others dimmed to a quarter.
  const first = d.topImages.indices[0];
  const bytes = widget.get('unit_images');
  const expected = tf.tidy(() => {
    const img = ds.images.slice([first], [1]);
    const [r, g, b] = tf.split(img, 3, 3);
    const on = r.sub(g).sub(b).greater(d.thresholds[0]).toFloat();
    return img.mul(on.mul(0.75).add(0.25)).mul(255).round().reshape([-1, 3]);
  });
  const want = await expected.data();
  expected.dispose();
  let maxDiff = 0;
  for (let p = 0; p < 32 * 32; p++) for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(bytes[p * 4 + c] - want[p * 3 + c]));
  expect(maxDiff).toBeLessThanOrEqual(1);

  // A unit click puts that unit first.
  await frontendUpdate(t, widget, { selected_unit: 2 });
  await widget.ready();
  expect(widget.get('shown_units')[0]).toBe(2);
  const errors = await collectErrors(() => frontendUpdate(t, widget, { selected_unit: 7, iou_threshold: 2 }));
  expect(errors.join('\n')).toMatch(/must be|in \[/);
  expect(widget.get('selected_unit')).toBe(2);
  // The comparison widget counts per category what compareDissections counts, at any threshold.
  const quarter = await dissect(model, 'units', ds, { quantile: 0.1 });
  const cmp = dissectionComparison([d, quarter], { measure: 'detectors' });
  expect(openOf(t, cmp).data).toMatchObject({ state: { _view_name: 'DissectionComparisonView' } });
  for (const th of [0, 0.04, 0.2]) {
    const rows = dissection.compareDissections([d, quarter], th);
    rows.forEach((r, i) => {
      expect(countsPerCategory(cmp.getState(), i, th, 'detectors')).toEqual(d.categories.map((c) => r.detectorsPerCategory[c]));
      expect(countsPerCategory(cmp.getState(), i, th, 'unique')).toEqual(d.categories.map((c) => r.uniquePerCategory[c]));
    });
  }
  expect((await collectErrors(() => frontendUpdate(t, cmp, { measure: 'pixels' }))).join('\n')).toMatch(/measure must be one of 'unique', 'detectors'/);
  cmp.close();
  expect(() => dissectionComparison([d, { ...d, concepts: d.concepts.slice(1) }])).toThrow(/other concepts/);
  widget.close();
  expect(tf.memory().numTensors).toBe(before);
  expect(() => dissectionHistogram(d, { model })).toThrow(/both model and dataset/);
  ds.dispose();
  model.dispose();
}, 60_000);
