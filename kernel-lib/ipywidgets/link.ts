/**
 * Links between widget attributes kept in sync by the frontend (LinkModel and
 * DirectionalLinkModel of @jupyter-widgets/controls 2.0.0), like ipywidgets' `jslink`/`jsdlink`:
 * they work without a kernel round trip, so also in static HTML exports.
 *
 * ```ts
 * const play = new lens.Play({ max: 20 });
 * const slider = new lens.IntSlider({ max: 20 });
 * lens.jslink([play, 'value'], [slider, 'value']);
 * new lens.HBox([play, slider]).display();
 * ```
 */
import { CONTROLS_MODULE, modelIdentity, type ModelIdentity } from './protocol';
import { Widget } from './widget';

/** A `[widget, state key]` pair. */
export type WidgetKey<W extends Widget = Widget> = readonly [W, string];

/** LinkModel / DirectionalLinkModel state. */
export interface LinkState extends ModelIdentity {
  source: [Widget, string];
  target: [Widget, string];
}

function checkPair(role: string, pair: WidgetKey): [Widget, string] {
  const [w, key] = Array.isArray(pair) ? pair : [undefined, ''];
  if (!(w instanceof Widget) || typeof key !== 'string') throw new Error(`${role} must be [widget, key], got ${String(pair)}`);
  const state: object = w.getState();
  if (!(key in state)) throw new Error(`${role}: ${w.constructor.name} has no state key "${key}"; keys: ${Object.keys(state).join(', ')}`);
  return [w, key];
}

/** A frontend link; close it to unlink. */
export class Link extends Widget<LinkState> {
  /** @internal Use {@link jslink} or {@link jsdlink}. */
  constructor(modelName: 'LinkModel' | 'DirectionalLinkModel', source: WidgetKey, target: WidgetKey) {
    super({
      ...modelIdentity(CONTROLS_MODULE, modelName, null),
      source: checkPair('source', source),
      target: checkPair('target', target),
    });
  }

  protected reprKeys(): string[] {
    return [];
  }
}

/** Keep `source[key]` and `target[key]` equal in the frontend, both ways. Returns the link (close it to unlink). */
export function jslink(source: WidgetKey, target: WidgetKey): Link {
  return new Link('LinkModel', source, target);
}

/** Copy `source[key]` to `target[key]` in the frontend whenever it changes (one way). */
export function jsdlink(source: WidgetKey, target: WidgetKey): Link {
  return new Link('DirectionalLinkModel', source, target);
}
