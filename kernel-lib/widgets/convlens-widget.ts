/**
 * The kernel-side base of every convlens widget: built from the widget's spec
 * (`state/<widget>.ts`, shared with the browser), it starts from the spec's defaults, carries the
 * `convlens` module identity at this package's version, and does not echo binary keys back to
 * frontends. A new widget is a state file, a subclass of {@link ConvlensWidget} here, and a view
 * built from the same spec in `widgets/` (see docs/architecture.md).
 */
import { packageVersion } from '../core/package-root';
import { DOMWidget, type DOMWidgetState, type DOMWidgetValues } from '../ipywidgets/dom-widget';
import type { ModelIdentity } from '../ipywidgets/protocol';
import type { WidgetOptions } from '../ipywidgets/widget';
import { widgetIdentity, type WidgetSpec } from './state/widget-spec';

/** Identity keys of a convlens widget: module `convlens`, version range `^<package.json version>` (what the bundles are built with). */
export function convlensIdentity(spec: { name: string }): ModelIdentity {
  return widgetIdentity(spec, `^${packageVersion()}`);
}

/** The full kernel-side state of a convlens widget: the DOM widget keys and its own state `S`. */
export type ConvlensState<S extends object> = DOMWidgetState & S;

/** A convlens widget whose own state is `S` (declared in `state/`). */
export class ConvlensWidget<S extends object> extends DOMWidget<DOMWidgetState & S> {
  private readonly binaryKeys: ReadonlySet<string>;

  /** Open the widget with the spec's defaults overridden by `values`. */
  constructor(spec: WidgetSpec<S>, values: Partial<S>, options: WidgetOptions = {}) {
    const state = { ...spec.defaults(), ...values } as DOMWidgetValues<DOMWidgetState & S>;
    super(convlensIdentity(spec), state, options);
    this.binaryKeys = new Set(spec.binary);
  }

  /** Binary keys (pixels, values) are not echoed back to frontends. */
  protected echoes(key: string): boolean {
    return !this.binaryKeys.has(key);
  }
}
