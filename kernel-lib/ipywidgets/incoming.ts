/**
 * Type check of one state value sent by the frontend against the kernel's current value, so a
 * malformed update is rejected with a clear message instead of corrupting typed state.
 */
import { isWidget } from './registry';
import { isBinary } from './state-codec';
import { previewValue } from '../core/preview';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (isWidget(v)) return 'widget';
  if (isBinary(v)) return 'binary';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

/**
 * Accept `incoming` when it has the same kind as `current` (number, string, boolean, list,
 * object, widget, binary); anything goes when `current` is null. Numbers must be finite.
 * Returns `{ value }` or a message saying what was expected.
 */
export function checkIncomingValue(current: unknown, incoming: unknown): { value: unknown } | string {
  const want = kindOf(current);
  const got = kindOf(incoming);
  if (want !== 'null' && want !== got) return `expected a ${want} like ${previewValue(current)}, got ${previewValue(incoming)}`;
  if (typeof incoming === 'number' && !Number.isFinite(incoming)) return `expected a finite number, got ${incoming}`;
  return { value: incoming };
}
