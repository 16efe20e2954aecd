import type { Buffers } from '../comm/comm-types';

/** Outgoing comm buffers as ZeroMQ frames (no copy: the frames view the same memory). */
export function toFrames(buffers: Buffers | undefined): Buffer[] {
  return (buffers ?? []).map((b) =>
    ArrayBuffer.isView(b) ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.from(b),
  );
}

/** Incoming ZeroMQ frames as DataViews (no copy). */
export function toDataViews(frames: Buffer[]): DataView[] {
  return frames.map((f) => new DataView(f.buffer, f.byteOffset, f.byteLength));
}
