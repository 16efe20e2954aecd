import type { JupyterHandlerImpl } from 'tslab/dist/jupyter';
import type { LiveCommTransport } from './comm-manager';
import type { ExecuteHandler } from './execute-handler';
import { kernelInfo } from './kernel-info';
import type { JupyterMessage } from './wire';

/** How the kernel handles one msg_type: `reply` names the reply's msg_type, if it has one. */
export interface ShellRoute {
  reply?: string;
  /** The reply's content (or a promise of it); routes without `reply` resolve to nothing. */
  handle(msg: JupyterMessage): object | void | Promise<object | void>;
}

/** What the routes delegate to. */
export interface RouteTargets {
  /** tslab's handler: completion, inspection, is_complete and language info. */
  tslab: JupyterHandlerImpl;
  execute: ExecuteHandler;
  comms: LiveCommTransport;
  /** Interrupt the running cell (as SIGINT does). */
  interrupt(): void;
}

/**
 * The shell and control channel message types the convlens kernel answers
 * (shutdown_request is handled by the server itself).
 */
export function shellRoutes(targets: RouteTargets): Record<string, ShellRoute> {
  const { tslab, execute, comms } = targets;
  const code = (msg: JupyterMessage) => ({ ...msg.content, code: typeof msg.content.code === 'string' ? msg.content.code : '' });
  const cursor = (msg: JupyterMessage) => {
    const request = code(msg);
    return { ...request, cursor_pos: Number(msg.content.cursor_pos ?? request.code.length), detail_level: msg.content.detail_level === 1 ? (1 as const) : (0 as const) };
  };
  return {
    kernel_info_request: { reply: 'kernel_info_reply', handle: () => kernelInfo(tslab) },
    execute_request: { reply: 'execute_reply', handle: (msg) => execute.execute(msg) },
    is_complete_request: { reply: 'is_complete_reply', handle: (msg) => tslab.handleIsComplete(code(msg)) },
    inspect_request: { reply: 'inspect_reply', handle: (msg) => tslab.handleInspect(cursor(msg)) },
    complete_request: { reply: 'complete_reply', handle: (msg) => tslab.handleComplete(cursor(msg)) },
    history_request: { reply: 'history_reply', handle: (msg) => execute.history.reply(msg.content) },
    comm_info_request: { reply: 'comm_info_reply', handle: (msg) => comms.info(msg.content) },
    comm_open: { handle: (msg) => comms.handleOpen(msg) },
    comm_msg: { handle: (msg) => comms.handleMessage(msg) },
    comm_close: { handle: (msg) => comms.handleClose(msg) },
    interrupt_request: {
      reply: 'interrupt_reply',
      handle: () => {
        targets.interrupt();
        return { status: 'ok' };
      },
    },
  };
}
