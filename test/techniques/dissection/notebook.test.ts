/**
 * notebooks/09-dissection.ipynb executes headless on the real convlens kernel (`nbconvert
 * --execute`, CONVLENS_CI=1: 160 concept images, 2 training epochs) on the shipped shapes-cnn:
 * its printed results hold together (the headline, detector counts falling with the threshold,
 * three layers compared, one row per training snapshot, two architectures compared, the
 * constructed redness unit named red, the clear error for a dense layer) and the saved widget
 * state holds the DissectionHistogram with the selected concept's top images and the three
 * DissectionComparisons (layers, snapshots, architectures).
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('09-dissection.ipynb executes on the shipped shapes-cnn', () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '09-dissection.ipynb', 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  const headline = /shapes-cnn conv3: (\d+)\/64 units with IoU > 0.04/.exec(text);
  expect(headline).not.toBeNull();
  const counts = [...text.matchAll(/IoU > [\d.]+: (\d+) detectors/g)].map((m) => Number(m[1]));
  expect(counts).toHaveLength(6);
  for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
  expect(counts[2]).toBe(Number(headline![1]));
  expect(text.match(/^epoch \d+ .*: \d+\/64 detectors/gm)).toHaveLength(3);
  expect(text).toMatch(/unit \d+ across training: .* → .* → /);
  expect(text).toMatch(/^shapes-cnn architecture, conv3: \d+\/64 detectors; unique/m);
  expect(text).toMatch(/^stride-2 convs, s3: \d+\/64 detectors; unique/m);
  expect(text).toMatch(/constructed redness unit: best concept colour\/red, IoU 0\.[5-9]/);
  expect(text).toMatch(/layer "probs" outputs shape \[1?\d*, ?8\]; dissection needs a spatial layer/);
  expect(text).toMatch(/^unit,category,label,score,threshold$/m);

  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const hist = models.find((m) => m.model_name === 'DissectionHistogramModel');
  expect(hist.state.units).toBe(64);
  expect(hist.state.best_iou).toHaveLength(64);
  expect(hist.buffers.map((b: any) => b.path[0]).sort()).toEqual(['iou', 'unit_images']);
  expect(text.match(/^shapes_cnn\/conv\d: \d+\/\d+ detectors; unique/gm)).toHaveLength(3);
  const comparisons = models.filter((m) => m.model_name === 'DissectionComparisonModel');
  expect(comparisons.map((m) => m.state.labels.length).sort()).toEqual([2, 3, 3]); // saved state keeps no order
  if (Number(headline![1]) > 0) {
    expect(hist.state.selected_concept).toBeGreaterThanOrEqual(0);
    expect(hist.state.unit_images_shape[0]).toBe(5 * hist.state.shown_units.length);
  }
}, 600_000);
