/** The Button control (@jupyter-widgets/controls 2.0.0 ButtonModel) with click events. */
import { DOMWidget, type ControlInit, type DOMWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';
import { isRecord } from '../core/checks';
import { Style } from './style';

/** ButtonModel state. */
export interface ButtonState extends DOMWidgetState {
  description: string;
  button_style: 'primary' | 'success' | 'info' | 'warning' | 'danger' | '';
  disabled: boolean;
  /** Font Awesome icon name without the `fa-` prefix, e.g. `'stop'`. */
  icon: string;
  style: Style<'ButtonStyleModel'>;
}

/** A clickable button. `new Button({ description: 'Stop', icon: 'stop' }).onClick(() => ...)` */
export class Button extends DOMWidget<ButtonState> {
  private readonly clickHandlers = new Set<(button: Button) => void | Promise<void>>();

  constructor(init: ControlInit<ButtonState> = {}) {
    const style = init.style instanceof Style ? init.style : new Style('ButtonStyleModel', init.style ?? {});
    super(
      modelIdentity(CONTROLS_MODULE, 'ButtonModel', 'ButtonView'),
      { description: '', button_style: '', disabled: false, icon: '', ...init, style },
      { owns: init.style instanceof Style ? [] : [style] },
    );
    this.onMsg(async (content) => {
      if (isRecord(content) && content.event === 'click' && !this.get('disabled')) await this.click();
    });
  }

  /** Call `cb` on each click in the frontend (ignored while disabled). Returns a remover. */
  onClick(cb: (button: Button) => void | Promise<void>): () => void {
    this.clickHandlers.add(cb);
    return () => this.clickHandlers.delete(cb);
  }

  /** Run the click handlers as if the button had been clicked. */
  async click(): Promise<void> {
    for (const cb of [...this.clickHandlers]) {
      try {
        await cb(this);
      } catch (e) {
        console.error('Button click handler failed:', e);
      }
    }
  }

  /** Number of click handlers (for leak checks). */
  get clickHandlerCount(): number {
    return this.clickHandlers.size;
  }

  protected reprKeys(): string[] {
    return ['description', 'icon'];
  }
}
