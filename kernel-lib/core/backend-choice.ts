/**
 * The backend choice as the lower layers see it. Loaders (models, datasets) call
 * {@link ensureBackend} before their first tensor; the backend module, which sits above them,
 * registers how to choose ({@link setBackendChooser}) when it is loaded.
 *
 * Without it, a notebook that starts with `await lens.loadModel(...)` (no `initBackend()`) ran on
 * tfjs's implicit choice, the pure-JS cpu backend (tfjs skips backends that start asynchronously,
 * wasm and webgpu), tens of times slower than wasm, printing only tfjs's own banner.
 */
let chooser: (() => Promise<unknown>) | undefined;

/** Called by the backend module: `choose` picks and starts the backend (once; later calls return the choice). */
export function setBackendChooser(choose: () => Promise<unknown>): void {
  chooser = choose;
}

/** Resolves once a backend has been chosen the convlens way (a no-op after `initBackend`). */
export async function ensureBackend(): Promise<void> {
  await chooser?.();
}
