import type { Buffers, Comm, CommMessage } from '../comm/comm-types';
import { toFrames } from './buffers';

/** How a comm reaches IOPub: publish a comm message with the current parent. */
export type CommPublisher = (
  msgType: 'comm_open' | 'comm_msg' | 'comm_close',
  content: Record<string, unknown>,
  buffers: Buffer[],
  metadata?: Record<string, unknown>,
) => void;

/**
 * One comm of the live kernel. Messages the kernel sends go to IOPub; messages the frontend
 * sends arrive through {@link LiveComm.deliver}. Sending on a closed comm does nothing.
 */
export class LiveComm implements Comm {
  private readonly messageHandlers: Array<(msg: CommMessage) => void | Promise<void>> = [];
  private readonly closeHandlers: Array<(msg: CommMessage) => void> = [];
  private isClosed = false;

  /**
   * @param commId the comm's id.
   * @param targetName the target it was opened on.
   * @param publish sends comm messages to the frontend.
   * @param forget removes the comm from the kernel's table once closed.
   */
  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly publish: CommPublisher,
    private readonly forget: (commId: string) => void,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  send(data: unknown, buffers?: Buffers, metadata?: Record<string, unknown>): void {
    if (this.isClosed) return;
    this.publish('comm_msg', { comm_id: this.commId, data: data ?? {} }, toFrames(buffers), metadata);
  }

  close(data?: unknown): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.forget(this.commId);
    this.publish('comm_close', { comm_id: this.commId, data: data ?? {} }, []);
  }

  onMessage(cb: (msg: CommMessage) => void | Promise<void>): void {
    this.messageHandlers.push(cb);
  }

  onClose(cb: (msg: CommMessage) => void): void {
    this.closeHandlers.push(cb);
  }

  /**
   * Run the message handlers for a `comm_msg` from the frontend, one after another.
   * Every handler runs even when an earlier one throws; the first error is rethrown at the end.
   */
  async deliver(msg: CommMessage): Promise<void> {
    await runAll(this.messageHandlers, msg);
  }

  /** The frontend closed the comm: mark it closed and run the close handlers. */
  async closedByFrontend(msg: CommMessage): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.forget(this.commId);
    return runAll(this.closeHandlers, msg);
  }
}

async function runAll(handlers: Array<(msg: CommMessage) => unknown>, msg: CommMessage): Promise<void> {
  const errors: unknown[] = [];
  for (const handler of handlers) {
    try {
      await handler(msg);
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
}
