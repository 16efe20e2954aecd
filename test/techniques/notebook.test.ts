/**
 * notebooks/04-which-pixels-matter.ipynb executes headless on the real convlens kernel
 * (`/usr/bin/python3 -m nbconvert --execute`) on the shipped models without errors; its printed
 * checks hold (IG completeness, CAM = Grad-CAM up to scale, clear errors) and the saved widget
 * state holds the OcclusionExplorer with a computed map and the AttributionView with its panels.
 */
import { executeNotebook, useInstalledKernel } from '../kernel/python-harness';

const prefix = useInstalledKernel();

test('04-which-pixels-matter.ipynb executes on the shipped models', () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '04-which-pixels-matter.ipynb', 240);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);

  // Integrated Gradients: Σ attributions ≈ score(x) − score(black), within 2 %.
  const completeness = [...text.matchAll(/Σ attributions (-?[\d.]+)\s+score\(x\) − score\(black\) (-?[\d.]+)/g)];
  expect(completeness.length).toBe(4);
  for (const [, sum, diff] of completeness) expect(Math.abs(Number(sum) - Number(diff))).toBeLessThanOrEqual(0.02 * Math.abs(Number(diff)) + 1e-3);
  // CAM and Grad-CAM agree on the GAP net.
  const correlations = [...text.matchAll(/correlation\(CAM, Grad-CAM\) = ([\d.]+)/g)].map((m) => Number(m[1]));
  expect(correlations.length).toBe(4);
  for (const r of correlations) expect(r).toBeGreaterThan(0.999);
  // Clear errors.
  expect(text).toMatch(/Unknown layer "conv9". The model's layers are: .*conv1 \(Conv2D/);
  expect(text).toMatch(/target class 12 is out of range/);
  // Disposing the results leaves only what the notebook still holds.
  expect(text).toMatch(/nothing leaked/);
  // Segmentation from saliency (GrabCut seeded by the map blurred 3 px) recovers the cross, heart and star.
  const ious = [...text.matchAll(/blur 3: \d+ object pixels, IoU with the true object ([\d.]+)/g)].map((m) => Number(m[1]));
  expect(ious.length).toBe(4);
  for (const iou of ious.slice(0, 3)) expect(iou).toBeGreaterThanOrEqual(0.75);

  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const explorer = models.find((m) => m.model_name === 'OcclusionExplorerModel');
  expect(explorer.state.heatmap_shape).toEqual([1, 14, 14]);
  expect(explorer.buffers.map((b: any) => b.path[0]).sort()).toEqual(['heatmap', 'image', 'values']);
  const view = models.find((m) => m.model_name === 'AttributionModel');
  expect(view.state.titles.length).toBeGreaterThanOrEqual(7);
  expect(view.state.error).toBe('');
  const panels = Buffer.from(view.buffers.find((b: any) => b.path[0] === 'panels').data, 'base64');
  expect(panels.length).toBe(view.state.titles.length * 64 * 64 * 4);
  expect(panels.some((v) => v !== 0)).toBe(true);
  expect(models.filter((m) => m.model_name === 'ImageModel').length).toBeGreaterThan(30);
}, 500_000);
