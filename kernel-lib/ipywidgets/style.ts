/**
 * Style models of the controls (@jupyter-widgets/controls 2.0.0 `*StyleModel`, viewed by the base
 * StyleView). Each control gets its own style model by default, as ipywidgets does.
 */
import { BASE_MODULE, CONTROLS_MODULE, modelIdentity, type ModelIdentity } from './protocol';
import { Widget, type WidgetOptions } from './widget';

/** The properties of every style model in the controls package, with their defaults. */
export const STYLE_DEFAULTS = {
  DescriptionStyleModel: { description_width: '' },
  SliderStyleModel: { description_width: '', handle_color: null },
  ProgressStyleModel: { description_width: '', bar_color: null },
  ToggleButtonsStyleModel: { description_width: '', button_width: '', font_weight: '' },
  ButtonStyleModel: {
    button_color: null, font_family: null, font_size: null, font_style: null, font_variant: null,
    font_weight: null, text_color: null, text_decoration: null,
  },
  CheckboxStyleModel: { description_width: '', background: null },
  TextStyleModel: { description_width: '', background: null, font_size: null, text_color: null },
  LabelStyleModel: {
    description_width: '', background: null, font_family: null, font_size: null, font_style: null,
    font_variant: null, font_weight: null, text_color: null, text_decoration: null,
  },
  HTMLStyleModel: { description_width: '', background: null, font_size: null, text_color: null },
} as const;

/** Name of a style model. */
export type StyleModelName = keyof typeof STYLE_DEFAULTS;
/** Properties of style model `N`, e.g. `StyleProps<'SliderStyleModel'>` has `handle_color`. */
export type StyleProps<N extends StyleModelName> = { [K in keyof (typeof STYLE_DEFAULTS)[N]]?: string | null };
/** Full state of style model `N`. */
export type StyleState<N extends StyleModelName> = ModelIdentity & { [K in keyof (typeof STYLE_DEFAULTS)[N]]: string | null };

/** A style model of the controls package, e.g. `new Style('SliderStyleModel', { handle_color: 'red' })`. */
export class Style<N extends StyleModelName = StyleModelName> extends Widget<StyleState<N>> {
  /** Create style model `name` with some properties set; unknown properties are rejected. */
  constructor(readonly styleName: N, props: StyleProps<N> = {}, options: WidgetOptions = {}) {
    const defaults = STYLE_DEFAULTS[styleName];
    if (!defaults) throw new Error(`unknown style model "${styleName}"; allowed: ${Object.keys(STYLE_DEFAULTS).join(', ')}`);
    for (const k of Object.keys(props)) {
      if (!(k in defaults)) throw new Error(`${styleName} has no property "${k}"; allowed: ${Object.keys(defaults).join(', ')}`);
    }
    super(
      { ...modelIdentity(CONTROLS_MODULE, styleName, 'StyleView', BASE_MODULE), ...defaults, ...props } as StyleState<N>,
      options,
    );
  }

  protected acceptsNull(): boolean {
    return true;
  }

  protected reprKeys(): string[] {
    return Object.keys(STYLE_DEFAULTS[this.styleName]);
  }
}
