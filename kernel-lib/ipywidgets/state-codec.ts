/**
 * Wire encoding of widget state (protocol 2.x): widgets become `"IPY_MODEL_<id>"` references and
 * binary values (Uint8Array, DataView, any ArrayBufferView or ArrayBuffer) are split out into
 * buffers with `buffer_paths`: removed from objects, replaced by `null` in lists.
 */
import { propertyOf } from '../core/checks';
import { MODEL_REF_PREFIX } from './protocol';
import { isWidget, widgetById, type RegisteredWidget } from './registry';
import { previewValue } from '../core/preview';

/** A path into a state object: object keys and list indices. */
export type BufferPath = Array<string | number>;

/** A state split into its JSON part and its binary buffers. */
export interface EncodedState {
  state: Record<string, unknown>;
  bufferPaths: BufferPath[];
  buffers: DataView[];
}

/** True for values sent as binary buffers. */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function asDataView(value: ArrayBuffer | ArrayBufferView): DataView {
  if (value instanceof DataView) return value;
  if (ArrayBuffer.isView(value)) return new DataView(value.buffer, value.byteOffset, value.byteLength);
  return new DataView(value);
}

function encodeValue(value: unknown, path: BufferPath, out: EncodedState): unknown {
  if (isWidget(value)) return MODEL_REF_PREFIX + value.modelId;
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (isBinary(v)) {
        out.bufferPaths.push([...path, i]);
        out.buffers.push(asDataView(v));
        return null;
      }
      return encodeValue(v, [...path, i], out);
    });
  }
  if (typeof value === 'object' && value !== null) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (isBinary(v)) {
        out.bufferPaths.push([...path, k]);
        out.buffers.push(asDataView(v));
      } else {
        obj[k] = encodeValue(v, [...path, k], out);
      }
    }
    return obj;
  }
  return value;
}

/** Encode a (partial) state for the wire. */
export function encodeState(state: object): EncodedState {
  const out: EncodedState = { state: {}, bufferPaths: [], buffers: [] };
  for (const [k, v] of Object.entries(state)) {
    if (v === undefined) continue;
    if (isBinary(v)) {
      out.bufferPaths.push([k]);
      out.buffers.push(asDataView(v));
    } else {
      out.state[k] = encodeValue(v, [k], out);
    }
  }
  return out;
}

/**
 * Put received buffers back at their paths (inverse of {@link encodeState}'s split). Throws a
 * clear error when a path does not fit the state or the counts differ.
 */
export function putBuffers(state: Record<string, unknown>, bufferPaths: unknown, buffers: DataView[]): void {
  if (bufferPaths === undefined || bufferPaths === null) return;
  if (!Array.isArray(bufferPaths)) throw new Error(`buffer_paths must be a list of paths, got ${previewValue(bufferPaths)}`);
  if (bufferPaths.length !== buffers.length) {
    throw new Error(`buffer_paths has ${bufferPaths.length} paths but the message has ${buffers.length} buffers`);
  }
  bufferPaths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0 || !path.every((p) => typeof p === 'string' || typeof p === 'number')) {
      throw new Error(`bad buffer path ${previewValue(path)}: expected a non-empty list of keys and indices`);
    }
    const keys: Array<string | number> = path;
    let obj: object = state;
    for (const key of keys.slice(0, -1)) {
      const next = propertyOf(obj, key);
      if (typeof next !== 'object' || next === null) throw new Error(`buffer path ${previewValue(path)} does not exist in the state`);
      obj = next;
    }
    (obj as Record<string | number, unknown>)[keys[keys.length - 1]] = buffers[i];
  });
}

/** Resolve `"IPY_MODEL_<id>"` references (also inside lists) to live widgets; unknown ids throw. */
export function resolveRefs(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(MODEL_REF_PREFIX)) {
    const id = value.slice(MODEL_REF_PREFIX.length);
    const w: RegisteredWidget | undefined = widgetById(id);
    if (!w) throw new Error(`reference ${value} names no live widget`);
    return w;
  }
  if (Array.isArray(value)) return value.map(resolveRefs);
  return value;
}
