/**
 * The widget state a notebook client saves (built from the kernel's comm messages the way
 * nbclient builds `metadata.widgets`) validates against @jupyter-widgets/schema's state schema,
 * binary buffers included; display bundles validate against the view schema.
 */
import type { OfflineTransport } from '../../kernel-lib/ipywidgets';
import { interact, Image, IntRangeSlider, Tab, VBox, Play, ToggleButtons, FloatLogSlider, HTML, Label, Button, progress, Layout } from '../../kernel-lib/ipywidgets';
import { freshTransport } from './frontend';
import { schemaErrors } from './schema-validate';

/** What nbclient does with comm_open / comm_msg messages that carry `state` (client.py handle_comm_msg). */
function savedWidgetState(t: OfflineTransport): any {
  const states: Record<string, Record<string, unknown>> = {};
  const buffers: Record<string, Record<string, unknown>> = {};
  for (const m of t.messages) {
    if (m.type !== 'comm_open' && m.type !== 'comm_msg') continue;
    if (!m.data || typeof m.data.state !== 'object') continue;
    states[m.commId] = { ...(states[m.commId] ?? {}), ...m.data.state };
    (m.data.buffer_paths ?? []).forEach((p: Array<string | number>, i: number) => {
      const b = m.buffers[i];
      buffers[m.commId] ??= {};
      buffers[m.commId][JSON.stringify(p)] = {
        data: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'),
        encoding: 'base64',
        path: p,
      };
    });
  }
  const state: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(states)) {
    if (!('_model_name' in s)) continue;
    state[id] = {
      model_name: s._model_name,
      model_module: s._model_module,
      model_module_version: s._model_module_version,
      state: s,
      ...(buffers[id] ? { buffers: Object.values(buffers[id]) } : {}),
    };
  }
  return { state, version_major: 2, version_minor: 0 };
}

describe('saved widget state', () => {
  it('validates against the widget-state schema, with buffers, references and captured outputs', async () => {
    const t = freshTransport();
    const img = new Image({ value: new Uint8Array([137, 80, 78, 71]), width: '64px' });
    const ui = interact(({ n, r }) => `n=${n} r=${r.join(',')}`, { n: 3, r: new IntRangeSlider({ min: 0, max: 10 }) });
    await ui.idle();
    const tab = new Tab([new VBox([img, new Label({ value: 'label' })]), new HTML({ value: '<i>x</i>' })], { titles: ['a', 'b'] });
    tab.display();
    new Play({ max: 5 }).display();
    new ToggleButtons({ options: [['small', 1], ['big', 2]] }).display();
    new FloatLogSlider({ value: 0.01, min: -4, max: 0 }).display();
    new Button({ description: 'go', layout: new Layout({ width: '80px' }) }).display();
    const bar = progress(3, { display: 'widget' });
    for (const _ of bar) void _;

    const saved = savedWidgetState(t);
    expect(schemaErrors(saved, 'state')).toBe('');
    const imgState = saved.state[img.modelId];
    expect(imgState.buffers).toEqual([{ data: Buffer.from([137, 80, 78, 71]).toString('base64'), encoding: 'base64', path: ['value'] }]);
    expect(saved.state[ui.output.modelId].state.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': "'n=3 r=2,7'" }, metadata: {} }]);

    for (const m of t.messages) {
      if (m.type === 'display_data') expect(schemaErrors(m.data['application/vnd.jupyter.widget-view+json'], 'view')).toBe('');
    }
  });

  it('the validator does reject a wrong state (the check can fail)', () => {
    expect(schemaErrors({ version_major: 2, version_minor: 0, state: { x: { model_module: 'm', state: {} } } }, 'state')).toMatch(/model_name/);
  });
});
