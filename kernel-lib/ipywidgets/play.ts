/**
 * The Play control (@jupyter-widgets/controls 2.0.0 PlayModel): a play/pause/stop/repeat button
 * that advances `value` from `min` to `max` every `interval` ms in the frontend. Link it to a
 * slider with `jslink`-style observers, or feed it to `interact` directly.
 */
import { ValueWidget, type ControlInit, type DescriptionWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';

/** PlayModel state. */
export interface PlayState extends DescriptionWidgetState<'DescriptionStyleModel'> {
  value: number;
  min: number;
  max: number;
  step: number;
  /** Milliseconds between steps. */
  interval: number;
  playing: boolean;
  repeat: boolean;
  show_repeat: boolean;
  disabled: boolean;
}

/** An animation driver. `new Play({ max: 20, interval: 200 })` */
export class Play extends ValueWidget<PlayState> {
  constructor(init: ControlInit<PlayState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'PlayModel', 'PlayView'), 'DescriptionStyleModel', {
      value: 0, min: 0, max: 100, step: 1, interval: 100, playing: false, repeat: false, show_repeat: true, disabled: false,
      ...init,
    });
  }

  protected coerce(s: PlayState): PlayState {
    for (const k of ['value', 'min', 'max', 'step', 'interval'] as const) {
      if (!Number.isFinite(s[k])) throw new Error(`Play.${k} must be a finite number, got ${s[k]}`);
      s[k] = Math.round(s[k]);
    }
    if (s.min > s.max) throw new Error(`Play: min (${s.min}) must be <= max (${s.max})`);
    if (s.interval <= 0) throw new Error(`Play.interval must be > 0 ms, got ${s.interval}`);
    s.value = Math.min(s.max, Math.max(s.min, s.value));
    return s;
  }
}
