/**
 * `interact(fn, controls)`: build controls, show them with an Output area, run `fn` with the
 * controls' values, and re-run it whenever a control changes, latest-wins (a burst of slider
 * events costs at most two re-runs; `fn` may be async). What `fn` prints or displays, and its
 * return value, appear in the Output area; an error is shown there and does not stop the UI.
 *
 * ```ts
 * const ui = lens.interact(async ({ unit, blur }) => { ... return image; }, { unit: [0, 63], blur: 0.5 });
 * await ui.idle(); // wait for the first run (useful when executing notebooks headless)
 * ```
 */
import { inspect } from 'util';
import { Button } from './button';
import { VBox } from './boxes';
import { controlFromSpec, type ControlSpec, type ValueOfSpec, type ValuesOf, type ValueWidgetLike } from './interact-controls';
import type { ValueControl } from './dom-widget';
import { LatestWinsRunner } from './latest-wins';
import { Output } from './output';
import { widgetTransport } from './transport';
import { toMimeBundle, type MimeBundle } from '../comm/mime-bundle';
import { Widget } from './widget';

/** Options of {@link interact}. */
export interface InteractOptions {
  /** Run only when a "Run" button is clicked (for expensive functions). Default false. */
  manual?: boolean;
  /** Label of the manual button. Default "Run Interact". */
  manualLabel?: string;
  /** A follow-up run waits until the controls were still for this many ms. Default 30. */
  quietMs?: number;
  /** ...but at most this many ms, so a long drag still shows intermediate results. Default 300. */
  maxWaitMs?: number;
  /** Display the interactive in the current cell at once. Default true. */
  display?: boolean;
}

/** The UI `interact` builds: a VBox of the controls (and Run button) above an Output. */
export class Interactive<C extends Record<string, ControlSpec>> extends VBox {
  /** The controls, by name; set `ui.controls.x.value = ...` to change one from code. */
  readonly controls: { [K in keyof C]: ValueWidgetLike & ValueControl<ValueOfSpec<C[K]>> };
  /** Where `fn`'s output goes. */
  readonly output: Output;
  private readonly runner: LatestWinsRunner;
  private readonly disposers: Array<() => void> = [];
  private shownFor: string | undefined;

  /** @internal Use {@link interact}. */
  constructor(fn: (values: ValuesOf<C>) => unknown, specs: C, options: InteractOptions = {}) {
    if (typeof fn !== 'function') throw new Error(`interact: expected a function, got ${typeof fn}`);
    if (typeof specs !== 'object' || specs === null) throw new Error('interact: controls must be an object {name: control}');
    const controls = {} as Record<keyof C, ValueWidgetLike>;
    const created: Widget[] = [];
    try {
      for (const [name, spec] of Object.entries(specs)) {
        const { widget, created: mine } = controlFromSpec(name, spec);
        if (mine) created.push(widget);
        else if (widget.get('description') === '') widget.set({ description: name });
        controls[name as keyof C] = widget;
      }
    } catch (e) {
      for (const w of created) w.close(); // a bad spec leaves no controls behind
      throw e;
    }
    const output = new Output();
    const button = options.manual ? new Button({ description: options.manualLabel ?? 'Run Interact' }) : undefined;
    const children: Widget[] = [...Object.values(controls), ...(button ? [button] : []), output];
    super(children, {}, { owns: [...created, output, ...(button ? [button] : [])] });
    this.addClass('widget-interact');
    this.controls = controls as Interactive<C>['controls'];
    this.output = output;
    this.runner = new LatestWinsRunner(() => this.runOnce(fn), { quietMs: options.quietMs, maxWaitMs: options.maxWaitMs });
    if (button) {
      this.disposers.push(button.onClick(() => this.runner.request()));
    } else {
      for (const c of Object.values(controls)) this.disposers.push(c.observeValue(() => this.runner.request()));
    }
    this.onClose(() => this.dispose());
    if (options.display ?? true) {
      this.display();
      this.shownFor = widgetTransport().currentParentMsgId() ?? '';
    }
    this.runner.request();
  }

  /**
   * As a cell's last expression (`lens.interact(...)`), show nothing more: the interactive already
   * displayed itself in this cell. Evaluated in a later cell, it shows again.
   */
  [toMimeBundle](): MimeBundle {
    const parent = widgetTransport().currentParentMsgId() ?? '';
    return this.shownFor === parent ? { data: {}, metadata: {} } : { data: this.mimeBundle(), metadata: {} };
  }

  /** The current values of the controls. */
  values(): ValuesOf<C> {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(this.controls) as Array<keyof C & string>) out[name] = this.controls[name].value;
    return out as ValuesOf<C>;
  }

  /** Ask for a re-run with the current values (coalesced like control changes). */
  rerun(): void {
    this.runner.request();
  }

  /** Resolves when no run is in progress or pending. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Number of times `fn` has been started. */
  get runCount(): number {
    return this.runner.runs;
  }

  private async runOnce(fn: (values: ValuesOf<C>) => unknown): Promise<void> {
    const values = this.values();
    this.output.clear(true);
    try {
      await this.output.capture(async () => {
        const result = await fn(values);
        if (result === undefined) return;
        if (result instanceof Widget) result.display();
        else this.output.appendDisplayData({ 'text/plain': inspect(result, { depth: 4 }) });
      });
    } catch {
      // already shown in the output area
    }
    this.output.flush();
  }

  private dispose(): void {
    this.runner.dispose();
    for (const d of this.disposers.splice(0)) d();
  }
}

/**
 * Show `controls` and an output area, and run `fn(values)` now and whenever a control changes
 * (latest-wins). `controls` maps names to widgets or abbreviations: `5` (IntSlider around 5),
 * `0.5` (FloatSlider), `[0, 10]` / `[0, 1, 0.01]` (slider over the range), `true` (Checkbox),
 * `'text'` (Text), `['a', 'b']` or `[['A', 1], ['B', 2]]` (Dropdown).
 */
export function interact<C extends Record<string, ControlSpec>>(
  fn: (values: ValuesOf<C>) => unknown,
  controls: C,
  options: InteractOptions = {},
): Interactive<C> {
  return new Interactive(fn, controls, options);
}
