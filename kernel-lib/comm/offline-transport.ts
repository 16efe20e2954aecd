/**
 * The offline (recording) {@link CommTransport}: used when no live kernel transport is installed
 * (plain Node, jest). It records every message a live kernel would have sent, and lets tests play
 * the frontend: deliver `comm_msg`s to kernel-side comms, open comms on registered targets, and
 * close comms from the frontend side.
 */
import { randomUUID } from 'crypto';
import type { Buffers, Comm, CommMessage, CommTransport } from './comm-types';

/**
 * A recorded JSON payload. Typed `any` on purpose: it is whatever JSON a widget sent (the widget
 * protocol does not type it), and its readers, tests playing the frontend, walk it as JSON.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RecordedJson = any;

/** One message the kernel side sent, as recorded by {@link OfflineTransport}. */
export type RecordedMessage =
  | {
      type: 'comm_open';
      commId: string;
      targetName: string;
      data: RecordedJson;
      buffers: DataView[];
      metadata: Record<string, unknown>;
    }
  | { type: 'comm_msg'; commId: string; data: RecordedJson; buffers: DataView[]; metadata: Record<string, unknown> }
  | { type: 'comm_close'; commId: string; data: RecordedJson }
  | { type: 'display_data'; data: Record<string, RecordedJson>; metadata: Record<string, unknown> }
  | { type: 'clear_output'; wait: boolean };

/** Turn any binary payload into a DataView over a private copy (what a wire round trip gives). */
export function toDataView(b: ArrayBuffer | ArrayBufferView): DataView {
  const bytes = ArrayBuffer.isView(b)
    ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    : new Uint8Array(b);
  return new DataView(bytes.slice().buffer);
}

/** A kernel-side comm of the offline transport. */
class OfflineComm implements Comm {
  private readonly messageHandlers: Array<(msg: CommMessage) => void | Promise<void>> = [];
  private readonly closeHandlers: Array<(msg: CommMessage) => void> = [];
  private isClosed = false;

  constructor(
    private readonly owner: OfflineTransport,
    readonly commId: string,
    readonly targetName: string,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  send(data: unknown, buffers: Buffers = [], metadata: Record<string, unknown> = {}): void {
    if (this.isClosed) throw new Error(`comm ${this.commId} is closed; cannot send`);
    this.owner.record({
      type: 'comm_msg',
      commId: this.commId,
      data: clone(data),
      buffers: buffers.map(toDataView),
      metadata,
    });
  }

  close(data: unknown = {}): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.owner.record({ type: 'comm_close', commId: this.commId, data: clone(data) });
    this.owner.forget(this.commId);
  }

  onMessage(cb: (msg: CommMessage) => void | Promise<void>): void {
    this.messageHandlers.push(cb);
  }

  onClose(cb: (msg: CommMessage) => void): void {
    this.closeHandlers.push(cb);
  }

  /** Run the message handlers as the kernel would for an incoming `comm_msg`. */
  async receive(msg: CommMessage): Promise<void> {
    for (const h of this.messageHandlers) await h(msg);
  }

  /** Run the close handlers as the kernel would for an incoming `comm_close`. */
  receiveClose(msg: CommMessage): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const h of this.closeHandlers) h(msg);
  }

  /** Number of registered handlers (for leak checks). */
  get handlerCount(): number {
    return this.messageHandlers.length + this.closeHandlers.length;
  }
}

/** Options of {@link OfflineTransport}. */
export interface OfflineTransportOptions {
  /** Keep at most this many recorded messages (oldest dropped first). Default 10000. */
  maxRecorded?: number;
  /** Keep at most this many bytes of recorded binary buffers (oldest messages dropped first). Default 64 MiB. */
  maxRecordedBytes?: number;
}

function bufferBytes(msg: RecordedMessage): number {
  return 'buffers' in msg ? msg.buffers.reduce((n, b) => n + b.byteLength, 0) : 0;
}

/**
 * A {@link CommTransport} that records messages instead of sending them. `live` is false, so
 * code that adapts to notebooks (e.g. `progress`) falls back to plain-text output.
 */
export class OfflineTransport implements CommTransport {
  readonly live = false;
  /** Messages sent by the kernel side, oldest first. */
  readonly messages: RecordedMessage[] = [];
  private readonly comms = new Map<string, OfflineComm>();
  private readonly targets = new Map<string, (comm: Comm, msg: CommMessage) => void | Promise<void>>();
  private readonly maxRecorded: number;
  private readonly maxRecordedBytes: number;
  private recordedBytes = 0;
  private msgCounter = 0;
  private parentMsgId: string | undefined;

  constructor(options: OfflineTransportOptions = {}) {
    this.maxRecorded = options.maxRecorded ?? 10000;
    this.maxRecordedBytes = options.maxRecordedBytes ?? 64 * 2 ** 20;
  }

  open(
    targetName: string,
    data: unknown,
    buffers: Buffers = [],
    metadata: Record<string, unknown> = {},
    commId: string = randomUUID().replace(/-/g, ''),
  ): Comm {
    if (this.comms.has(commId)) throw new Error(`comm id ${commId} is already open`);
    const comm = new OfflineComm(this, commId, targetName);
    this.comms.set(commId, comm);
    this.record({
      type: 'comm_open',
      commId,
      targetName,
      data: clone(data),
      buffers: buffers.map(toDataView),
      metadata,
    });
    return comm;
  }

  registerTarget(targetName: string, handler: (comm: Comm, msg: CommMessage) => void | Promise<void>): void {
    this.targets.set(targetName, handler);
  }

  displayData(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
    this.record({ type: 'display_data', data: clone(data), metadata });
  }

  clearOutput(wait: boolean): void {
    this.record({ type: 'clear_output', wait });
  }

  currentParentMsgId(): string | undefined {
    return this.parentMsgId;
  }

  /** @internal Append a message to the record. */
  record(msg: RecordedMessage): void {
    this.messages.push(msg);
    this.recordedBytes += bufferBytes(msg);
    while (this.messages.length > 1 && (this.messages.length > this.maxRecorded || this.recordedBytes > this.maxRecordedBytes)) {
      this.recordedBytes -= bufferBytes(this.messages.shift()!);
    }
  }

  /** @internal Forget a comm closed from the kernel side. */
  forget(commId: string): void {
    this.comms.delete(commId);
  }

  /** Drop the recorded messages (the comms stay open). */
  clear(): void {
    this.messages.length = 0;
    this.recordedBytes = 0;
  }

  /** Recorded messages of one comm (`comm_open`, `comm_msg`, `comm_close`), oldest first. */
  messagesFor(commId: string): RecordedMessage[] {
    return this.messages.filter((m) => 'commId' in m && m.commId === commId);
  }

  /** Ids of the comms open now. */
  openCommIds(): string[] {
    return [...this.comms.keys()];
  }

  /** Total number of handlers registered on open comms (for listener-leak checks). */
  handlerCount(): number {
    let n = 0;
    for (const c of this.comms.values()) n += c.handlerCount;
    return n;
  }

  /**
   * Play the frontend: deliver a `comm_msg` with `data` (and optional buffers) to the kernel-side
   * comm `commId`, as the live kernel would, with a fresh parent msg_id. Resolves when the
   * handlers (including async ones) have finished.
   */
  async deliver(commId: string, data: unknown, buffers: Buffers = []): Promise<void> {
    const comm = this.comms.get(commId);
    if (!comm) throw new Error(`no open comm ${commId}; open: ${this.openCommIds().join(', ') || 'none'}`);
    const previous = this.parentMsgId;
    this.parentMsgId = `frontend-msg-${++this.msgCounter}`;
    try {
      await comm.receive({
        data: clone(data),
        buffers: buffers.map(toDataView),
        metadata: {},
        header: { msg_id: this.parentMsgId, msg_type: 'comm_msg' },
      });
    } finally {
      this.parentMsgId = previous;
    }
  }

  /** Play the frontend: open a comm on a registered target (`comm_open` on shell). */
  openFromFrontend(targetName: string, data: unknown = {}, metadata: Record<string, unknown> = {}): string {
    const handler = this.targets.get(targetName);
    if (!handler) throw new Error(`no comm target ${targetName}; registered: ${[...this.targets.keys()].join(', ')}`);
    const commId = randomUUID().replace(/-/g, '');
    const comm = new OfflineComm(this, commId, targetName);
    this.comms.set(commId, comm);
    void handler(comm, { data: clone(data), buffers: [], metadata, header: { msg_type: 'comm_open' } });
    return commId;
  }

  /** Play the frontend: close comm `commId` (`comm_close` on shell). */
  closeFromFrontend(commId: string, data: unknown = {}): void {
    const comm = this.comms.get(commId);
    if (!comm) throw new Error(`no open comm ${commId}`);
    this.comms.delete(commId);
    comm.receiveClose({ data: clone(data), buffers: [] });
  }
}

/** A JSON round trip: what crosses the wire is JSON, so the record must not alias live objects. */
function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
