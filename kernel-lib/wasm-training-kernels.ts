/**
 * Kernels the tfjs wasm backend (4.22) lacks for training, registered as composites of kernels it has.
 *
 * `Conv2DBackpropFilter` (the weight gradient of a conv layer) is missing from tfjs-backend-wasm, so
 * `model.fit` of any conv net fails there with "Kernel 'Conv2DBackpropFilter' not registered".
 * The filter gradient is itself a convolution: dW = conv2d(x^T, dy^T) with the forward stride as
 * dilation, computed here from the wasm backend's own Pad, Transpose, Conv2D and Slice kernels.
 * The depthwise backprops (input gradients of MobileNet-style nets) are missing too: they are the
 * gradients of the equivalent block-diagonal dense convolution (more work, same numbers).
 */
import { tf } from './tf';
import { KernelFunc, runKernel, TensorInfo, withTemps } from './kernel-fixes/kernel-calls';

const BACKEND = 'wasm';

/** Run another kernel of the same backend by name. */
function run(name: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo {
  return runKernel(BACKEND, name, backend, inputs, attrs);
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
  return withTemps(backend, (keep) => {
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
  });
};

/** The wasm backend's own helpers used here (not part of tfjs' public types). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Identity matrix [n, n] as a backend tensor, shaped [1, 1, n, n, 1] for broadcasting. */
function eye5d(backend: WasmBackend, n: number): TensorInfo {
  const out = backend.makeOutput([1, 1, n, n, 1], 'float32');
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return out;
}

type DepthwiseAttrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function assertNoDilation(name: string, dilations: number | [number, number]): void {
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) throw new Error(`convlens: ${name} on wasm supports dilation 1 only, got [${dh}, ${dw}]`);
}

/**
 * dx of a depthwise convolution: the input gradient of the equivalent dense conv, whose filter
 * [kh,kw,ci,ci*m] is block-diagonal (input channel c feeds only outputs c*m .. c*m+m-1).
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as DepthwiseAttrs & { inputShape: number[] };
  assertNoDilation('DepthwiseConv2dNativeBackpropInput', dilations);
  const [kh, kw, ci, m] = inputs.filter.shape;
  return withTemps(backend, (keep) => {
    const f5 = keep(run('Reshape', backend, { x: inputs.filter }, { shape: [kh, kw, ci, 1, m] }));
    const blocks = keep(run('Multiply', backend, { a: f5, b: keep(eye5d(backend as WasmBackend, ci)) }, {}));
    const dense = keep(run('Reshape', backend, { x: blocks }, { shape: [kh, kw, ci, ci * m] }));
    return run('Conv2DBackpropInput', backend, { dy: inputs.dy, filter: dense }, { strides, pad, dataFormat: 'NHWC', dimRoundingMode, inputShape });
  });
};

/** dW of a depthwise convolution: the block diagonal of the equivalent dense conv's filter gradient. */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as DepthwiseAttrs & { filterShape: [number, number, number, number] };
  assertNoDilation('DepthwiseConv2dNativeBackpropFilter', dilations);
  const [kh, kw, ci, m] = filterShape;
  return withTemps(backend, (keep) => {
    const dense = keep(conv2DBackpropFilter({ inputs, backend, attrs: { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape: [kh, kw, ci, ci * m] } }));
    const d5 = keep(run('Reshape', backend, { x: dense }, { shape: [kh, kw, ci, ci, m] }));
    const diag = keep(run('Multiply', backend, { a: d5, b: keep(eye5d(backend as WasmBackend, ci)) }, {}));
    return run('Sum', backend, { x: diag }, { axis: [3], keepDims: false });
  });
};

let registered = false;

/** Register the composite training kernels with the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const composites: Array<[string, KernelFunc]> = [
    ['Conv2DBackpropFilter', conv2DBackpropFilter],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter],
  ];
  for (const [kernelName, kernelFunc] of composites) {
    if (!tf.getKernel(kernelName, BACKEND)) tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc: kernelFunc as never });
  }
}
