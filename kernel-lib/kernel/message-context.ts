import { AsyncLocalStorage } from 'async_hooks';
import { currentStopSignal } from './interrupt';
import type { MessageHeader } from './wire';

/**
 * What the kernel is handling: the message whose header becomes the parent of every output
 * (stream, display_data, comm messages) produced while handling it, including output produced
 * later by timers and promises started from it.
 */
export interface MessageContext {
  /** Header of the incoming message (an execute_request or a comm_msg). */
  parent: MessageHeader;
  /** Collected by the executor's console while a cell runs (see execute-handler). */
  cell?: CellOutcome;
  /** Aborted when the kernel is interrupted after this message started (see interrupt.ts); set by {@link runInContext}. */
  stop?: AbortSignal;
}

/** What a running cell produced besides its streams. */
export interface CellOutcome {
  /** Errors and compiler diagnostics the executor reported, in order. */
  errors: unknown[][];
  /** The value of the cell's last expression, when it has one. */
  result?: { value: unknown };
  /** execute_reply payloads (e.g. pager content from `page`). */
  payloads: unknown[];
  /** Set once the cell's execute_reply is decided. */
  finished?: boolean;
}

const storage = new AsyncLocalStorage<MessageContext>();
let lastCellContext: MessageContext | undefined;

/** Run `fn` with `context` as the current message context (it follows async work started by `fn`). */
export function runInContext<T>(context: MessageContext, fn: () => T): T {
  context.stop ??= currentStopSignal();
  if (context.cell) lastCellContext = context;
  return storage.run(context, fn);
}

/**
 * The current message context; outside any (e.g. a callback from a native event) the most
 * recent cell's, as in IPython where late output goes to the last cell.
 */
export function currentContext(): MessageContext | undefined {
  return storage.getStore() ?? lastCellContext;
}
