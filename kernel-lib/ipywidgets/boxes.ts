/** Container widgets of @jupyter-widgets/controls 2.0.0: HBox, VBox and Tab. */
import { DOMWidget, type ControlInit, type DOMWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';
import type { Widget, WidgetOptions } from './widget';
import { previewValue } from '../core/preview';

/** BoxModel state (HBox, VBox). */
export interface BoxState extends DOMWidgetState {
  /** The child widgets, in order (sent as `IPY_MODEL_` references). */
  children: Widget[];
  box_style: 'success' | 'info' | 'warning' | 'danger' | '';
}

/** TabModel state. */
export interface TabState extends DOMWidgetState {
  children: Widget[];
  box_style: 'success' | 'info' | 'warning' | 'danger' | '';
  /** One title per child. */
  titles: string[];
  selected_index: number | null;
}

function checkChildren(name: string, children: unknown): void {
  if (!Array.isArray(children)) throw new Error(`${name}.children must be a list of widgets`);
  children.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || !('modelId' in c)) throw new Error(`${name}.children[${i}] is not a widget: ${String(c)}`);
  });
}

/** Base of the boxes: a list of children laid out in a row or a column. */
export class Box<S extends BoxState> extends DOMWidget<S> {
  /** The child widgets. */
  get children(): Widget[] {
    return this.get('children');
  }

  set children(children: Widget[]) {
    this.set({ children } as Partial<S>);
  }

  protected coerce(s: S): S {
    checkChildren(this.constructor.name, s.children);
    return s;
  }

  protected reprKeys(): string[] {
    return ['children'];
  }
}

/** Children side by side. `new HBox([slider, label])` */
export class HBox extends Box<BoxState> {
  constructor(children: Widget[] = [], init: ControlInit<BoxState> = {}, options: WidgetOptions = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'HBoxModel', 'HBoxView'), { box_style: '', ...init, children }, options);
  }
}

/** Children stacked vertically. `new VBox([controls, output])` */
export class VBox extends Box<BoxState> {
  constructor(children: Widget[] = [], init: ControlInit<BoxState> = {}, options: WidgetOptions = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'VBoxModel', 'VBoxView'), { box_style: '', ...init, children }, options);
  }
}

/** Tabs, one child per tab. `new Tab([a, b], { titles: ['Saliency', 'Grad-CAM'] })` */
export class Tab extends DOMWidget<TabState> {
  constructor(children: Widget[] = [], init: ControlInit<TabState> = {}, options: WidgetOptions = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'TabModel', 'TabView'), {
      box_style: '',
      titles: children.map(() => ''),
      selected_index: children.length > 0 ? 0 : null,
      ...init,
      children,
    }, options);
  }

  /** The child widgets. */
  get children(): Widget[] {
    return this.get('children');
  }

  protected coerce(s: TabState): TabState {
    checkChildren('Tab', s.children);
    const n = s.children.length;
    if (!Array.isArray(s.titles) || s.titles.length > n) throw new Error(`Tab.titles must be a list of at most ${n} strings (one per child), got ${previewValue(s.titles)}`);
    s.titles = [...s.titles, ...new Array<string>(n - s.titles.length).fill('')];
    const i = s.selected_index;
    if (i !== null && !(Number.isInteger(i) && i >= 0 && i < n)) throw new Error(`Tab.selected_index must be null or in [0, ${n - 1}], got ${i}`);
    return s;
  }

  protected reprKeys(): string[] {
    return ['titles', 'selected_index'];
  }
}
