/**
 * The registry of live kernel-side widgets, keyed by model id. References between models
 * (`"IPY_MODEL_<id>"` strings in state) are resolved through it, and the
 * `jupyter.widget.control` target answers `request_states` from it.
 */
import { propertyOf } from '../core/checks';

/** Brand that marks kernel-side widget objects (avoids import cycles with `widget.ts`). */
export const WIDGET_BRAND = Symbol.for('convlens.widget');

/** What the registry needs from a widget. */
export interface RegisteredWidget {
  readonly [WIDGET_BRAND]: true;
  readonly modelId: string;
  /** Full state as sent on the wire (JSON part), with buffer paths and buffers. */
  serializedState(): { state: Record<string, unknown>; bufferPaths: Array<Array<string | number>>; buffers: DataView[] };
}

const live = new Map<string, RegisteredWidget>();

/** True when `value` is a kernel-side widget. */
export function isWidget(value: unknown): value is RegisteredWidget {
  return typeof value === 'object' && value !== null && propertyOf(value, WIDGET_BRAND) === true;
}

/** @internal Add a widget to the registry (done by the Widget constructor). */
export function registerWidget(w: RegisteredWidget): void {
  live.set(w.modelId, w);
}

/** @internal Remove a widget (done when it closes). */
export function unregisterWidget(modelId: string): void {
  live.delete(modelId);
}

/** The live widget with this model id, if any. */
export function widgetById(modelId: string): RegisteredWidget | undefined {
  return live.get(modelId);
}

/** All live (not closed) widgets. */
export function liveWidgets(): RegisteredWidget[] {
  return [...live.values()];
}
