/**
 * Kernels the tfjs wasm backend (4.22) lacks for training, registered as composites of kernels it has.
 *
 * `Conv2DBackpropFilter` (the weight gradient of a conv layer) is missing from tfjs-backend-wasm, so
 * `model.fit` of any conv net fails there with "Kernel 'Conv2DBackpropFilter' not registered".
 * The filter gradient is itself a convolution: dW = conv2d(x^T, dy^T) with the forward stride as
 * dilation, computed here from the wasm backend's own Pad, Transpose, Conv2D and Slice kernels.
 */
import { tf } from './tf';

type TensorInfo = tf.TensorInfo;
type KernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: Record<string, unknown> }) => TensorInfo;

const BACKEND = 'wasm';

/** Run another kernel of the same backend by name. */
function run(name: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo {
  const kernel = tf.getKernel(name, BACKEND);
  if (!kernel) throw new Error(`convlens: the ${BACKEND} backend has no '${name}' kernel`);
  return (kernel.kernelFunc as unknown as KernelFunc)({ inputs, backend, attrs });
}

/** dW[kh,kw,ci,co] of a 2-D convolution from its input x [b,h,w,ci] and output gradient dy [b,oh,ow,co]. */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('convlens: Conv2DBackpropFilter on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    const padded = keep(run('PadV2', backend, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }));
    const xT = keep(run('Transpose', backend, { x: padded }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const full = keep(
      run('Conv2D', backend, { x: xT, filter: dyT }, {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
        dimRoundingMode: undefined,
      }),
    );
    const [kh, kw] = filterShape;
    const cropped = keep(run('Slice', backend, { x: full }, { begin: [0, 0, 0, 0], size: [full.shape[0], kh, kw, full.shape[3]] }));
    return run('Transpose', backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  } finally {
    const b = backend as { disposeData(id: unknown): void };
    for (const t of temps) b.disposeData(t.dataId);
  }
};

let registered = false;

/** Register the composite training kernels with the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel('Conv2DBackpropFilter', BACKEND)) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND, kernelFunc: conv2DBackpropFilter as never });
  }
}
