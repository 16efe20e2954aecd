/**
 * Every control's initial state matches the ipywidgets 8 model spec
 * (test/fixtures/jupyter-widgets-schema/jupyterwidgetmodels.subset.json): same keys, same
 * defaults, child models of the right kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lens from '../../kernel-lib/ipywidgets';
import { freshTransport } from './frontend';

interface SpecAttr { name: string; type: string; default: unknown; widget?: string }
interface SpecModel { model: { name: string; module: string; version: string }; view: { name: string; module: string; version: string }; attributes: SpecAttr[] }

const spec: SpecModel[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/jupyter-widgets-schema/jupyterwidgetmodels.subset.json'), 'utf8'),
);

const makers: Record<string, () => lens.Widget<any>> = {
  IntSliderModel: () => new lens.IntSlider(),
  FloatSliderModel: () => new lens.FloatSlider(),
  FloatLogSliderModel: () => new lens.FloatLogSlider(),
  IntRangeSliderModel: () => new lens.IntRangeSlider(),
  DropdownModel: () => new lens.Dropdown({ options: [] }),
  ToggleButtonsModel: () => new lens.ToggleButtons({ options: [] }),
  CheckboxModel: () => new lens.Checkbox(),
  ButtonModel: () => new lens.Button(),
  TextModel: () => new lens.Text(),
  LabelModel: () => new lens.Label(),
  HTMLModel: () => new lens.HTML(),
  ImageModel: () => new lens.Image(),
  IntProgressModel: () => new lens.IntProgress(),
  PlayModel: () => new lens.Play(),
  HBoxModel: () => new lens.HBox(),
  VBoxModel: () => new lens.VBox(),
  TabModel: () => new lens.Tab(),
  OutputModel: () => new lens.Output(),
  LayoutModel: () => new lens.Layout(),
};
for (const name of Object.keys(lens.STYLE_DEFAULTS)) makers[name] = () => new lens.Style(name as lens.StyleModelName);
const pair = () => [new lens.Play(), new lens.IntSlider()] as const;
makers.LinkModel = () => { const [a, b] = pair(); return lens.jslink([a, 'value'], [b, 'value']); };
makers.DirectionalLinkModel = () => { const [a, b] = pair(); return lens.jsdlink([a, 'value'], [b, 'max']); };

/** ipywidgets computes these defaults at construction, unlike the static trait default in the spec. */
const computedDefaults: Record<string, Record<string, unknown>> = {
  IntRangeSliderModel: { value: [25, 75] },
};
/** Links have no meaningful default: their (widget, key) pairs are checked separately. */
const linkKeys = new Set(['source', 'target']);

describe('model state follows the ipywidgets 8 spec', () => {
  beforeAll(() => freshTransport());

  it('covers every model the spec subset lists', () => {
    expect(spec.map((m) => m.model.name).sort()).toEqual(Object.keys(makers).sort());
  });

  for (const m of spec) {
    it(`${m.model.name}: same keys and defaults`, () => {
      const w = makers[m.model.name]();
      const state = w.getState() as Record<string, unknown>;
      expect(Object.keys(state).sort()).toEqual(m.attributes.map((a) => a.name).sort());
      for (const a of m.attributes) {
        const v = state[a.name];
        if (a.type === 'reference') {
          const expected = a.widget === 'Layout' ? 'LayoutModel' : `${a.widget}Model`;
          expect([a.name, (v as lens.Widget<any>).get('_model_name')]).toEqual([a.name, expected]);
        } else if (m.model.name.includes('Link') && linkKeys.has(a.name)) {
          expect((v as unknown[])[0]).toBeInstanceOf(lens.Widget);
          expect(typeof (v as unknown[])[1]).toBe('string');
        } else if (a.type === 'bytes') {
          expect(v).toEqual(new Uint8Array(0));
        } else {
          const want = computedDefaults[m.model.name]?.[a.name] ?? a.default;
          expect([a.name, v]).toEqual([a.name, want]);
        }
      }
      expect(state._view_module).toBe(m.view.module);
      expect(state._view_name).toBe(m.view.name);
      w.close();
    });
  }
});
