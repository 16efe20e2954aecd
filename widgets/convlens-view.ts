/**
 * The browser-side base of every convlens widget, built from the widget's spec in
 * `kernel-lib/widgets/state/` (the same file the kernel side uses): {@link convlensModel} makes
 * the model class (identity keys, the spec's defaults, binary serializers), {@link ConvlensView}
 * reads and writes the model's state typed by the spec's state interface. A new view is
 * `export const XModel = convlensModel(X_SPEC)` and `export class XView extends ConvlensView<XState<WireBuffer>>`.
 */
import { DOMWidgetModel, DOMWidgetView, type ISerializers } from '@jupyter-widgets/base';
import type { WidgetSpec } from '../kernel-lib/widgets/state/widget-spec';
import { BINARY_SERIALIZER } from './image-buffer';
import { convlensIdentity } from './version';

/** The model class of a convlens widget: the spec's defaults, and its binary keys kept binary when the state is saved. */
export function convlensModel<S extends object>(spec: WidgetSpec<S>): typeof DOMWidgetModel {
  const binary: ISerializers = Object.fromEntries(spec.binary.map((key) => [key, BINARY_SERIALIZER]));
  return class extends DOMWidgetModel {
    /** The default state: DOM widget keys, the convlens identity, the spec's defaults. */
    defaults() {
      return { ...super.defaults(), ...convlensIdentity(spec.name), ...spec.defaults() };
    }

    static serializers: ISerializers = { ...DOMWidgetModel.serializers, ...binary };
  };
}

/** A view whose model state is `S` (a spec's state interface with the browser's byte type). */
export abstract class ConvlensView<S extends object> extends DOMWidgetView {
  /** The current value of `key`. */
  protected state<K extends keyof S & string>(key: K): S[K] {
    return this.model.get(key) as S[K];
  }

  /** Set keys from the page and send them to the kernel (which recomputes or validates). */
  protected setState(patch: Partial<S>): void {
    this.model.set(patch);
    this.touch();
  }

  /**
   * Mark `controls` as needing the kernel (they ask it to recompute). While no kernel is connected
   * to the widget (a static HTML export, a notebook opened before its cells are run, a dead
   * kernel) they are disabled and the returned note, which the view places, says so, instead of
   * the controls moving and nothing happening. Controls the page handles alone stay usable.
   */
  protected kernelOnly(controls: HTMLElement[]): HTMLElement {
    const note = document.createElement('div');
    note.className = 'cl-needs-kernel';
    note.textContent = 'No kernel is connected: run the notebook to recompute with these controls.';
    const inputs = controls.flatMap((c) => (c.matches('input, select, button') ? [c] : Array.from(c.querySelectorAll('input, select, button'))));
    const update = () => {
      const live = Boolean(this.model.comm_live);
      note.style.display = live ? 'none' : '';
      for (const input of inputs) (input as HTMLInputElement).disabled = !live;
      for (const c of controls) c.classList.toggle('cl-disabled', !live);
    };
    this.listenTo(this.model, 'comm_live_update', update);
    update();
    return note;
  }

  /** Call `fn` (bound to this view) when any of `keys` changes; removed with the view. */
  protected onChange(keys: ReadonlyArray<keyof S & string>, fn: () => unknown): void {
    this.listenTo(this.model, keys.map((k) => `change:${k}`).join(' '), fn);
  }
}
