/**
 * Test helpers: install a fresh offline transport and play the frontend against it.
 */
import { setCommTransport } from '../../kernel-lib/comm/comm-types';
import { OfflineTransport, type RecordedMessage } from '../../kernel-lib/comm/offline-transport';
import type { Widget } from '../../kernel-lib/ipywidgets/widget';

/** A fresh recording transport installed as the kernel's transport. */
export function freshTransport(): OfflineTransport {
  const t = new OfflineTransport();
  setCommTransport(t);
  return t;
}

/** The comm messages (data only) a widget sent, after its comm_open. */
export function sentData(t: OfflineTransport, w: Widget<any>): any[] {
  return t.messagesFor(w.modelId).filter((m) => m.type === 'comm_msg').map((m) => (m as any).data);
}

/** The comm_open message of a widget. */
export function openOf(t: OfflineTransport, w: Widget<any>): Extract<RecordedMessage, { type: 'comm_open' }> {
  const m = t.messagesFor(w.modelId).find((x): x is Extract<RecordedMessage, { type: 'comm_open' }> => x.type === 'comm_open');
  if (!m) throw new Error(`no comm_open for ${w.modelId}`);
  return m;
}

/** Deliver a frontend state update to `w`. */
export function frontendUpdate(t: OfflineTransport, w: Widget<any>, state: Record<string, unknown>, bufferPaths: unknown[] = [], buffers: Uint8Array[] = []): Promise<void> {
  return t.deliver(w.modelId, { method: 'update', state, buffer_paths: bufferPaths }, buffers);
}

/** Bytes of a DataView, as an array (for comparisons). */
export function bytes(v: DataView | Uint8Array): number[] {
  return Array.from(v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}

/** Silence and collect console.error while `fn` runs. */
export async function collectErrors(fn: () => unknown): Promise<string[]> {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await fn();
    return spy.mock.calls.map((c) => c.map(String).join(' '));
  } finally {
    spy.mockRestore();
  }
}
