/**
 * Long runs: chunks sized to the backend's memory, progress reports, and stopping with an
 * AbortSignal. Every technique that runs many forward/backward passes goes through {@link forEachChunk}.
 */
import { tf } from '../tf';
import { allLayers } from './layer-lookup';

/** Progress of a long run. */
export interface RunProgress {
  /** Work items finished (occluded images, noisy samples, interpolation steps...). */
  done: number;
  /** Work items in total. */
  total: number;
  /** done / total. */
  fraction: number;
}

/** Options every technique accepts to control a long run. */
export interface RunControl {
  /** Stop the run: the promise rejects with the signal's reason (an AbortError) at the next chunk. */
  signal?: AbortSignal;
  /** Called after every chunk. */
  onProgress?: (progress: RunProgress) => void;
  /** Images per forward/backward pass; default sized to the backend's memory (see {@link defaultBatchSize}). */
  batchSize?: number;
}

const GPU_BACKENDS = new Set(['webgpu', 'webgl', 'tensorflow']);

/** Bytes one chunk may use: 512 MiB on GPU backends, 128 MiB on wasm/cpu. */
export function memoryBudgetBytes(backend = tf.getBackend()): number {
  return (GPU_BACKENDS.has(backend) ? 512 : 128) * 2 ** 20;
}

function elements(shape: unknown): number {
  if (!Array.isArray(shape)) return 0;
  if (Array.isArray(shape[0])) return (shape as unknown[]).reduce<number>((s, x) => s + elements(x), 0);
  return (shape as Array<number | null>).slice(1).reduce<number>((p, d) => p * (d ?? 1), 1);
}

/** float32 bytes of one example's input and every layer output (an upper bound for a forward pass). */
export function bytesPerExample(model: tf.LayersModel): number {
  const layers = allLayers(model).filter((l) => !(l instanceof tf.LayersModel));
  return 4 * (elements(model.inputs[0].shape) + layers.reduce((s, l) => s + elements(l.outputShape), 0));
}

/**
 * Examples per chunk: the memory budget over the bytes one example needs (`factor` 2 or 3 when a
 * backward pass keeps activations), between 1 and 256.
 */
export function defaultBatchSize(model: tf.LayersModel, factor = 1): number {
  const fit = Math.floor(memoryBudgetBytes() / (bytesPerExample(model) * factor));
  return Math.max(1, Math.min(256, fit));
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Run `fn(start, end)` over `[0, total)` in chunks of `size`, yielding to the event loop between
 * chunks (so an abort or a widget message gets through), reporting progress, and stopping when
 * `control.signal` is aborted.
 */
export async function forEachChunk(
  total: number,
  size: number,
  control: RunControl,
  fn: (start: number, end: number) => void,
): Promise<void> {
  control.signal?.throwIfAborted();
  for (let start = 0; start < total; start += size) {
    const end = Math.min(total, start + size);
    fn(start, end);
    control.onProgress?.({ done: end, total, fraction: end / total });
    await nextTick();
    control.signal?.throwIfAborted();
  }
}

/** The chunk size: `control.batchSize` when given (checked), else {@link defaultBatchSize}. */
export function chunkSize(model: tf.LayersModel, control: RunControl, factor = 1): number {
  const b = control.batchSize;
  if (b === undefined) return defaultBatchSize(model, factor);
  if (!Number.isInteger(b) || b < 1) throw new Error(`batchSize must be an integer >= 1; got ${JSON.stringify(b)}`);
  return b;
}
