import { randomUUID } from 'crypto';
import { toDataViews, toFrames } from './buffers';
import type { Buffers, Comm, CommMessage, CommTransport } from '../comm/comm-types';
import { previewValue } from '../core/preview';
import { LiveComm } from './live-comm';
import { currentContext } from './message-context';
import type { MessageSender } from './message-sender';
import type { DisplayWriter, KernelLog } from './output-routing';
import type { JupyterMessage } from './wire';

/** A message a frontend sent that cannot be acted on (reported to the kernel log, then dropped). */
export class BadMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadMessageError';
  }
}

/**
 * The live {@link CommTransport}: keeps the table of open comms and target handlers, sends
 * comm messages on IOPub with the current message as parent, and handles the frontend's
 * `comm_open`, `comm_msg`, `comm_close` and `comm_info_request`.
 */
export class LiveCommTransport implements CommTransport {
  readonly live = true;
  private readonly comms = new Map<string, LiveComm>();
  private readonly targets = new Map<string, (comm: Comm, msg: CommMessage) => void | Promise<void>>();

  constructor(
    private readonly sender: MessageSender,
    private readonly display: DisplayWriter,
    private readonly log: KernelLog,
  ) {}

  open(targetName: string, data: unknown, buffers?: Buffers, metadata?: Record<string, unknown>, commId: string = randomUUID()): Comm {
    const comm = this.create(commId, targetName);
    this.publish('comm_open', { comm_id: commId, target_name: targetName, data: data ?? {} }, toFrames(buffers), metadata);
    return comm;
  }

  registerTarget(targetName: string, handler: (comm: Comm, msg: CommMessage) => void | Promise<void>): void {
    this.targets.set(targetName, handler);
  }

  displayData(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
    this.display({ data, metadata });
  }

  clearOutput(wait: boolean): void {
    this.publish('clear_output', { wait }, []);
  }

  currentParentMsgId(): string | undefined {
    return currentContext()?.parent.msg_id;
  }

  /**
   * `comm_open` from the frontend: run the target's handler, or close the comm when no target
   * matches. An id that is already open is refused untouched (closing it would tear down the
   * live comm's views).
   */
  async handleOpen(msg: JupyterMessage): Promise<void> {
    const commId = stringField(msg, 'comm_id');
    const targetName = stringField(msg, 'target_name');
    const live = this.comms.get(commId);
    if (live) throw new BadMessageError(`comm_open for comm '${commId}', which is already open (target '${live.targetName}'); ignored`);
    const handler = this.targets.get(targetName);
    if (!handler) {
      this.log(`convlens kernel: no comm target '${targetName}' (comm ${commId}); closing it\n`);
      this.publish('comm_close', { comm_id: commId, data: {} }, []);
      return;
    }
    await handler(this.create(commId, targetName), toCommMessage(msg));
  }

  /** `comm_msg` from the frontend: deliver it to the comm's handlers. */
  async handleMessage(msg: JupyterMessage): Promise<void> {
    await this.existingComm(msg).deliver(toCommMessage(msg));
  }

  /** `comm_close` from the frontend: forget the comm and run its close handlers. */
  async handleClose(msg: JupyterMessage): Promise<void> {
    await this.existingComm(msg).closedByFrontend(toCommMessage(msg));
  }

  /** The `comm_info_reply` content: open comms, only those of `target_name` when the request names one. */
  info(content: unknown): { status: 'ok'; comms: Record<string, { target_name: string }> } {
    const wanted = isRecord(content) && typeof content.target_name === 'string' ? content.target_name : undefined;
    const comms: Record<string, { target_name: string }> = {};
    for (const comm of this.comms.values()) {
      if (wanted === undefined || comm.targetName === wanted) comms[comm.commId] = { target_name: comm.targetName };
    }
    return { status: 'ok', comms };
  }

  private create(commId: string, targetName: string): LiveComm {
    const comm = new LiveComm(commId, targetName, (type, content, buffers, metadata) =>
      this.publish(type, content, buffers, metadata), (id) => this.comms.delete(id));
    this.comms.set(commId, comm);
    return comm;
  }

  private existingComm(msg: JupyterMessage): LiveComm {
    const commId = stringField(msg, 'comm_id');
    const comm = this.comms.get(commId);
    if (!comm) throw new BadMessageError(`${msg.header.msg_type} for unknown comm '${commId}'`);
    return comm;
  }

  private publish(msgType: string, content: Record<string, unknown>, buffers: Buffer[], metadata?: Record<string, unknown>): void {
    this.sender.publish(msgType, content, currentContext()?.parent, { buffers, metadata });
  }
}

function toCommMessage(msg: JupyterMessage): CommMessage {
  const data: unknown = msg.content.data;
  return {
    data: data === undefined || data === null ? {} : data,
    buffers: toDataViews(msg.buffers),
    metadata: msg.metadata,
    header: msg.header,
  };
}

function stringField(msg: JupyterMessage, name: string): string {
  const value = isRecord(msg.content) ? msg.content[name] : undefined;
  if (typeof value !== 'string') {
    throw new BadMessageError(`${msg.header.msg_type} content.${name} must be a string, got ${previewValue(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
