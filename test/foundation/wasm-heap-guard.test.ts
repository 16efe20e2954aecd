/**
 * The wasm heap guard: an allocation the wasm heap cannot hold (it grows to 4 GB at most) throws an
 * error that says so, instead of tfjs-backend-wasm placing the tensor at address 0 over the heap
 * (the full-length notebook 09 then failed later with "memory access out of bounds"); nothing
 * leaks and the backend keeps working. Nothing here touches the memory it asks for.
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { WASM_HEAP_LIMIT } from '../../kernel-lib/wasm-heap-guard';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

test('an allocation past the wasm heap limit throws a clear error; no leak, the backend still works', async () => {
  expect(tf.getBackend()).toBe('wasm');
  const before = tf.memory().numTensors;
  // 4 GB - 64 KB of float32: tfjs' own checks pass, the heap (already holding the module) cannot grow that far.
  expect(() => tf.fill([2 ** 30 - 2 ** 14], 1)).toThrow(/wasm heap is full: a tensor of 4096 MB does not fit .*at most 4096 MB.*smaller batches/);
  expect(tf.memory().numTensors).toBe(before);
  const wasm = (tf.backend() as unknown as { wasm: { _malloc(bytes: number): number } }).wasm;
  // 4 GB and more would wrap around to a small block: refused before the module sees it.
  expect(() => wasm._malloc(WASM_HEAP_LIMIT + 8)).toThrow(/wasm heap is full/);
  const x = tf.tidy(() => tf.ones([4]).add(1));
  expect(Array.from(await x.data())).toEqual([2, 2, 2, 2]);
  x.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
