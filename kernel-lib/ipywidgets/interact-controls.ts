/**
 * The control abbreviations of `interact`, as in ipywidgets: a number gives a slider around it,
 * `[min, max]` or `[min, max, step]` a slider over that range, a boolean a Checkbox, a string a
 * Text box, a list of options (or `[label, value]` pairs) a Dropdown; a widget is used as is.
 */
import { Checkbox } from './checkbox';
import type { ValueControl } from './dom-widget';
import { isWidget } from './registry';
import { Dropdown } from './selection';
import { FloatSlider, IntSlider } from './sliders';
import { Text } from './text';
import { propertyOf } from '../core/checks';
import type { ModelIdentity } from './protocol';
import { Widget } from './widget';

/** A control given to `interact`: a widget with a value, or an abbreviation. */
export type ControlSpec =
  | ValueControl<unknown>
  | number
  | boolean
  | string
  | readonly [number, number]
  | readonly [number, number, number]
  | ReadonlyArray<string | number | readonly [string, unknown]>;

/** The value type a control spec produces. */
export type ValueOfSpec<S> =
  S extends ValueControl<infer T>
    ? T
    : S extends number
      ? number
      : S extends boolean
        ? boolean
        : S extends string
          ? string
          : S extends ReadonlyArray<infer E>
            ? E extends readonly [string, infer V]
              ? V
              : E
            : never;

/** The values object `interact` passes to its function for a map of control specs. */
export type ValuesOf<C> = { [K in keyof C]: ValueOfSpec<C[K]> };

/** A widget that has a value (and, like the controls `interact` makes, maybe a description). */
export type ValueWidgetLike = Widget<ModelIdentity & { description?: string }> & ValueControl<unknown>;

/** True for a kernel-side widget with a value property and `observeValue`. */
function isValueWidget(spec: unknown): spec is ValueWidgetLike {
  return spec instanceof Widget && 'value' in spec && typeof propertyOf(spec, 'observeValue') === 'function';
}

function rangeAround(v: number): [number, number] {
  if (v === 0) return [0, 1];
  return v > 0 ? [-v, 3 * v] : [3 * v, -v];
}

function slider(name: string, min: number, max: number, value: number, step?: number): ValueWidgetLike {
  if (![min, max, value].every(Number.isFinite) || min > max) {
    throw new Error(`interact: control "${name}" needs finite min <= max, got [${min}, ${max}]`);
  }
  const ints = [min, max, value, step ?? 1].every(Number.isInteger);
  return ints
    ? new IntSlider({ min, max, value, step: step ?? 1, description: name })
    : new FloatSlider({ min, max, value, step: step ?? (max - min) / 100, description: name });
}

/**
 * Turn a spec into a control widget named `name`. Returns the widget and whether it was created
 * here (created widgets are closed with the interactive).
 */
export function controlFromSpec(name: string, spec: ControlSpec): { widget: ValueWidgetLike; created: boolean } {
  if (isWidget(spec)) {
    if (!isValueWidget(spec)) throw new Error(`interact: control "${name}" is a widget without a value (${spec.constructor.name})`);
    return { widget: spec, created: false };
  }
  const made = (w: ValueWidgetLike) => ({ widget: w, created: true });
  if (typeof spec === 'number') {
    const [min, max] = rangeAround(spec);
    return made(slider(name, min, max, spec));
  }
  if (typeof spec === 'boolean') return made(new Checkbox({ value: spec, description: name }));
  if (typeof spec === 'string') return made(new Text({ value: spec, description: name }));
  if (Array.isArray(spec)) {
    if ((spec.length === 2 || spec.length === 3) && spec.every((x) => typeof x === 'number')) {
      const [min, max, step] = spec;
      // ipywidgets: the middle of the range, moved down onto the step grid.
      const mid = min + (max - min) / 2;
      const value = step ? min + Math.trunc((mid - min) / step) * step : [min, max].every(Number.isInteger) ? Math.trunc(mid) : mid;
      return made(slider(name, min, max, value, step));
    }
    if (spec.length > 0) return made(new Dropdown<unknown>({ options: spec, description: name }));
  }
  throw new Error(
    `interact: cannot make a control "${name}" from ${JSON.stringify(spec)}; use a number, [min, max(, step)], a boolean, a string, a list of options or a widget`,
  );
}
