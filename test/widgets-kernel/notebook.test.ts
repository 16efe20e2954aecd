/**
 * notebooks/00-widgets.ipynb runs headless on the real convlens kernel
 * (`/usr/bin/python3 -m nbconvert --to notebook --execute`), without errors, and the widget
 * state nbconvert stores in `metadata.widgets` validates against @jupyter-widgets/schema and
 * holds every control the notebook shows, the captured interact output and the image buffers.
 */
import { executeNotebook, useInstalledKernel } from '../kernel/python-harness';
import { schemaErrors } from './schema-validate';

const prefix = useInstalledKernel();

test('00-widgets.ipynb executes and saves schema-valid widget state', () => {
  const { nb, outputs } = executeNotebook(prefix(), '00-widgets.ipynb', 120);
  expect(nb.metadata.kernelspec.name).toBe('convlens');
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);

  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  expect(saved).toBeDefined();
  expect(schemaErrors(saved, 'state')).toBe('');

  const models = new Set(Object.values(saved.state).map((m: any) => m.model_name));
  for (const name of ['IntSlider', 'FloatSlider', 'FloatLogSlider', 'Link', 'IntRangeSlider', 'Dropdown', 'ToggleButtons', 'Checkbox',
    'Button', 'Text', 'Label', 'HTML', 'Image', 'IntProgress', 'Play', 'HBox', 'VBox', 'Tab', 'Output', 'Layout']) {
    expect([name, models.has(`${name}Model`)]).toEqual([name, true]);
  }
  // every displayed widget view refers to a saved model
  const views = outputs.map((o: any) => o.data?.['application/vnd.jupyter.widget-view+json']).filter(Boolean);
  expect(views.length).toBeGreaterThan(8);
  for (const v of views) {
    expect(schemaErrors(v, 'view')).toBe('');
    expect(saved.state[v.model_id]).toBeDefined();
  }
  // images are saved as base64 buffers at path ["value"], and are PNGs
  const images = Object.values(saved.state).filter((m: any) => m.model_name === 'ImageModel') as any[];
  expect(images.length).toBeGreaterThanOrEqual(2);
  for (const img of images) {
    expect(img.buffers[0].path).toEqual(['value']);
    expect(Buffer.from(img.buffers[0].data, 'base64').subarray(1, 4).toString()).toBe('PNG');
  }
  // interact's Output holds what the function printed and the image it returned
  const captured = Object.values(saved.state)
    .filter((m: any) => m.model_name === 'OutputModel')
    .map((m: any) => JSON.stringify(m.state.outputs));
  expect(captured.some((o) => o.includes('box filter 7×7') && o.includes('application/vnd.jupyter.widget-view+json'))).toBe(true);
  // the progress bar finished
  const bars = Object.values(saved.state).filter((m: any) => m.model_name === 'IntProgressModel') as any[];
  expect(bars.some((b) => b.state.value === 40 && b.state.max === 40 && b.state.bar_style === 'success')).toBe(true);
}, 300_000);
