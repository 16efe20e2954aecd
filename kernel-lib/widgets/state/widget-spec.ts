/**
 * How a convlens widget is declared once for both sides: its name (model `<name>Model`, view
 * `<name>View`, module `convlens`), the defaults of its own state keys, and which keys travel as
 * binary buffers. The kernel side (`kernel-lib/widgets/<widget>.ts`) starts from the defaults;
 * the browser side (`widgets/<widget>.ts`) builds its model class from the same spec and reads
 * typed state. Files in this folder import no tfjs and no widget protocol: the browser bundles
 * them.
 */

/** The npm module name of every convlens widget (`_model_module`, `_view_module`). */
export const WIDGET_MODULE = 'convlens';

/** A widget's spec: `S` is its own state (the DOMWidget keys and the identity come on top). */
export interface WidgetSpec<S extends object> {
  /** `FilterGrid` gives model `FilterGridModel` and view `FilterGridView`. */
  readonly name: string;
  /** A fresh copy of the default state (both sides start from it). */
  defaults(): S;
  /** Keys whose values are bytes, sent as binary buffers (the browser keeps them binary when saving state). */
  readonly binary: ReadonlyArray<keyof S & string>;
}

/** Declare a widget's spec. */
export function defineWidget<S extends object>(name: string, defaults: () => S, binary: ReadonlyArray<keyof S & string>): WidgetSpec<S> {
  return { name, defaults, binary };
}

/** The six identity keys of a convlens widget, for module version range `version` (`^x.y.z`). */
export function widgetIdentity(spec: { name: string }, version: string) {
  return {
    _model_module: WIDGET_MODULE,
    _model_module_version: version,
    _model_name: `${spec.name}Model`,
    _view_module: WIDGET_MODULE,
    _view_module_version: version,
    _view_name: `${spec.name}View`,
  };
}

/** The state keys of widgets that recompute on the kernel and show how the run goes. */
export interface RunStatusState {
  /** True while the kernel computes. */
  busy: boolean;
  /** Fraction done of the run in flight. */
  progress: number;
  /** Error of the last run, or ''. */
  error: string;
}

/** Defaults of {@link RunStatusState}. */
export const RUN_STATUS_DEFAULTS: RunStatusState = { busy: false, progress: 0, error: '' };
