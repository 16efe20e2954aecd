import { randomUUID } from 'crypto';
import type { MessageSigner } from './hmac';

/** The header of a Jupyter message. */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
  [key: string]: unknown;
}

/** A decoded Jupyter message (messaging protocol 5.3). */
export interface JupyterMessage {
  /** ZeroMQ routing identities in front of the `<IDS|MSG>` delimiter. */
  identities: Buffer[];
  header: MessageHeader;
  /** The header of the message this one answers; `{}` when none. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  /** The message content (a JSON object; `{}` when the frame held anything else). Handlers check its fields. */
  content: Record<string, unknown>;
  /** Binary buffers: the frames after the four JSON parts. */
  buffers: Buffer[];
}

/** Thrown for a frame list that is not a valid, correctly signed Jupyter message. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** The protocol version this kernel speaks. */
export const PROTOCOL_VERSION = '5.3';

const DELIMITER = Buffer.from('<IDS|MSG>');

/**
 * Decode ZeroMQ frames into a message. The HMAC is checked over the four JSON parts only
 * (header, parent header, metadata, content); the buffers after them are not signed.
 * @throws WireError when the delimiter is missing, the signature is wrong or a JSON part is invalid.
 */
export function decodeMessage(frames: Buffer[], signer: MessageSigner): JupyterMessage {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0) throw new WireError('message has no <IDS|MSG> delimiter');
  const signature = frames[delimiterAt + 1];
  const parts = frames.slice(delimiterAt + 2, delimiterAt + 6);
  if (signature === undefined || parts.length < 4) {
    throw new WireError(`message has ${parts.length} of the 4 JSON parts`);
  }
  if (!signer.verify(signature.toString('ascii'), parts)) {
    throw new WireError('message signature (HMAC) does not match');
  }
  const [header, parent_header, metadata, content] = parts.map((part, i) => parseJsonPart(part, i));
  if (!isHeader(header)) throw new WireError('message header lacks msg_type or msg_id');
  return {
    identities: frames.slice(0, delimiterAt),
    header,
    parent_header: isObject(parent_header) ? parent_header : {},
    metadata: isObject(metadata) ? metadata : {},
    content: isObject(content) ? content : {},
    buffers: frames.slice(delimiterAt + 6),
  };
}

/** Encode and sign a message into ZeroMQ frames. */
export function encodeMessage(message: JupyterMessage, signer: MessageSigner): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map(
    (part) => Buffer.from(JSON.stringify(part)),
  );
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(parts)), ...parts, ...message.buffers];
}

/** A fresh header for a message of `msgType` sent by this kernel's `session`. */
export function newHeader(msgType: string, session: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username: 'convlens',
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

function parseJsonPart(part: Buffer, index: number): unknown {
  try {
    return JSON.parse(part.toString('utf8')) as unknown;
  } catch (e) {
    const names = ['header', 'parent header', 'metadata', 'content'];
    throw new WireError(`message ${names[index]} is not valid JSON: ${(e as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHeader(value: unknown): value is MessageHeader {
  return isObject(value) && typeof value.msg_type === 'string' && typeof value.msg_id === 'string';
}
