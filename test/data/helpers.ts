/** Shared by the data and models tests: backend set-up and leak-checking wrappers. */
import { tf } from '../../kernel-lib/tf';
import { initBackend } from '../../kernel-lib/backend';

/** Initialises the backend convlens picks (honours CONVLENS_BACKEND: wasm or cpu). */
export async function setupBackend(): Promise<void> {
  await initBackend({ log: false });
}

/** Calls `fn`, disposes every tensor it returns, and expects the live tensor count unchanged. */
export async function expectNoLeak(fn: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  const value = await fn();
  tf.dispose(value as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Expects synchronous `fn` to throw a message matching `pattern`. Tensors the test itself builds
 * inside `fn` are released by a tidy scope; the library must leave nothing else behind.
 */
export function expectError(fn: () => unknown, pattern: RegExp): void {
  const before = tf.memory().numTensors;
  expect(() => tf.tidy(() => { fn(); })).toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

/** Expects async `fn` to reject with a message matching `pattern`, leaving no tensors behind. */
export async function expectRejection(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(fn()).rejects.toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}
