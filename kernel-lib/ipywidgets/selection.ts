/**
 * Single-selection controls of @jupyter-widgets/controls 2.0.0: Dropdown and ToggleButtons.
 * As in ipywidgets, only `_options_labels` and `index` are synced; the option values live in
 * the kernel and `value`/`label` are derived from `index`.
 */
import { DescriptionWidget, type ControlInit, type DescriptionWidgetState, type DescriptionWidgetValues, type StyleNameOf, type ValueControl } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity, type ModelIdentity } from './protocol';
import type { StyleModelName } from './style';
import { previewValue } from '../core/preview';

/** Options: plain values (their label is `String(value)`) or `[label, value]` pairs. */
export type SelectionOptions<T> = ReadonlyArray<T | readonly [string, T]>;

/** State keys shared by the selection controls. */
export interface SelectionState<N extends StyleModelName> extends DescriptionWidgetState<N> {
  _options_labels: string[];
  disabled: boolean;
  index: number | null;
}

/** DropdownModel state. */
export type DropdownState = SelectionState<'DescriptionStyleModel'>;

/** ToggleButtonsModel state. */
export interface ToggleButtonsState extends SelectionState<'ToggleButtonsStyleModel'> {
  button_style: 'primary' | 'success' | 'info' | 'warning' | 'danger' | '' | null;
  icons: string[];
  tooltips: string[];
}

/** Constructor argument of a selection control: options plus an initial `value` or `index`. */
export type SelectionInit<T, S> = Omit<ControlInit<S>, '_options_labels' | 'index'> & {
  options: SelectionOptions<T>;
  value?: T;
  index?: number | null;
};

function splitOptions<T>(options: SelectionOptions<T>): { labels: string[]; values: T[] } {
  if (!Array.isArray(options)) throw new Error(`options must be a list of values or [label, value] pairs, got ${previewValue(options)}`);
  const labels: string[] = [];
  const values: T[] = [];
  for (const o of options) {
    if (Array.isArray(o) && o.length === 2 && typeof o[0] === 'string') {
      labels.push(o[0]);
      values.push(o[1] as T);
    } else {
      labels.push(String(o));
      values.push(o as T);
    }
  }
  return { labels, values };
}

function indexOfValue<T>(values: T[], labels: string[], value: T): number {
  const i = values.findIndex((v) => Object.is(v, value));
  if (i < 0) throw new Error(`${previewValue(value)} is not one of the options: ${labels.join(', ')}`);
  return i;
}

/** Base of the selection controls; `T` is the type of the option values. */
export class Selection<T, S extends SelectionState<StyleModelName>> extends DescriptionWidget<S> implements ValueControl<T | null> {
  private optionValues: T[];

  constructor(identity: ModelIdentity, styleName: StyleNameOf<S>, init: SelectionInit<T, S>, extra: object) {
    const { options, value, index, ...rest } = init;
    const { labels, values } = splitOptions(options);
    const start = value !== undefined ? indexOfValue(values, labels, value) : index !== undefined ? index : labels.length > 0 ? 0 : null;
    // TypeScript cannot match a spread of the generic `rest` against the mapped base type; the keys are S's own.
    const initial = { disabled: false, ...extra, ...rest, _options_labels: labels, index: start } as unknown as DescriptionWidgetValues<S>;
    super(identity, styleName, initial);
    this.optionValues = values;
  }

  /** The selected option's value (null when nothing is selected). */
  get value(): T | null {
    const i = this.get('index');
    return i === null ? null : this.optionValues[i];
  }

  set value(v: T | null) {
    this.set({ index: v === null ? null : indexOfValue(this.optionValues, this.get('_options_labels'), v) } as Partial<S>);
  }

  /** The selected option's label (null when nothing is selected). */
  get label(): string | null {
    const i = this.get('index');
    return i === null ? null : this.get('_options_labels')[i];
  }

  /** Replace the options; keeps the selected value when it is still an option, else selects the first. */
  setOptions(options: SelectionOptions<T>): void {
    const { labels, values } = splitOptions(options);
    const current = this.value;
    const keep = values.findIndex((v) => Object.is(v, current));
    this.optionValues = values;
    this.set({ _options_labels: labels, index: keep >= 0 ? keep : labels.length > 0 ? 0 : null } as Partial<S>);
  }

  observeValue(cb: (value: T | null) => void): () => void {
    return this.observe('index', () => cb(this.value));
  }

  protected coerce(s: S): S {
    const n = s._options_labels.length;
    const i = s.index;
    if (i !== null && !(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new Error(`${this.constructor.name}.index must be null or an integer in [0, ${n - 1}] (${s._options_labels.join(', ')}), got ${i}`);
    }
    return s;
  }

  protected reprKeys(): string[] {
    return ['_options_labels', 'index', 'description'];
  }
}

/** A drop-down list. `new Dropdown({ options: ['relu', 'tanh'], value: 'tanh', description: 'act' })` */
export class Dropdown<T = string> extends Selection<T, DropdownState> {
  constructor(init: SelectionInit<T, DropdownState>) {
    super(modelIdentity(CONTROLS_MODULE, 'DropdownModel', 'DropdownView'), 'DescriptionStyleModel', init, {});
  }
}

/** A row of toggle buttons, one per option. */
export class ToggleButtons<T = string> extends Selection<T, ToggleButtonsState> {
  constructor(init: SelectionInit<T, ToggleButtonsState>) {
    super(modelIdentity(CONTROLS_MODULE, 'ToggleButtonsModel', 'ToggleButtonsView'), 'ToggleButtonsStyleModel', init, {
      button_style: '',
      icons: [],
      tooltips: [],
    });
  }
}
