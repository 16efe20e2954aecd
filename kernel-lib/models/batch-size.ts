/**
 * How many images one forward/backward pass may take: the backend's memory budget over what one
 * image costs in this model. The run loop itself is `core/run-control.ts`.
 */
import { tf } from '../tf';
import { checkBatchSize, type RunControl } from '../core/run-control';
import { allLayers } from './layers';

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

/** The chunk size: `control.batchSize` when given (checked), else {@link defaultBatchSize}. */
export function chunkSize(model: tf.LayersModel, control: RunControl, factor = 1): number {
  return control.batchSize === undefined ? defaultBatchSize(model, factor) : checkBatchSize(control.batchSize);
}
