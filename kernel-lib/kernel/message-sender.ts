import type { MessageSigner } from './hmac';
import { StreamCoalescer } from './stream-coalescer';
import { encodeMessage, newHeader, type JupyterMessage, type MessageHeader } from './wire';

/** The part of a zeromq 6 socket the sender needs. */
export interface SendableSocket {
  send(frames: Buffer[]): Promise<void>;
}

/** Optional parts of an outgoing message. */
export interface SendOptions {
  metadata?: Record<string, unknown>;
  buffers?: Buffer[];
}

/**
 * Signs and sends kernel messages. zeromq 6 allows one pending send per socket, so sends
 * on each socket are chained in order; a failed send is logged and does not stop later ones.
 */
export class MessageSender {
  private readonly queues = new Map<SendableSocket, Promise<void>>();
  private stopped = false;
  private readonly streams = new StreamCoalescer((name, text, parent) =>
    this.send(this.iopub, [Buffer.from('stream')], 'stream', { name, text }, parent, {}),
  );

  /**
   * @param signer signs the JSON parts.
   * @param session this kernel's session id (header.session of everything it sends).
   * @param iopub the IOPub publisher socket.
   * @param log where send failures are reported.
   */
  constructor(
    private readonly signer: MessageSigner,
    readonly session: string,
    private readonly iopub: SendableSocket,
    private readonly log: (text: string) => void,
  ) {}

  /** Send `<request type>_reply`-style `msgType` back to the peer that sent `request` on `socket`. */
  reply(socket: SendableSocket, request: JupyterMessage, msgType: string, content: object, options: SendOptions = {}): void {
    this.streams.flush();
    this.send(socket, request.identities, msgType, content, request.header, options);
  }

  /**
   * Publish `msgType` on IOPub with `parent` as its parent header (`{}` when undefined).
   * `stream` messages are merged with adjacent writes (see {@link StreamCoalescer}).
   */
  publish(msgType: string, content: object, parent: Partial<MessageHeader> | undefined, options: SendOptions = {}): void {
    const stream = content as { name?: unknown; text?: unknown };
    if (msgType === 'stream' && typeof stream.text === 'string' && typeof stream.name === 'string' && !options.buffers?.length) {
      this.streams.write(stream.name, stream.text, parent);
      return;
    }
    this.streams.flush();
    this.send(this.iopub, [Buffer.from(msgType)], msgType, content, parent, options);
  }

  /** Resolves once every message handed to the sender so far has been sent (or failed). */
  async flush(): Promise<void> {
    this.streams.flush();
    await Promise.all(this.queues.values());
  }

  /** Drop everything sent from now on (the sockets are about to close). */
  stop(): void {
    this.stopped = true;
  }

  private send(
    socket: SendableSocket,
    identities: Buffer[],
    msgType: string,
    content: object,
    parent: Partial<MessageHeader> | undefined,
    options: SendOptions,
  ): void {
    if (this.stopped) return;
    const message: JupyterMessage = {
      identities,
      header: newHeader(msgType, this.session),
      parent_header: parent ?? {},
      metadata: options.metadata ?? {},
      content: content as Record<string, unknown>,
      buffers: options.buffers ?? [],
    };
    const frames = encodeMessage(message, this.signer);
    const previous = this.queues.get(socket) ?? Promise.resolve();
    const next = previous
      .then(() => socket.send(frames))
      .catch((e) => this.log(`convlens kernel: failed to send ${msgType}: ${e}\n`));
    this.queues.set(socket, next);
  }
}
