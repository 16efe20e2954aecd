/**
 * The feature-space lecture executes headless on the real convlens kernel (`nbconvert --execute`)
 * on the shipped fashion-cnn and 500 Fashion-MNIST test images (CONVLENS_CI=1), and its printed
 * checks hold: fc1 neighbours share the query's class more often than pixel neighbours, t-SNE's
 * KL divergence falls, the 2-D t-SNE map of the features separates classes clearly better than
 * the map of the pixels, the UMAP cell prints its map's accuracy, the grid places its images,
 * nothing leaks, the neighbours view is saved with its first neighbours, and the perplexity
 * slider's first t-SNE run shows its map.
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('03-feature-space', () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '03-feature-space.ipynb', 300);
  expect(outputs.filter((o: { output_type: string }) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/streamed 500 images/);
  expect(text).toMatch(/same class among 8 neighbours: pixels [\d.]+%, fc1 [\d.]+% \(features better: true\)/);
  expect(text).toMatch(/KL [\d.]+ → [\d.]+ \(fell: true\)/);
  expect(text).toMatch(/features clearly better: true/);
  expect(text).toMatch(/UMAP of fc1 \(\d+ epochs\): 10-NN accuracy in the 2-D map [\d.]+%, trustworthiness [\d.]+/);
  expect(Number(/trustworthiness of the fc1 map \(k = 10\): ([\d.]+)/.exec(text)![1])).toBeGreaterThan(0.9);
  expect(text).toMatch(/grid 16x16: 256 images placed/);
  expect(text).toMatch(/nothing leaked: true/);
  // The neighbours view is saved with its first result (a static page shows it without a kernel).
  const saved = Object.values<any>(nb.metadata.widgets['application/vnd.jupyter.widget-state+json'].state);
  expect(saved.filter((m) => m.model_name === 'NeighborsModel').map((m) => [m.state.query, m.state.feature_indices.length])).toEqual([[12, 8]]);
  // The perplexity slider's first run printed into its Output area, without an error.
  const captured = saved.filter((m) => m.model_name === 'OutputModel').flatMap((m) => m.state.outputs ?? []);
  expect(captured.filter((o) => o.output_type === 'error')).toEqual([]);
  expect(JSON.stringify(captured)).toMatch(/perplexity 30: KL [\d.]+, 10-NN accuracy in the map [\d.]+%/);
}, 900_000);
