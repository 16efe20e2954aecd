/**
 * Jest runs each test file in a fresh module registry, so every file that starts the wasm backend
 * instantiates its own wasm module. With threads each would keep its 8 worker threads (and its wasm
 * memory) until the jest worker exits, so tests run the wasm backend single-threaded unless the
 * caller sets CONVLENS_WASM_THREADS. The threaded backend is tested in child processes
 * (test/foundation/wasm-threads.test.ts).
 */
process.env.CONVLENS_WASM_THREADS ??= '1';
