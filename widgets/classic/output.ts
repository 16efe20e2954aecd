/**
 * The Output widget (@jupyter-widgets/output) for the classic Notebook: while `msg_id` names a
 * running cell, that cell's outputs are routed (via the classic kernel's output-callback
 * overrides) into a classic OutputArea owned by the widget, and mirrored to the `outputs` state.
 */
import * as outputBase from '@jupyter-widgets/output';
import type { ClassicKernel, ClassicNotebook } from './classic-types';

let OutputAreaClass: any;

/** Give this module the classic `OutputArea` class (from requirejs `notebook/js/outputarea`). */
export function setOutputAreaClass(cls: any): void {
  OutputAreaClass = cls;
}

/** Model of an Output widget in the classic Notebook. */
export class OutputModel extends outputBase.OutputModel {
  /** The classic OutputArea holding this widget's outputs. */
  outputArea: any;
  private kernel: any;

  /** Set up the output area and the routing of cell outputs. */
  initialize(attributes: any, options: any): void {
    super.initialize(attributes, options);
    const manager = this.widget_manager as unknown as { kernel: ClassicKernel; notebook: ClassicNotebook };
    this.kernel = manager.kernel;
    this.outputArea = new OutputAreaClass({
      selector: document.createElement('div'),
      config: { data: { OutputArea: {} } },
      prompt_area: false,
      events: manager.notebook.events,
      keyboard_manager: manager.notebook.keyboard_manager,
    });
    this.kernel.set_callbacks_for_msg(this.model_id, {
      iopub: {
        output: (msg: any) => this.appendOutput(msg),
        clear_output: (msg: any) => this.outputArea.clear_output(msg.content.wait),
      },
    }, false);
    this.listenTo(this, 'change:msg_id', () => this.routeMessages());
    this.listenTo(this, 'change:outputs', (model: unknown, outputs: any[], options: any) => this.restoreOutputs(model, outputs, options));
    this.restoreOutputs(this, this.get('outputs'), {});
  }

  private appendOutput(msg: any): void {
    this.outputArea.handle_output(msg);
    this.set('outputs', this.outputArea.toJSON(), { fromOutputArea: true });
    this.save_changes();
  }

  private routeMessages(): void {
    const previous = this.previous('msg_id');
    const current = this.get('msg_id');
    if (previous) this.kernel.output_callback_overrides_pop(previous);
    if (current) this.kernel.output_callback_overrides_push(current, this.model_id);
  }

  private restoreOutputs(_model: unknown, outputs: any[], options: any): void {
    if (options?.fromOutputArea) return;
    this.outputArea.clear_output(false, true);
    this.outputArea.fromJSON(outputs ?? []);
  }
}

/** View of an Output widget in the classic Notebook. */
export class OutputView extends outputBase.OutputView {
  /** Show the model's output area. */
  render(): void {
    this.el.classList.add('jupyter-widgets-output-area');
    this.el.appendChild((this.model as OutputModel).outputArea.element[0]);
  }
}
