/**
 * AddN on webgpu with more inputs than a shader may bind: tfjs-backend-webgpu 4.22 binds every
 * input and the output as storage buffers in one shader, so past `maxStorageBuffersPerShaderStage`
 * - 1 inputs (7 on SwiftShader and on WebGPU's default limits) the pipeline is invalid, the result
 * is garbage and the failed submit can take other queued work with it. Summed here in groups of at
 * most that many inputs, then the partial sums again.
 */
import type { KernelArgs, KernelFunc, TensorInfo } from './kernel-calls';

interface WebGpuBackendLimits {
  device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
  disposeData(dataId: object): unknown;
}

/** The stock AddN for at most as many inputs as one shader can bind, grouped sums beyond. */
export function groupedAddN(stock: KernelFunc): KernelFunc {
  const addN = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const tensors = inputs as unknown as TensorInfo[];
    const b = backend as WebGpuBackendLimits;
    const most = Math.max(2, (b.device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
    if (tensors.length <= most) return stock({ inputs, backend, attrs });
    const partial: TensorInfo[] = [];
    try {
      for (let i = 0; i < tensors.length; i += most) {
        partial.push(stock({ inputs: tensors.slice(i, i + most) as unknown as Record<string, TensorInfo>, backend, attrs }));
      }
      return addN({ inputs: partial as unknown as Record<string, TensorInfo>, backend, attrs });
    } finally {
      for (const t of partial) b.disposeData(t.dataId);
    }
  };
  return addN;
}
