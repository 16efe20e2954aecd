/**
 * Kernel fixes: tfjs 4.22 kernels that give wrong numbers (or are missing) on some backend,
 * replaced by kernels that agree with TensorFlow, PyTorch and each other, and one gradient of
 * tfjs-core that is wrong everywhere (MirrorPad, mirror-pad-grad.ts). `initBackend` registers
 * the fixes for the backend it selects; `test/conformance` compares every kernel convlens uses
 * across backends and shows that the stock kernels kept by {@link stockKernel} fail it.
 */
import { tf } from '../tf';
import { exactAvgPoolGrad } from './avg-pool-grad';
import { KernelFunc } from './kernel-calls';
import { overhangSafeMaxPoolGrad } from './max-pool-grad-overhang';
import { registerMirrorPadGradient } from './mirror-pad-grad';
import { exactResizeGrad } from './resize-grad';
import { firstTieMaxPoolGrad } from './reversed-max-pool-grad';
import { wasmMaxPoolGrad } from './wasm-max-pool-grad';
import { overhangSafePool } from './wasm-pool-overhang';
import { boolSafeSelect, float32OneHot, int32SafeClip, loopGather, unsortedSegmentSum } from './wasm-small-kernels';
import { nearestCropAndResize } from './wasm-crop-and-resize';
import { explicitTransposeMatMul } from './wasm-matmul-transpose';
import { sharedIdentity, sharedSameDtypeCast } from './wasm-shared-copies';
import { groupedAddN } from './webgpu-add-n';

/** One replaced or added kernel. */
export interface KernelFix {
  /** The tfjs kernel name, e.g. 'MaxPoolGrad'. */
  kernel: string;
  /** What the stock kernel gets wrong. */
  defect: string;
  /** The stock kernel's numbers are right, only slow: the fix must give the same numbers. */
  speedOnly?: true;
  /** Builds the fixed kernel from the backend name and the stock kernel (absent when it is missing). */
  make(backendName: string, stock: KernelFunc | undefined): KernelFunc;
}

const needsStock = (kernel: string, stock: KernelFunc | undefined): KernelFunc => {
  if (!stock) throw new Error(`convlens: no stock '${kernel}' kernel to wrap`);
  return stock;
};

const avgPoolGrad: KernelFix = {
  kernel: 'AvgPoolGrad',
  defect: 'divides every window by its full size, but the forward pool divides by the cells inside the image: windows over the border get too small a gradient',
  make: (backend, stock) => exactAvgPoolGrad(backend, needsStock('AvgPoolGrad', stock)),
};
const maxPoolGrad: KernelFix = {
  kernel: 'MaxPoolGrad',
  defect: "tfjs-core's MaxPool gradient drops dimRoundingMode: with 'ceil' the last windows get no gradient",
  make: (backend, stock) => overhangSafeMaxPoolGrad(backend, needsStock('MaxPoolGrad', stock)),
};
const resizeBilinearGrad: KernelFix = {
  kernel: 'ResizeBilinearGrad',
  defect: 'ignores halfPixelCenters (cpu also swaps height and width of the result)',
  make: (backend) => exactResizeGrad(backend, 'bilinear'),
};
const resizeNearestGrad: KernelFix = {
  kernel: 'ResizeNearestNeighborGrad',
  defect: 'ignores halfPixelCenters',
  make: (backend) => exactResizeGrad(backend, 'nearest'),
};

/** The fixes per tfjs backend name ('tensorflow', TensorFlow's own C library, needs none). */
export const KERNEL_FIXES: Readonly<Record<string, readonly KernelFix[]>> = {
  cpu: [maxPoolGrad, avgPoolGrad, resizeBilinearGrad, resizeNearestGrad],
  wasm: [
    {
      kernel: 'MaxPoolGrad',
      defect: "starts the maximum at FLT_MIN and lets the last tie win: windows <= 0 (dead ReLUs) and ties route the gradient wrongly; also loses dimRoundingMode 'ceil'",
      make: () => wasmMaxPoolGrad,
    },
    {
      kernel: 'MaxPool',
      defect: "windows reaching past the padding (pad number + dimRoundingMode 'ceil') read outside the row: garbage outputs",
      make: (_, stock) => overhangSafePool('max', needsStock('MaxPool', stock)),
    },
    {
      kernel: 'AvgPool',
      defect: "windows reaching past the padding (pad number + dimRoundingMode 'ceil') read outside the row: garbage outputs",
      make: (_, stock) => overhangSafePool('avg', needsStock('AvgPool', stock)),
    },
    { kernel: 'Select', defect: "tf.where with bool values writes 4 bytes per 1-byte element (heap corruption)", make: (_, stock) => boolSafeSelect(needsStock('Select', stock)) },
    { kernel: 'OneHot', defect: "oneHot(.., 'float32') holds int32 bit patterns (~1e-45 for 1)", make: (_, stock) => float32OneHot(needsStock('OneHot', stock)) },
    { kernel: 'UnsortedSegmentSum', defect: 'missing: the gradient of tf.gather fails', make: () => unsortedSegmentSum },
    { kernel: 'ClipByValue', defect: 'clips int32 values as float32 bit patterns (-5 clipped to [-2, 5] gives -1073741824)', make: (_, stock) => int32SafeClip(needsStock('ClipByValue', stock)) },
    { kernel: 'CropAndResize', defect: "method 'nearest' samples the wrong pixels (off by a row or column, or from elsewhere, depending on the crop size)", make: (_, stock) => nearestCropAndResize(needsStock('CropAndResize', stock)) },
    { kernel: 'BatchMatMul', speedOnly: true, defect: 'slow, not wrong: with transposeA/transposeB it runs 10-15x slower than an explicit transpose and the plain product (every matMul gradient sets them)', make: (_, stock) => explicitTransposeMatMul(needsStock('BatchMatMul', stock)) },
    { kernel: 'GatherV2', speedOnly: true, defect: 'slow, not wrong: ~30 ns per element on short rows (gathering [N, 2] t-SNE positions took half of the exact method)', make: (_, stock) => loopGather(needsStock('GatherV2', stock)) },
    { kernel: 'Identity', speedOnly: true, defect: 'slow, not wrong: copies its input (tfjs clones every tensor a gradient tape saves)', make: (_, stock) => sharedIdentity(needsStock('Identity', stock)) },
    { kernel: 'Cast', speedOnly: true, defect: "slow, not wrong: copies its input when the dtype does not change (every ReLU gradient casts float32 to float32)", make: (_, stock) => sharedSameDtypeCast(needsStock('Cast', stock)) },
    avgPoolGrad,
    resizeBilinearGrad,
    resizeNearestGrad,
  ],
  webgpu: [
    {
      kernel: 'MaxPoolGrad',
      defect: "lets the last tied maximum win (TensorFlow, PyTorch and cpu pick the first); also loses dimRoundingMode 'ceil'",
      make: (backend, stock) => firstTieMaxPoolGrad(backend, needsStock('MaxPoolGrad', stock)),
    },
    {
      kernel: 'AddN',
      defect: 'binds every input in one shader: past maxStorageBuffersPerShaderStage - 1 inputs (7) the pipeline is invalid and the sum is garbage',
      make: (_, stock) => groupedAddN(needsStock('AddN', stock)),
    },
    avgPoolGrad,
    resizeBilinearGrad,
    resizeNearestGrad,
  ],
};

/** Stock kernels that a fix replaced, by backend and kernel name. */
const stocks = new Map<string, KernelFunc>();
/** The kernel functions convlens registered (to keep registration idempotent). */
const ours = new Set<unknown>();

/**
 * Register the fixes for tfjs backend `backendName` (idempotent). Call once the backend has been
 * created (initBackend does): wasm's stock kernels bind to the wasm module when it starts.
 */
export function registerKernelFixes(backendName: string): void {
  registerMirrorPadGradient();
  for (const fix of KERNEL_FIXES[backendName] ?? []) {
    const current = tf.getKernel(fix.kernel, backendName);
    if (current && ours.has(current.kernelFunc)) continue;
    const stock = current?.kernelFunc as unknown as KernelFunc | undefined;
    if (stock) {
      stocks.set(`${backendName}/${fix.kernel}`, stock);
      tf.unregisterKernel(fix.kernel, backendName);
    }
    const kernelFunc = fix.make(backendName, stock);
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName: fix.kernel, backendName, kernelFunc: kernelFunc as never });
  }
}

/**
 * The stock tfjs kernel a fix replaced on `backendName` (for tests that show its defect), or
 * undefined when the kernel was missing or the fixes are not registered yet.
 */
export function stockKernel(kernelName: string, backendName: string): KernelFunc | undefined {
  return stocks.get(`${backendName}/${kernelName}`);
}
