/**
 * Run control, the one owner for every long call: stopping with an AbortSignal, progress
 * reports, chunking, and yielding to the event loop between chunks (so a Stop button, an abort
 * or a widget message gets through). Techniques loop with {@link forEachChunk}; anything that
 * streams a dataset (activations, max patches, dissection) loops with {@link batches}. Both
 * check for a stop with {@link throwIfStopped}, the one place a kernel-wide interrupt joins in.
 * How many images fit in one chunk is the model layer's (`models/batch-size.ts`).
 */
import { tf } from '../tf';
import { describeValue } from './checks';

/** Progress of a long run. */
export interface RunProgress {
  /** Work items finished (occluded images, noisy samples, interpolation steps, dataset items...). */
  done: number;
  /** Work items in total (NaN when a streamed source does not say). */
  total: number;
  /** done / total (NaN when the total is unknown). */
  fraction: number;
}

/** Options every long call accepts to control its run. */
export interface RunControl {
  /** Stop the run: the promise rejects with the signal's reason (an AbortError) at the next chunk. */
  signal?: AbortSignal;
  /** Called after every chunk. */
  onProgress?: (progress: RunProgress) => void;
  /** Items per forward/backward pass; default sized to the backend's memory (`defaultBatchSize`). */
  batchSize?: number;
}

/** Where the kernel-wide stop comes from (the kernel installs it); none outside a kernel. */
let kernelStop: () => AbortSignal | undefined = () => undefined;

/**
 * Install the source of the kernel-wide stop: a function returning the signal of the work being
 * run now (the cell or widget message it was started from), aborted when the kernel is
 * interrupted. The kernel calls this once at start-up; every stop check joins that signal in.
 */
export function setKernelStop(source: () => AbortSignal | undefined): void {
  kernelStop = source;
}

/** Throws the kernel-wide stop's reason (an AbortError) when the kernel was interrupted during this work. */
export function throwIfInterrupted(): void {
  kernelStop()?.throwIfAborted();
}

/**
 * Throws the reason (an AbortError) when the run was stopped: by its own `signal`, or by a
 * kernel interrupt ({@link setKernelStop}). Every long loop calls this between chunks.
 */
export function throwIfStopped(control: RunControl): void {
  control.signal?.throwIfAborted();
  throwIfInterrupted();
}

/** Resolves on the next turn of the event loop (after pending I/O, e.g. comm messages). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Report `done` of `total` to `control.onProgress`. */
export function reportProgress(control: RunControl, done: number, total: number): void {
  control.onProgress?.({ done, total, fraction: done / total });
}

/** @throws unless `batchSize` is an integer >= 1; returns it. */
export function checkBatchSize(batchSize: unknown): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be an integer >= 1; got ${JSON.stringify(batchSize)}`);
  }
  return batchSize;
}

/**
 * Run `fn(start, end)` over `[0, total)` in chunks of `size`, yielding to the event loop between
 * chunks, reporting progress, and stopping when `control.signal` is aborted.
 */
export async function forEachChunk(
  total: number,
  size: number,
  control: RunControl,
  fn: (start: number, end: number) => void | Promise<void>,
): Promise<void> {
  throwIfStopped(control);
  for (let start = 0; start < total; start += size) {
    const end = Math.min(total, start + size);
    await fn(start, end);
    reportProgress(control, end, total);
    await yieldToEventLoop();
    throwIfStopped(control);
  }
}

/** A dataset for {@link batches}: one tensor `[N, ...]`, or batches `[b, ...]` from a (sync or async) iterable. */
export type BatchSource = tf.Tensor | Iterable<tf.Tensor> | AsyncIterable<tf.Tensor>;

/** One batch of a {@link BatchSource}: rows `[start, end)` of the whole dataset. */
export interface Batch {
  /** `[end - start, ...]`; valid until the loop moves on (clone or `tf.keep` it to hold on to it). */
  tensor: tf.Tensor;
  start: number;
  end: number;
}

/** Options of {@link batches}: run control, and the number of items when an iterable source has one. */
export interface BatchOptions extends RunControl {
  /** Items in the whole source, for progress (a tensor source knows its own). */
  total?: number;
}

function isIterable(x: unknown): x is Iterable<tf.Tensor> | AsyncIterable<tf.Tensor> {
  return typeof x === 'object' && x !== null && (Symbol.iterator in x || Symbol.asyncIterator in x);
}

/**
 * Stream `data` in batches of at most `batchSize` items, the dataset loop every long call shares:
 * a tensor is sliced along axis 0; an iterable's batches are passed on as they are (split when
 * larger than `batchSize`; they stay the producer's to dispose). Between batches it yields to the
 * event loop, reports progress and stops on `signal`. Slices it makes are disposed when the loop
 * moves on or ends.
 *
 * @example
 * for await (const { tensor, start } of batches(images, 64, { signal, onProgress })) { ... }
 */
export async function* batches(data: BatchSource, batchSize: number, opts: BatchOptions = {}): AsyncGenerator<Batch> {
  checkBatchSize(batchSize);
  if (!(data instanceof tf.Tensor) && !isIterable(data)) {
    throw new Error(`data must be a tensor [N, ...] or an iterable of batches; got ${describeValue(data)}`);
  }
  const total = data instanceof tf.Tensor ? data.shape[0] ?? 0 : opts.total ?? NaN;
  throwIfStopped(opts);
  let done = 0;
  const source: Iterable<tf.Tensor> | AsyncIterable<tf.Tensor> = data instanceof tf.Tensor ? [data] : data;
  for await (const item of source) {
    if (!(item instanceof tf.Tensor) || item.rank === 0) throw new Error(`batches: each batch must be a tensor [b, ...]; got ${describeValue(item)}`);
    const rows = item.shape[0];
    for (let from = 0; from < rows; from += batchSize) {
      const size = Math.min(batchSize, rows - from);
      const whole = from === 0 && size === rows;
      const tensor = whole ? item : tf.slice(item, from, size);
      try {
        yield { tensor, start: done, end: done + size };
      } finally {
        if (!whole) tensor.dispose();
      }
      done += size;
      reportProgress(opts, done, total);
      await yieldToEventLoop();
      throwIfStopped(opts);
    }
  }
}
