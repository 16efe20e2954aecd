/**
 * Bases of the visible widgets: `DOMWidget` (a view with a Layout, DOM classes, tooltip),
 * `DescriptionWidget` (a control with a description label and a Style), and `ValueWidget`
 * (a description widget whose state has a `value`).
 */
import { Layout, type LayoutProps } from './layout';
import type { IdentityKey, ModelIdentity } from './protocol';
import { Style, type StyleModelName, type StyleProps } from './style';
import { Widget, type WidgetOptions } from './widget';

/** State every DOM widget has (DOMWidgetModel of @jupyter-widgets/base 2.0.0). */
export interface DOMWidgetState extends ModelIdentity {
  _dom_classes: string[];
  layout: Layout;
  tabbable: boolean | null;
  tooltip: string | null;
}

/** State of controls with a description and a style model. */
export interface DescriptionWidgetState<N extends StyleModelName = 'DescriptionStyleModel'> extends DOMWidgetState {
  description: string;
  description_allow_html: boolean;
  style: Style<N>;
}

/** Style model name of a state type. */
export type StyleNameOf<S> = S extends { style: Style<infer N> } ? N : never;

/**
 * What users pass to a control's constructor: any non-identity state key, plus `layout` and
 * `style` either as models or as plain property objects (e.g. `{ layout: { width: '50%' } }`).
 */
export type ControlInit<S> = { [K in Exclude<keyof S, IdentityKey | 'layout' | 'style'>]?: S[K] } & {
  layout?: Layout | LayoutProps;
  style?: [StyleNameOf<S>] extends [never] ? never : Style<StyleNameOf<S>> | StyleProps<StyleNameOf<S>>;
};

/** Values a DOMWidget subclass gives its base: its own keys, common keys optional. */
export type DOMWidgetValues<S extends DOMWidgetState> = Omit<S, IdentityKey | keyof DOMWidgetState> &
  Partial<Pick<S, '_dom_classes' | 'tabbable' | 'tooltip'>> & { layout?: Layout | LayoutProps };

/**
 * A widget with a view in the page. Creates its own Layout unless one is passed (a passed
 * Layout may be shared by several widgets and is not closed with them).
 */
export class DOMWidget<S extends DOMWidgetState> extends Widget<S> {
  constructor(identity: ModelIdentity, values: DOMWidgetValues<S>, options: WidgetOptions = {}) {
    const owns = [...(options.owns ?? [])];
    const given = (values as { layout?: Layout | LayoutProps }).layout;
    const layout = given instanceof Layout ? given : new Layout(given ?? {}, { transport: options.transport });
    if (!(given instanceof Layout)) owns.push(layout);
    super(
      // TypeScript cannot match spreads of the generic values against S; the keys are S's own.
      { _dom_classes: [], tabbable: null, tooltip: null, ...values, ...identity, layout } as unknown as S,
      { ...options, owns },
    );
  }

  /** The layout model of this widget. */
  get layout(): Layout {
    return this.get('layout');
  }

  /** Add a CSS class to the view. */
  addClass(name: string): this {
    if (!this.get('_dom_classes').includes(name)) this.set({ _dom_classes: [...this.get('_dom_classes'), name] } as Partial<S>);
    return this;
  }

  /** Remove a CSS class from the view. */
  removeClass(name: string): this {
    this.set({ _dom_classes: this.get('_dom_classes').filter((c) => c !== name) } as Partial<S>);
    return this;
  }
}

/** Values a DescriptionWidget subclass gives its base: as {@link DOMWidgetValues}, description and style optional. */
export type DescriptionWidgetValues<S extends DescriptionWidgetState<StyleModelName>> = Omit<DOMWidgetValues<S>, 'style' | 'description' | 'description_allow_html'> & {
  description?: string;
  description_allow_html?: boolean;
  style?: Style<StyleNameOf<S>> | StyleProps<StyleNameOf<S>>;
};

/** A control with a description and its own style model `N` (unless one is passed). */
export class DescriptionWidget<S extends DescriptionWidgetState<StyleModelName>> extends DOMWidget<S> {
  constructor(
    identity: ModelIdentity,
    styleName: StyleNameOf<S>,
    values: DescriptionWidgetValues<S>,
    options: WidgetOptions = {},
  ) {
    const owns = [...(options.owns ?? [])];
    const given = values.style;
    const style = given instanceof Style ? given : new Style(styleName, given ?? {}, { transport: options.transport });
    if (!(given instanceof Style)) owns.push(style);
    super(
      identity,
      // As above: the spread of generic values is S's own keys.
      { description: '', description_allow_html: false, ...values, style } as unknown as DOMWidgetValues<S>,
      { ...options, owns },
    );
  }

  /** The style model of this control. */
  get style(): S['style'] {
    return this.get('style');
  }
}

/** Something with a current value that reports changes: what `interact` needs of a control. */
export interface ValueControl<T> {
  /** The current value; setting it updates the control (and its views). */
  value: T;
  /** Call `cb` with each new value; returns a remover. */
  observeValue(cb: (value: T) => void): () => void;
}

/** A description widget whose state has a `value`; exposes it as a property. */
export class ValueWidget<S extends DescriptionWidgetState<StyleModelName> & { value: unknown }>
  extends DescriptionWidget<S>
  implements ValueControl<S['value']>
{
  /** The current value. Setting it sends an update (after validation). */
  get value(): S['value'] {
    return this.get('value');
  }

  set value(v: S['value']) {
    this.set({ value: v } as Partial<S>);
  }

  observeValue(cb: (value: S['value']) => void): () => void {
    return this.observe('value', (c) => cb(c.new));
  }
}
