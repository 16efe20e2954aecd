/**
 * notebooks/03-units.ipynb executes headless on the real convlens kernel (`nbconvert --execute`)
 * on the shipped models, short (CONVLENS_CI=1: small datasets, 2 training epochs): its printed
 * checks hold (top-9 equals a brute-force sort, clear errors, no leaks) and the saved widget state
 * holds the two UnitExplorers with patches and the two EpochSliders with one frame per snapshot.
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('03-units.ipynb executes on the shipped models', () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '03-units.ipynb', 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/conv2 top-9 positions equal a brute-force sort: true/);
  expect(text).toMatch(/Unknown layer "conv9"/);
  expect(text).toMatch(/unit 16 is not a channel of the layer: allowed 0..15/);
  expect(text).toMatch(/after 2 epochs: aliased energy large/);
  expect(text).toMatch(/nothing leaked/);
  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const explorers = models.filter((m) => m.model_name === 'UnitExplorerModel');
  expect(explorers.map((m) => m.state.unit_indices.length)).toEqual([16, 16]);
  expect(explorers.map((m) => m.state.patch_shape[0])).toEqual([9, 9]);
  const sliders = models.filter((m) => m.model_name === 'EpochSliderModel');
  expect(sliders.map((m) => m.state.labels)).toEqual([0, 1].map(() => ['epoch 0 (initial)', 'epoch 1', 'epoch 2']));
  expect(sliders[0].buffers.map((b: any) => b.path[0]).sort()).toEqual(['filters', 'maps']);
}, 600_000);
