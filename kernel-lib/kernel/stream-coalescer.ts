import type { MessageHeader } from './wire';

/** Sends one `stream` message. */
export type StreamSend = (name: string, text: string, parent: Partial<MessageHeader> | undefined) => void;

/** Pending text larger than this is sent at once rather than at the end of the tick. */
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * Merges consecutive writes to the same stream with the same parent into one `stream` message,
 * sent at the end of the current event-loop turn (as ipykernel batches output): a loop that
 * logs thousands of lines sends a handful of messages. Whoever sends other messages calls
 * {@link StreamCoalescer.flush} first, so the order of output is kept.
 */
export class StreamCoalescer {
  private pending: { name: string; parent: Partial<MessageHeader> | undefined; chunks: string[]; size: number } | undefined;
  private scheduled = false;

  constructor(private readonly send: StreamSend) {}

  /** Add `text` to stream `name` of `parent`. */
  write(name: string, text: string, parent: Partial<MessageHeader> | undefined): void {
    const p = this.pending;
    if (!p || p.name !== name || p.parent !== parent) {
      this.flush();
      this.pending = { name, parent, chunks: [text], size: text.length };
    } else {
      p.chunks.push(text);
      p.size += text.length;
    }
    if (this.pending!.size > MAX_PENDING_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Send the pending text now, if any. */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.send(p.name, p.chunks.join(''), p.parent);
  }
}
