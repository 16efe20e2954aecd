/**
 * A clear error when the tfjs wasm heap is full, instead of heap corruption.
 *
 * tfjs-backend-wasm (4.22) places every tensor with the module's `_malloc` and does not check the
 * result: when the heap cannot grow any more (wasm32: 4 GB at most) `_malloc` returns 0 and the
 * tensor is written over the start of the heap (the allocator's own state and other tensors), so
 * the run fails later with `RuntimeError: memory access out of bounds` in an unrelated kernel, or
 * goes on with wrong numbers. A request of 4 GB or more is worse: the size wraps around to 32 bits
 * and a small block is returned for a huge tensor. {@link guardWasmHeap} wraps `_malloc` so both
 * throw an error that names the size, the heap and what to do.
 */

/** The wasm32 address space: the most the tfjs wasm heap can grow to. */
export const WASM_HEAP_LIMIT = 2 ** 32;

/** The parts of the Emscripten module that the guard uses (not in tfjs' public types). */
interface WasmModule {
  _malloc: (bytes: number) => number;
  HEAPU8: Uint8Array;
}

const guarded = new WeakSet<WasmModule>();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** The error for an allocation of `bytes` that the heap cannot hold. */
export function wasmHeapFullError(bytes: number, heapBytes: number): Error {
  return new Error(
    `convlens: the wasm heap is full: a tensor of ${mb(bytes)} does not fit (heap ${mb(heapBytes)}, at most ${mb(WASM_HEAP_LIMIT)} on wasm; ` +
      'tf.memory().numBytes says how much live tensors hold). Dispose tensors you no longer need, or work in smaller batches ' +
      '(fewer or smaller images per call).',
  );
}

/**
 * Makes the wasm backend `backend`'s allocations fail with {@link wasmHeapFullError} instead of
 * returning address 0 (or, for 4 GB and more, a wrapped-around small block). Idempotent; does
 * nothing for a backend without a wasm module.
 */
export function guardWasmHeap(backend: unknown): void {
  const wasm = (backend as { wasm?: WasmModule }).wasm;
  if (!wasm || typeof wasm._malloc !== 'function' || guarded.has(wasm)) return;
  let malloc = wasm._malloc;
  const checked = (bytes: number): number => {
    const at = bytes < WASM_HEAP_LIMIT ? malloc(bytes) : 0;
    if (at === 0 && bytes > 0) throw wasmHeapFullError(bytes, wasm.HEAPU8.length);
    return at;
  };
  // An accessor, not a plain replacement: Emscripten's lazy export stub assigns the native
  // `_malloc` to the module on its first call, which would drop a plain wrapper.
  Object.defineProperty(wasm, '_malloc', {
    configurable: true,
    enumerable: true,
    get: () => checked,
    set: (f: (bytes: number) => number) => {
      malloc = f;
    },
  });
  guarded.add(wasm);
}
