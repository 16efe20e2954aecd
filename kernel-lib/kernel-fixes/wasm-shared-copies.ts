/**
 * `Identity` and same-dtype `Cast` on the tfjs wasm backend (4.22) copy their input into a new
 * buffer. tfjs-core calls `Identity` for every tensor the gradient tape saves (`clone`) and
 * `Cast(.., 'float32')` on float32 values in every ReLU gradient, so a backward pass copied each
 * saved activation once more: ~3% of a VGG block's forward + backward (bench/README.md). These
 * kernels return the input's buffer with one more reference, as the cpu backend's `Identity` and
 * every backend's `Reshape` do (tfjs tensors are immutable: no kernel writes into its inputs).
 * Casts between different dtypes and string tensors go to the stock kernel.
 */
import { KernelArgs, KernelFunc, TensorInfo } from './kernel-calls';

/** The wasm backend's reference counting (not part of tfjs' public types). */
interface RefCounted {
  incRef(dataId: object): void;
}

/** The input itself, one more reference on its buffer. */
function share(x: TensorInfo, backend: unknown): TensorInfo {
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** `Identity` that shares the input's buffer (string tensors: `stock`). */
export function sharedIdentity(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => (args.inputs.x.dtype === 'string' ? stock(args) : share(args.inputs.x, args.backend));
}

/** `Cast` that shares the input's buffer when the dtype does not change (else: `stock`). */
export function sharedSameDtypeCast(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    const { dtype } = args.attrs as { dtype: string };
    return dtype === x.dtype && dtype !== 'string' ? share(x, args.backend) : stock(args);
  };
}
