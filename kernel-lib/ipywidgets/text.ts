/** String controls of @jupyter-widgets/controls 2.0.0: Text (editable), Label and HTML (display). */
import { ValueWidget, type ControlInit, type DescriptionWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';

/** TextModel state. */
export interface TextState extends DescriptionWidgetState<'TextStyleModel'> {
  value: string;
  placeholder: string;
  disabled: boolean;
  continuous_update: boolean;
}
/** LabelModel state. */
export interface LabelState extends DescriptionWidgetState<'LabelStyleModel'> {
  value: string;
  placeholder: string;
}
/** HTMLModel state. */
export interface HTMLState extends DescriptionWidgetState<'HTMLStyleModel'> {
  value: string;
  placeholder: string;
}

/** Zero-width space: ipywidgets' default placeholder. */
const ZWSP = '\u200b';

/** A one-line text box. `new Text({ value: 'cat', description: 'class' })` */
export class Text extends ValueWidget<TextState> {
  constructor(init: ControlInit<TextState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'TextModel', 'TextView'), 'TextStyleModel', {
      value: '', placeholder: ZWSP, disabled: false, continuous_update: true, ...init,
    });
  }
}

/** A plain-text label. `new Label({ value: 'epoch 3' })` */
export class Label extends ValueWidget<LabelState> {
  constructor(init: ControlInit<LabelState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'LabelModel', 'LabelView'), 'LabelStyleModel', {
      value: '', placeholder: ZWSP, ...init,
    });
  }
}

/** A block of HTML. `new HTML({ value: '<b>loss</b> 0.12' })` */
export class HTML extends ValueWidget<HTMLState> {
  constructor(init: ControlInit<HTMLState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'HTMLModel', 'HTMLView'), 'HTMLStyleModel', {
      value: '', placeholder: ZWSP, ...init,
    });
  }
}
