/**
 * Slider controls of @jupyter-widgets/controls 2.0.0: IntSlider, FloatSlider, FloatLogSlider,
 * IntRangeSlider. Values are validated like ipywidgets: finite numbers, clamped into
 * [min, max] (integers rounded for the Int sliders), and min <= max.
 */
import { ValueWidget, type ControlInit, type DescriptionWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';
import { previewValue } from '../core/preview';

/** Keys every slider has. */
export interface SliderCommonState extends DescriptionWidgetState<'SliderStyleModel'> {
  behavior: 'drag-tap' | 'drag-snap' | 'tap' | 'drag' | 'snap';
  continuous_update: boolean;
  disabled: boolean;
  orientation: 'horizontal' | 'vertical';
  readout: boolean;
  readout_format: string;
}

/** IntSliderModel state. */
export interface IntSliderState extends SliderCommonState { value: number; min: number; max: number; step: number }
/** FloatSliderModel state. */
export interface FloatSliderState extends SliderCommonState { value: number; min: number; max: number; step: number | null }
/** FloatLogSliderModel state: `min`/`max`/`step` are exponents of `base`; `value` is the number itself. */
export interface FloatLogSliderState extends FloatSliderState { base: number }
/** IntRangeSliderModel state: `value` is `[lower, upper]`. */
export interface IntRangeSliderState extends SliderCommonState { value: [number, number]; min: number; max: number; step: number }

const COMMON = {
  behavior: 'drag-tap',
  continuous_update: true,
  disabled: false,
  orientation: 'horizontal',
  readout: true,
} as const;

function finite(name: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name}.${key} must be a finite number, got ${String(v)}`);
  return v;
}

/** Validate min/max/step and clamp `value` (already converted by `toRange`) into [lo, hi]. */
function checkBounds(name: string, s: { min: number; max: number; step: number | null }, integer: boolean): void {
  for (const key of ['min', 'max'] as const) {
    s[key] = finite(name, key, s[key]);
    if (integer) s[key] = Math.round(s[key]);
  }
  if (s.min > s.max) throw new Error(`${name}: min (${s.min}) must be <= max (${s.max})`);
  if (s.step !== null && !(finite(name, 'step', s.step) > 0)) throw new Error(`${name}.step must be > 0, got ${s.step}`);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** A slider for integers. `new IntSlider({ value: 3, min: 1, max: 9, description: 'kernel' })` */
export class IntSlider extends ValueWidget<IntSliderState> {
  constructor(init: ControlInit<IntSliderState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'IntSliderModel', 'IntSliderView'), 'SliderStyleModel', {
      ...COMMON, value: 0, min: 0, max: 100, step: 1, readout_format: 'd', ...init,
    });
  }

  protected coerce(s: IntSliderState): IntSliderState {
    checkBounds(this.constructor.name, s, true);
    s.value = clamp(Math.round(finite(this.constructor.name, 'value', s.value)), s.min, s.max);
    return s;
  }
}

/** A slider for floats. `new FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.01 })` */
export class FloatSlider extends ValueWidget<FloatSliderState> {
  constructor(init: ControlInit<FloatSliderState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'FloatSliderModel', 'FloatSliderView'), 'SliderStyleModel', {
      ...COMMON, value: 0, min: 0, max: 100, step: 0.1, readout_format: '.2f', ...init,
    });
  }

  protected coerce(s: FloatSliderState): FloatSliderState {
    checkBounds(this.constructor.name, s, false);
    s.value = clamp(finite(this.constructor.name, 'value', s.value), s.min, s.max);
    return s;
  }
}

/**
 * A logarithmic slider: the handle moves over exponents `min..max` of `base`; `value` is
 * `base ** exponent`. `new FloatLogSlider({ value: 1e-3, min: -6, max: 0 })` covers 1e-6..1.
 */
export class FloatLogSlider extends ValueWidget<FloatLogSliderState> {
  constructor(init: ControlInit<FloatLogSliderState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'FloatLogSliderModel', 'FloatLogSliderView'), 'SliderStyleModel', {
      ...COMMON, value: 1, min: 0, max: 4, step: 0.1, base: 10, readout_format: '.3g', ...init,
    });
  }

  protected coerce(s: FloatLogSliderState): FloatLogSliderState {
    checkBounds(this.constructor.name, s, false);
    if (!(finite(this.constructor.name, 'base', s.base) > 0) || s.base === 1) throw new Error(`FloatLogSlider.base must be > 0 and != 1, got ${s.base}`);
    s.value = clamp(finite(this.constructor.name, 'value', s.value), s.base ** s.min, s.base ** s.max);
    return s;
  }
}

/** A slider selecting an integer range `[lower, upper]`. */
export class IntRangeSlider extends ValueWidget<IntRangeSliderState> {
  constructor(init: ControlInit<IntRangeSliderState> = {}) {
    const min = init.min ?? 0;
    const max = init.max ?? 100;
    // ipywidgets' default range: the middle half of [min, max], truncated to integers.
    const value: [number, number] = [Math.trunc(0.75 * min + 0.25 * max), Math.trunc(0.25 * min + 0.75 * max)];
    super(modelIdentity(CONTROLS_MODULE, 'IntRangeSliderModel', 'IntRangeSliderView'), 'SliderStyleModel', {
      ...COMMON, value, min, max, step: 1, readout_format: 'd', ...init,
    });
  }

  protected coerce(s: IntRangeSliderState): IntRangeSliderState {
    checkBounds(this.constructor.name, s, true);
    const v = s.value;
    if (!Array.isArray(v) || v.length !== 2) throw new Error(`IntRangeSlider.value must be [lower, upper], got ${previewValue(v)}`);
    const lo = clamp(Math.round(finite(this.constructor.name, 'value[0]', v[0])), s.min, s.max);
    const hi = clamp(Math.round(finite(this.constructor.name, 'value[1]', v[1])), s.min, s.max);
    if (lo > hi) throw new Error(`IntRangeSlider.value must have lower <= upper, got [${v[0]}, ${v[1]}]`);
    s.value = [lo, hi];
    return s;
  }
}
