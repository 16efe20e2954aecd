/** The IntProgress bar (@jupyter-widgets/controls 2.0.0 IntProgressModel). */
import { ValueWidget, type ControlInit, type DescriptionWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';

/** IntProgressModel state. */
export interface IntProgressState extends DescriptionWidgetState<'ProgressStyleModel'> {
  value: number;
  min: number;
  max: number;
  bar_style: 'success' | 'info' | 'warning' | 'danger' | '';
  orientation: 'horizontal' | 'vertical';
}

/** A progress bar for integer counts; `value` is clamped into [min, max]. */
export class IntProgress extends ValueWidget<IntProgressState> {
  constructor(init: ControlInit<IntProgressState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'IntProgressModel', 'ProgressView'), 'ProgressStyleModel', {
      value: 0, min: 0, max: 100, bar_style: '', orientation: 'horizontal', ...init,
    });
  }

  protected coerce(s: IntProgressState): IntProgressState {
    for (const k of ['value', 'min', 'max'] as const) {
      if (!Number.isFinite(s[k])) throw new Error(`IntProgress.${k} must be a finite number, got ${s[k]}`);
      s[k] = Math.round(s[k]);
    }
    if (s.min > s.max) throw new Error(`IntProgress: min (${s.min}) must be <= max (${s.max})`);
    s.value = Math.min(s.max, Math.max(s.min, s.value));
    return s;
  }
}
