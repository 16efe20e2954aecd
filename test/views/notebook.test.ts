/**
 * notebooks/01-filters-and-activations.ipynb executes headless on the real convlens kernel without errors, and its
 * saved widget state holds the FilterGrids it draws (conv1 with 32 tiles, the feature maps, and the
 * grid of the input-channel slider's first run).
 */
import { executeNotebook, useInstalledKernel } from '../kernel/python-harness';

const prefix = useInstalledKernel();

test('01-filters-and-activations.ipynb executes and saves its filter grids', () => {
  const { nb, outputs } = executeNotebook(prefix(), '01-filters-and-activations.ipynb', 180);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const grids = Object.values(saved?.state ?? {}).filter((m: any) => m.model_name === 'FilterGridModel') as any[];
  expect(grids.length).toBeGreaterThanOrEqual(2);
  expect(grids.some((g) => g.state.labels.length === 32 && g.state.image_shape[0] === 32)).toBe(true);
  // The input-channel slider's first grid: conv2's 64 filters seen through input channel 0.
  expect(grids.filter((g) => g.state.title === 'conv2, input channel 0').map((g) => g.state.image_shape[0])).toEqual([64]);
});
