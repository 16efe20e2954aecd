/** The Checkbox control (@jupyter-widgets/controls 2.0.0 CheckboxModel). */
import { ValueWidget, type ControlInit, type DescriptionWidgetState } from './dom-widget';
import { CONTROLS_MODULE, modelIdentity } from './protocol';

/** CheckboxModel state. */
export interface CheckboxState extends DescriptionWidgetState<'CheckboxStyleModel'> {
  value: boolean;
  disabled: boolean;
  /** Indent the checkbox to line up with other controls' descriptions. */
  indent: boolean;
}

/** A checkbox. `new Checkbox({ value: true, description: 'normalize' })` */
export class Checkbox extends ValueWidget<CheckboxState> {
  constructor(init: ControlInit<CheckboxState> = {}) {
    super(modelIdentity(CONTROLS_MODULE, 'CheckboxModel', 'CheckboxView'), 'CheckboxStyleModel', {
      value: false, disabled: false, indent: true, ...init,
    });
  }
}
