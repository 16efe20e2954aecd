/**
 * The feature-space lecture executes headless on the real convlens kernel (`nbconvert --execute`)
 * on the shipped fashion-cnn and 500 Fashion-MNIST test images (CONVLENS_CI=1), and its printed
 * checks hold: fc1 neighbours share the query's class more often than pixel neighbours, t-SNE's
 * KL divergence falls, the 2-D t-SNE map of the features separates classes clearly better than
 * the map of the pixels, the UMAP cell prints its map's accuracy, the grid places its images,
 * nothing leaks.
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('03-feature-space', () => {
  const { outputs, text } = executeNotebook(prefix(), '03-feature-space.ipynb', 300);
  expect(outputs.filter((o: { output_type: string }) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/streamed 500 images/);
  expect(text).toMatch(/same class among 8 neighbours: pixels [\d.]+%, fc1 [\d.]+% \(features better: true\)/);
  expect(text).toMatch(/KL [\d.]+ → [\d.]+ \(fell: true\)/);
  expect(text).toMatch(/features clearly better: true/);
  expect(text).toMatch(/UMAP of fc1 \(\d+ epochs\): 10-NN accuracy in the 2-D map [\d.]+%, trustworthiness [\d.]+/);
  expect(Number(/trustworthiness of the fc1 map \(k = 10\): ([\d.]+)/.exec(text)![1])).toBeGreaterThan(0.9);
  expect(text).toMatch(/grid 16x16: 256 images placed/);
  expect(text).toMatch(/nothing leaked: true/);
}, 900_000);
