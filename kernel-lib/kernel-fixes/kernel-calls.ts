/**
 * What a kernel written for any tfjs backend needs: call another kernel of the same backend by
 * name, upload constants, and free temporaries. Kernels receive backend tensors (`TensorInfo`),
 * not `tf.Tensor`s, so they compose other kernels directly (tfjs' own composite kernels do the same).
 */
import { tf } from '../tf';

/** A backend tensor: data id, shape and dtype. */
export type TensorInfo = tf.TensorInfo;
/** What a kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs: Record<string, unknown>;
}
/** A kernel function (tfjs' KernelFunc, with the loose types kernels are called with). */
export type KernelFunc = (args: KernelArgs) => TensorInfo;

/** The part of tfjs' KernelBackend used here (public on every backend: cpu, wasm, webgpu). */
interface BackendData {
  write(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object): unknown;
}

/** Run kernel `name` of backend `backendName` on backend tensors. */
export function runKernel(backendName: string, name: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`convlens: the ${backendName} backend has no '${name}' kernel`);
  return (kernel.kernelFunc as unknown as KernelFunc)({ inputs, backend, attrs });
}

/** Upload float32 `values` of `shape` to `backend` as a new backend tensor (free it with {@link withTemps}). */
export function upload(backend: unknown, values: Float32Array, shape: number[]): TensorInfo {
  const dataId = (backend as BackendData).write(values, shape, 'float32');
  return { dataId, shape, dtype: 'float32' } as TensorInfo;
}

/** Run `body` with a list for temporaries, then free them (the returned tensor is kept). */
export function withTemps(backend: unknown, body: (keep: (t: TensorInfo) => TensorInfo) => TensorInfo): TensorInfo {
  const temps: TensorInfo[] = [];
  try {
    return body((t) => (temps.push(t), t));
  } finally {
    for (const t of temps) (backend as BackendData).disposeData(t.dataId);
  }
}
