/** The parts of the classic Notebook's JavaScript objects that the widget manager and the Output widget use. */

/** The parts of the classic Notebook's `Kernel` object this manager uses. */
export interface ClassicKernel {
  comm_manager: {
    new_comm(target: string, data?: any, callbacks?: any, metadata?: any, commId?: string, buffers?: any): any;
    register_target(target: string, handler: (comm: any, msg: any) => void): void;
    register_comm(comm: any): string;
  };
  comm_info(target: string, callback: (msg: any) => void): void;
  set_callbacks_for_msg(msgId: string, callbacks: any, save?: boolean): void;
  output_callback_overrides_push(msgId: string, callbackId: string): void;
  output_callback_overrides_pop(msgId: string): void;
}

/** What the classic Notebook passes around as `Jupyter.notebook` (only what we need). */
export interface ClassicNotebook {
  kernel: ClassicKernel;
  events: any;
  keyboard_manager: any;
}
