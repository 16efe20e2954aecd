/**
 * The contract between the convlens kernel (which speaks the Jupyter comm protocol over ZeroMQ)
 * and the kernel-side widget API (which speaks the ipywidgets 8 message protocol on top of comms).
 *
 * The kernel installs a live {@link CommTransport} with {@link setCommTransport} when it starts.
 * Outside a kernel (plain Node, jest) the offline transport in `offline-transport.ts` is used: it
 * records what would have been sent, so widgets can be built and unit-tested anywhere.
 */

/** Binary payloads attached to a comm message (the ZeroMQ frames after the JSON parts). */
export type Buffers = Array<ArrayBuffer | ArrayBufferView>;

/** One message arriving on a comm (`comm_open` or `comm_msg` content plus its buffers). */
export interface CommMessage {
  /** `content.data` of the Jupyter message: JSON from the frontend, to be checked before use. */
  data: unknown;
  /** Binary buffers of the message, as DataViews. */
  buffers: DataView[];
  /** `metadata` of the Jupyter message. */
  metadata?: Record<string, unknown>;
  /** `header` of the Jupyter message (msg_id, msg_type, ...). */
  header?: Record<string, unknown>;
}

/** One open comm: a bidirectional channel between kernel and frontend. */
export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  /** Send a `comm_msg` with `data` (JSON) and optional binary buffers. */
  send(data: unknown, buffers?: Buffers, metadata?: Record<string, unknown>): void;
  /** Send `comm_close` and forget the comm. */
  close(data?: unknown): void;
  /** Called for every `comm_msg` the frontend sends on this comm. */
  onMessage(cb: (msg: CommMessage) => void | Promise<void>): void;
  /** Called once when the frontend closes the comm. */
  onClose(cb: (msg: CommMessage) => void): void;
  readonly closed: boolean;
}

/** What the kernel offers to kernel-side code for comms and rich output. */
export interface CommTransport {
  /** True inside a live kernel, false for the offline (recording) transport. */
  readonly live: boolean;
  /** Open a comm from the kernel side (`comm_open` on iopub). */
  open(
    targetName: string,
    data: unknown,
    buffers?: Buffers,
    metadata?: Record<string, unknown>,
    commId?: string,
  ): Comm;
  /** Handle comms the frontend opens on `targetName` (`comm_open` on shell). */
  registerTarget(targetName: string, handler: (comm: Comm, msg: CommMessage) => void | Promise<void>): void;
  /** Emit a `display_data` message for the current parent (cell or comm message). */
  displayData(data: Record<string, unknown>, metadata?: Record<string, unknown>): void;
  /** Emit `clear_output` for the current parent (`wait`: clear when the next output arrives). */
  clearOutput(wait: boolean): void;
  /** msg_id of the message being handled now (the running cell, or the comm_msg being handled). */
  currentParentMsgId(): string | undefined;
}

let transport: CommTransport | undefined;

/** Install the transport (the kernel does this at start-up). */
export function setCommTransport(t: CommTransport): void {
  transport = t;
}

/** The active transport, or undefined when none was installed (callers fall back to offline). */
export function getInstalledCommTransport(): CommTransport | undefined {
  return transport;
}
