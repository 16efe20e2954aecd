/**
 * The DissectionHistogram widget, kernel side, against the offline transport: its state carries
 * the dissection (best concept and IoU per unit, the IoU table), clicking a concept renders the
 * detector units' top images with their masks (dimmed outside the mask, exactly the unit's
 * upsampled thresholded map), bad selections are rejected, closing frees every tensor.
 */
import { tf } from '../../../kernel-lib/tf';
import { shapesDataset } from '../../../kernel-lib/data';
import { dissect, dissection, dissectionHistogram } from '../../../kernel-lib';
import { detectorsByConcept } from '../../../kernel-lib/widgets/state/dissection-histogram';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../../widgets-kernel/frontend';
import { setupBackend } from '../../data/helpers';

beforeAll(setupBackend);

test('histogram state, concept click renders masked top images, validation, no leaks', async () => {
  const t = freshTransport();
  const ds = shapesDataset({ n: 24, seed: 9 });
  // unit 0 redness, unit 1 blueness, unit 2 greenness (1x1 conv on the pixels).
  const model = tf.sequential({ layers: [tf.layers.conv2d({ name: 'units', inputShape: [64, 64, 3], filters: 3, kernelSize: 1, useBias: false })] });
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
  expect(shape).toEqual([3 * widget.get('shown_units').length, 64, 64]);
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
  for (let p = 0; p < 64 * 64; p++) for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(bytes[p * 4 + c] - want[p * 3 + c]));
  expect(maxDiff).toBeLessThanOrEqual(1);

  // A unit click puts that unit first.
  await frontendUpdate(t, widget, { selected_unit: 2 });
  await widget.ready();
  expect(widget.get('shown_units')[0]).toBe(2);
  const errors = await collectErrors(() => frontendUpdate(t, widget, { selected_unit: 7, iou_threshold: 2 }));
  expect(errors.join('\n')).toMatch(/must be|in \[/);
  expect(widget.get('selected_unit')).toBe(2);
  widget.close();
  expect(tf.memory().numTensors).toBe(before);
  expect(() => dissectionHistogram(d, { model })).toThrow(/both model and dataset/);
  ds.dispose();
  model.dispose();
}, 60_000);
