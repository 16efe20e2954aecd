/**
 * Checks of plain option values (integers, numbers, one-of choices) with errors that name the
 * argument, the bad value and what is allowed. Model-aware checks (the model, images, layers,
 * class targets) build on these in `models/validate.ts`.
 */
import { tf } from '../tf';
import { previewValue } from './preview';

/** Short description of any value for error messages. */
export function describeValue(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor of shape ${JSON.stringify(v.shape)}`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array ${previewValue(v)}`;
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  return `${typeof v} ${previewValue(v)}`;
}

/**
 * @throws unless `value` is an integer in [min, max].
 */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new Error(`${name} must be ${range}; got ${describeValue(value)}`);
  }
  return value;
}

/**
 * @throws unless `value` is a finite number in [min, max].
 */
export function checkNumber(name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number in [${min}, ${max}]; got ${describeValue(value)}`);
  }
  return value;
}

/**
 * @throws unless `value` is one of `allowed` (compared with `===`); the message lists them.
 */
export function checkOneOf<T>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((a) => (typeof a === 'string' ? `'${a}'` : JSON.stringify(a))).join(', ');
    throw new Error(`${name} must be one of ${list}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** True for a non-null object that is not an array (e.g. a JSON object from the wire). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The property `key` of an object typed by an interface (interfaces have no index signature to read by name). */
export function propertyOf(obj: object, key: PropertyKey): unknown {
  return (obj as Record<PropertyKey, unknown>)[key];
}

/** True for a tfjs tensor (typed as `tf.Tensor`; `instanceof` alone narrows to `Tensor<any>`). */
export function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

/**
 * @throws when tensor `value` (named `name`) holds NaN or ±Infinity, with how many and where the
 * first one is. Other values pass (their own checks name them). One read of one number when all are finite.
 */
export async function checkFinite(name: string, value: unknown): Promise<void> {
  if (!isTensor(value) || value.dtype !== 'float32' || value.size === 0) return;
  // Fast path (two SIMD kernels, one number read): x - x is 0 for every finite x and NaN for NaN
  // and ±Infinity, so the sum is NaN exactly when something is not finite. The bool masks below
  // (IsFinite, Cast) cost a third of a Grad-CAM call on wasm; they run only to name the culprit.
  const probe = tf.tidy(() => tf.sum(tf.sub(value, value)));
  let sum: number;
  try {
    sum = (await probe.data())[0];
  } finally {
    probe.dispose();
  }
  if (!Number.isNaN(sum)) return;
  const parts = tf.tidy(() => {
    const flat = tf.reshape(value, [-1]);
    const bad = tf.cast(tf.logicalNot(tf.isFinite(flat)), 'int32');
    const first = tf.argMax(bad);
    return [tf.sum(bad), first, tf.gather(flat, tf.reshape(first, [1]))];
  });
  let count: number, index: number, firstValue: number;
  try {
    [count, index, firstValue] = (await Promise.all(parts.map((t) => t.data()))).map((d) => Number(d[0]));
  } finally {
    tf.dispose(parts);
  }
  if (count === 0) return;
  const at: number[] = [];
  for (let rest = index, i = value.rank - 1; i >= 0; i--) {
    at.unshift(rest % value.shape[i]);
    rest = Math.floor(rest / value.shape[i]);
  }
  throw new Error(`${name} must hold finite numbers; got ${count} NaN or infinite value${count === 1 ? '' : 's'} (the first, ${firstValue}, at [${at.join(', ')}] of shape ${JSON.stringify(value.shape)})`);
}
