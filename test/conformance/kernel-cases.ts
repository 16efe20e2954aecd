/**
 * The kernel cases: every forward op convlens' techniques and training run through, with its
 * gradients, on friendly and adversarial inputs (see host-tensors.ts). Tolerances, relative to the
 * largest |value| of each output (atol) and to each value (rtol):
 *
 * | family | atol | rtol | why |
 * | --- | --- | --- | --- |
 * | data movement (pad, slice, concat, gather, where, oneHot, transpose, tile, reverse, cast, compare) | 0 | 0 | copies: exact |
 * | max/avg pool, relu family, maximum/minimum, max/min reductions | 1e-6 | 1e-6 | a few float sums in another order |
 * | smooth activations, softmax, batch norm, elementwise math, resize | 1e-5 | 1e-5 | exp/log/tanh implementations differ in the last bits |
 * | conv2d, depthwise, matMul, sum/mean (long float32 sums) | 2e-5 | 1e-4 | summation order over up to ~100 terms |
 */
import { tf } from '../../kernel-lib/tf';
import { bools, floats, HostTensor, INPUT_KINDS, InputKind, ints } from './host-tensors';
import { KernelCase, Tolerance, withGrads } from './run-cases';

const EXACT: Tolerance = { atol: 0, rtol: 0 };
const TIGHT: Tolerance = { atol: 1e-6, rtol: 1e-6 };
const SMOOTH: Tolerance = { atol: 1e-5, rtol: 1e-5 };
const SUMS: Tolerance = { atol: 2e-5, rtol: 1e-4 };

type Run = KernelCase['run'];
type Op = (t: Record<string, tf.Tensor>) => tf.Tensor;
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

const cases: KernelCase[] = [];
let seed = 1;

/** Values v² + 0.1 for v standard normal (variances). */
function positive(shape: number[], s: number): HostTensor {
  const h = floats('random', shape, s);
  return { ...h, values: h.values.map((v) => v * v + 0.1) };
}

function add(group: string, name: string, inputs: Record<string, HostTensor>, run: Run, tolerance: Tolerance): void {
  cases.push({ group, name: `${group} ${name}`, inputs, run, tolerance });
}

/** The case over every input kind, `x` being the adversarial input. */
function overKinds(group: string, name: string, shape: number[], run: (kind: InputKind) => Run, tolerance: Tolerance, kinds: readonly InputKind[] = INPUT_KINDS, extra: () => Record<string, HostTensor> = () => ({})): void {
  const s = seed++;
  for (const kind of kinds) add(group, `${name} · ${kind}`, { x: floats(kind, shape, s), ...extra() }, run(kind), tolerance);
}

// ---- pooling: max (the wasm defect) and average, over strides and paddings ----
/** Pool geometries: label, input shape, window, strides, padding, rounding. */
export const POOLS: Array<[string, number[], [number, number], [number, number], Pad, ('floor' | 'round' | 'ceil')?]> = [
  ['2x2/2 valid', [2, 6, 6, 3], [2, 2], [2, 2], 'valid'],
  ['3x3/1 same', [2, 5, 7, 2], [3, 3], [1, 1], 'same'],
  ['3x3/2 same', [1, 7, 6, 4], [3, 3], [2, 2], 'same'],
  ['2x2/2 valid odd size', [1, 7, 7, 2], [2, 2], [2, 2], 'valid'],
  ['3x3/3 valid (windows tile the input)', [1, 6, 9, 2], [3, 3], [3, 3], 'valid'],
  ['3x3/2 pad 1 ceil', [1, 6, 5, 2], [3, 3], [2, 2], 1, 'ceil'],
  ['3x3/2 explicit pad', [1, 6, 6, 2], [3, 3], [2, 2], [[0, 0], [1, 2], [0, 1], [0, 0]]],
  ['4x2/3x1 same, 1 channel', [1, 10, 9, 1], [4, 2], [3, 1], 'same'],
];
for (const [label, shape, filter, strides, pad, rounding] of POOLS) {
  overKinds('maxPool', label, shape, () => withGrads((t) => tf.maxPool(t.x as tf.Tensor4D, filter, strides, pad, rounding), ['x']), TIGHT);
  overKinds('avgPool', label, shape, () => withGrads((t) => tf.avgPool(t.x as tf.Tensor4D, filter, strides, pad, rounding), ['x']), TIGHT);
}

// ---- activations and their gradients ----
const ACTIVATIONS: Array<[string, Op, Tolerance]> = [
  ['relu', (t) => tf.relu(t.x), TIGHT],
  ['relu6', (t) => tf.relu6(tf.mul(t.x, 4)), TIGHT],
  ['clipByValue', (t) => tf.clipByValue(t.x, -0.5, 0.5), TIGHT],
  ['leakyRelu', (t) => tf.leakyRelu(t.x, 0.2), TIGHT],
  ['prelu', (t) => tf.prelu(t.x, t.alpha), TIGHT],
  ['elu', (t) => tf.elu(t.x), SMOOTH],
  ['selu', (t) => tf.selu(t.x), SMOOTH],
  ['sigmoid', (t) => tf.sigmoid(t.x), SMOOTH],
  ['tanh', (t) => tf.tanh(t.x), SMOOTH],
  ['softplus', (t) => tf.softplus(t.x), SMOOTH],
  ['abs', (t) => tf.abs(t.x), TIGHT],
  ['step', (t) => tf.step(t.x, 0.1), TIGHT],
  ['exp', (t) => tf.exp(tf.clipByValue(t.x, -20, 20)), SMOOTH],
  ['log of |x| + 1e-3', (t) => tf.log(tf.add(tf.abs(t.x), 1e-3)), SMOOTH],
  ['sqrt of |x|', (t) => tf.sqrt(tf.add(tf.abs(t.x), 1e-6)), SMOOTH],
  ['square', (t) => tf.square(t.x), SMOOTH],
  ['neg, sign', (t) => tf.mul(tf.neg(t.x), tf.sign(t.x)), TIGHT],
];
for (const [name, op, tol] of ACTIVATIONS) {
  const wrt = name === 'prelu' ? ['x', 'alpha'] : ['x'];
  overKinds('activation', name, [2, 5, 4, 3], () => withGrads(op, wrt), tol, INPUT_KINDS, (): Record<string, HostTensor> => (name === 'prelu' ? { alpha: floats('random', [3], 5, 0.3) } : {}));
}
for (const axis of [-1, 0]) {
  overKinds('softmax', `axis ${axis}`, [4, 7], () => withGrads((t) => tf.softmax(axis === -1 ? t.x : tf.transpose(t.x)), ['x']), SMOOTH);
  overKinds('logSoftmax', `axis ${axis}`, [4, 7], () => withGrads((t) => tf.logSoftmax(axis === -1 ? t.x : tf.transpose(t.x)), ['x']), SMOOTH);
}

// ---- convolutions: forward, input gradient (Conv2DBackpropInput), filter gradient ----
const CONVS: Array<[string, number[], number[], number, Pad]> = [
  ['3x3/1 same', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
  ['3x3/2 same', [2, 8, 7, 3], [3, 3, 3, 4], 2, 'same'],
  ['5x5/2 valid', [1, 9, 9, 2], [5, 5, 2, 3], 2, 'valid'],
  ['3x3/1 explicit pad', [1, 6, 6, 2], [3, 3, 2, 2], 1, [[0, 0], [1, 0], [2, 1], [0, 0]]],
];
const CONV_KINDS: InputKind[] = ['random', 'ties', 'negative', 'deadRelu', 'large'];
for (const [label, xShape, fShape, stride, pad] of CONVS) {
  const fSeed = seed++;
  overKinds('conv2d', label, xShape, () => withGrads((t) => tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, stride, pad), ['x', 'f']), SUMS, CONV_KINDS, () => ({ f: floats('random', fShape, fSeed) }));
  overKinds('fused conv2d', `${label} + bias + relu`, xShape, () =>
    withGrads((t) => tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: t.f as tf.Tensor4D, strides: stride, pad: pad, bias: t.b, activation: 'relu' }), ['x', 'f', 'b']),
  SUMS, CONV_KINDS, () => ({ f: floats('random', fShape, fSeed), b: floats('random', [fShape[3]], fSeed + 1, 0.5) }));
}
add('conv2d', 'dilation 2 (forward)', { x: floats('random', [1, 9, 8, 2], seed++), f: floats('random', [3, 3, 2, 3], seed++) },
  (t) => ({ y: tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, 1, 'same', 'NHWC', 2) }), SUMS);
for (const [label, stride, pad] of [['3x3/1 same', 1, 'same'], ['3x3/2 same', 2, 'same'], ['3x3/2 valid', 2, 'valid']] as Array<[string, number, 'same' | 'valid']>) {
  const fSeed = seed++;
  overKinds('depthwiseConv2d', label, [2, 7, 6, 3], () => withGrads((t) => tf.depthwiseConv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, stride, pad), ['x', 'f']), SUMS, ['random', 'ties', 'large'], () => ({ f: floats('random', [3, 3, 3, 2], fSeed) }));
}
add('separableConv2d', '3x3/1 same', { x: floats('random', [1, 6, 6, 3], seed++), d: floats('random', [3, 3, 3, 2], seed++), p: floats('random', [1, 1, 6, 4], seed++) },
  withGrads((t) => tf.separableConv2d(t.x as tf.Tensor4D, t.d as tf.Tensor4D, t.p as tf.Tensor4D, 1, 'same'), ['x', 'd', 'p']), SUMS);

// ---- dense layers ----
const wSeed = seed++;
overKinds('matMul', '[5,7]·[7,4]', [5, 7], () => withGrads((t) => tf.matMul(t.x, t.w), ['x', 'w']), SUMS, ['random', 'ties', 'deadRelu', 'large'], () => ({ w: floats('random', [7, 4], wSeed) }));
overKinds('fused matMul', '+ bias + relu', [5, 7], () =>
  withGrads((t) => tf.fused.matMul({ a: t.x, b: t.w, bias: t.b, activation: 'relu' }), ['x', 'w', 'b']),
SUMS, ['random', 'ties', 'deadRelu', 'large'], () => ({ w: floats('random', [7, 4], wSeed), b: floats('random', [4], wSeed + 1) }));
add('matMul', 'batched, transposed b', { a: floats('random', [2, 3, 5], seed++), b: floats('random', [2, 4, 5], seed++) },
  withGrads((t) => tf.matMul(t.a, t.b, false, true), ['a', 'b']), SUMS);

// ---- batch norm (inference with moving statistics, as convlens runs models) ----
overKinds('batchNorm', '4-D, per channel', [2, 4, 3, 5], () =>
  withGrads((t) => tf.batchNorm(t.x, t.mean, t.variance, t.offset, t.scale, 1e-3), ['x', 'mean', 'variance', 'offset', 'scale']),
SMOOTH, ['random', 'ties', 'negative', 'large'], () => ({
  mean: floats('random', [5], 71), variance: positive([5], 72), offset: floats('random', [5], 73), scale: floats('random', [5], 74),
}));
add('moments', 'over batch and space (training batch norm)', { x: floats('random', [3, 4, 4, 2], seed++) },
  withGrads((t) => { const m = tf.moments(t.x, [0, 1, 2]); return tf.concat([m.mean, m.variance]); }, ['x']), SMOOTH);

// ---- resizing (upsampled maps, transforms) ----
for (const [method, align, half] of [['bilinear', false, true], ['bilinear', false, false], ['bilinear', true, false], ['nearest', false, true], ['nearest', false, false], ['nearest', true, false]] as Array<['bilinear' | 'nearest', boolean, boolean]>) {
  for (const [label, size] of [['up 3x4→7x10', [7, 10]], ['down 3x4→2x3', [2, 3]]] as Array<[string, [number, number]]>) {
    const op: Op = (t) => (method === 'bilinear' ? tf.image.resizeBilinear(t.x as tf.Tensor4D, size, align, half) : tf.image.resizeNearestNeighbor(t.x as tf.Tensor4D, size, align, half));
    overKinds(`resize ${method}`, `${label} alignCorners ${align} halfPixel ${half}`, [2, 3, 4, 2], () => withGrads(op, ['x']), SMOOTH, ['random', 'large']);
  }
}

// ---- data movement ----
overKinds('pad', 'constant 0 and 0.5', [2, 4, 3, 2], () => withGrads((t) => tf.add(tf.pad(t.x, [[0, 0], [1, 2], [0, 3], [0, 0]]), tf.pad(t.x, [[1, 0], [1, 2], [0, 3], [0, 0]], 0.5).slice([1], [2])), ['x']), EXACT, ['random', 'large']);
overKinds('mirrorPad', 'reflect and symmetric', [1, 4, 5, 2], () => withGrads((t) => tf.concat([tf.mirrorPad(t.x, [[0, 0], [2, 1], [1, 3], [0, 0]], 'reflect'), tf.mirrorPad(t.x, [[0, 0], [2, 1], [1, 3], [0, 0]], 'symmetric')], 0), ['x']), TIGHT, ['random']);
overKinds('slice', '', [3, 5, 4, 2], () => withGrads((t) => tf.slice(t.x, [1, 1, 0, 1], [2, 3, 4, 1]), ['x']), EXACT, ['random', 'large']);
overKinds('stridedSlice', '(no gradient in tfjs)', [3, 5, 4, 2], () => (t) => ({ y: tf.stridedSlice(t.x, [0, 0, 1, 0], [3, 5, 4, 2], [2, 2, 1, 1]) }), EXACT, ['random']);
overKinds('fill, range, onesLike, zerosLike, round', '', [3, 4], () => (t) => ({
  fill: tf.fill([2, 3], 0.25), range: tf.range(0, 7, 1, 'int32'), rangeF: tf.range(-1, 2, 0.5), ones: tf.onesLike(t.x), zeros: tf.zerosLike(t.x), round: tf.round(tf.mul(t.x, 2.5)),
}), EXACT, ['random', 'ties']);
overKinds('concat', 'axis 3 and axis 0', [2, 3, 3, 2], () => withGrads((t) => tf.concat([tf.concat([t.x, tf.mul(t.x, 2)], 3).reshape([-1]), tf.concat([t.x, t.x], 0).reshape([-1])]), ['x']), TIGHT, ['random']);
overKinds('split, stack, unstack', '', [4, 3, 2], () => withGrads((t) => tf.concat([tf.stack(tf.split(t.x, [1, 3], 0).map((p) => tf.sum(p, 0))).reshape([-1]), tf.stack(tf.unstack(t.x, 2), 1).reshape([-1])]), ['x']), TIGHT, ['random']);
for (const axis of [0, 1]) {
  overKinds('gather', `axis ${axis} (repeated indices)`, [5, 4, 3], () => withGrads((t) => tf.gather(t.x, t.i, axis), ['x']), TIGHT, ['random', 'large'], () => ({ i: { ...ints([6], 0, 4, 31 + axis) } }));
}
overKinds('transpose, reshape, tile, reverse, expandDims', '', [2, 3, 4], () =>
  withGrads((t) => tf.concat([tf.transpose(t.x, [2, 0, 1]).reshape([-1]), tf.tile(t.x, [1, 2, 1]).reshape([-1]), tf.reverse(t.x, [1, 2]).reshape([-1]), tf.expandDims(t.x, 1).squeeze([1]).reshape([-1])]), ['x']),
EXACT, ['random']);
for (const [label, values] of [['float32', () => [floats('random', [3, 4], 41), floats('ties', [3, 4], 42)]], ['int32', () => [ints([3, 4], -5, 5, 43), ints([3, 4], -5, 5, 44)]], ['bool', () => [bools([3, 4], 45), bools([3, 4], 46)]]] as Array<[string, () => HostTensor[]]>) {
  const [a, b] = values();
  add('where', `${label} values`, { c: bools([3, 4], 47), a, b }, label === 'float32' ? withGrads((t) => tf.where(t.c, t.a, t.b), ['a', 'b']) : (t) => ({ y: tf.where(t.c, t.a, t.b) }), EXACT);
}
add('where', 'broadcast condition', { c: bools([3, 1], 48), a: floats('random', [3, 4], 49), b: floats('random', [1, 4], 50) }, withGrads((t) => tf.where(t.c, t.a, t.b), ['a', 'b']), EXACT);
for (const dtype of ['float32', 'int32'] as const) {
  add('oneHot', dtype, { i: ints([7], -1, 6, 51) }, (t) => ({ y: tf.oneHot(t.i, 5, 1, 0, dtype), smooth: tf.oneHot(t.i, 5, 0.9, 0.025, dtype) }), EXACT);
}

// ---- units (issue 14): top-k with ties, int32 index arithmetic, clipping, crops ----
overKinds('topk', 'k 5 per row (ties keep the lower index)', [4, 12], () => (t) => {
  const r = tf.topk(t.x, 5);
  return { values: r.values, indices: r.indices };
}, EXACT);
// GrabCut's k-means++ draws (saliencySegmentation): running sums along rows.
overKinds('cumsum', 'along rows: plain, exclusive and reversed', [3, 9], () => withGrads((t) => tf.concat([tf.cumsum(t.x, 1), tf.cumsum(t.x, 1, true, true)]), ['x']), SUMS);
add('int32 arithmetic', 'floorDiv, mod, mul, add, minimum, maximum, clipByValue', { i: ints([24], -40, 40, 52) }, (t) => ({
  quot: tf.floorDiv(t.i, tf.scalar(7, 'int32')), mod: tf.mod(t.i, tf.scalar(7, 'int32')),
  lin: tf.add(tf.mul(t.i, tf.scalar(3, 'int32')), tf.scalar(-5, 'int32')),
  clamp: tf.minimum(tf.maximum(t.i, tf.scalar(-9, 'int32')), tf.scalar(11, 'int32')),
  clip: tf.clipByValue(t.i, -9, 11),
}), EXACT);
add('isFinite', 'NaN, ±Infinity, ±0, tiny and huge finite values (the finite-input check of every technique)', {
  x: { values: Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1e-45, 3.4e38, -3.4e38, 1, -2.5, NaN, 7]), shape: [3, 4], dtype: 'float32' },
}, (t) => ({ finite: tf.isFinite(t.x), bad: tf.sum(tf.cast(tf.logicalNot(tf.isFinite(t.x)), 'int32')) }), EXACT);
overKinds('sin, cos', '(a DFT basis)', [3, 5], () => withGrads((t) => tf.concat([tf.sin(tf.mul(t.x, 3)), tf.cos(tf.mul(t.x, 3))]), ['x']), SMOOTH, ['random', 'zeros', 'negative']);
// WGSL promises sin and cos to an absolute 2^-11 (on [-pi, pi]); SwiftShader is off by up to 2e-4.
for (const c of cases) if (c.group === 'sin, cos') c.webgpuTolerance = { atol: 2 ** -11, rtol: 0 };
/** Boxes over and past the image (normalised, y1 > y2 flips), one per crop-size case. */
const CROP_BOXES = [[3 / 6, 1 / 6, 7 / 6, 5 / 6], [0, 0, 1, 1], [0.1, 0.1, 0.6, 0.6], [0.9, 0.1, 0.1, 0.9], [-0.2, 0.3, 0.5, 1.3], [0.5, 0.5, 0.5, 0.5]];
for (const method of ['nearest', 'bilinear'] as const) {
  for (const crop of [[5, 5], [5, 4], [4, 5], [1, 1], [7, 3]] as Array<[number, number]>) {
    overKinds('cropAndResize', `${method} ${crop.join('x')}`, [2, 7, 7, 2], () => (t) => ({
      y: tf.image.cropAndResize(t.x as tf.Tensor4D, tf.tensor2d(CROP_BOXES), [0, 1, 0, 1, 1, 0], crop, method, -1),
    }), method === 'nearest' ? EXACT : SMOOTH, ['random', 'ties', 'negative']);
  }
}

// ---- reductions, comparisons, elementwise arithmetic ----
overKinds('reduce', 'sum, mean (all and per axis)', [3, 4, 5], () => withGrads((t) => tf.concat([tf.sum(t.x, [1, 2]), tf.mean(t.x, 0).reshape([-1]), tf.sum(t.x).reshape([1]), tf.mean(t.x, [1, 2])]), ['x']), SUMS);
overKinds('reduce', 'max, min (ties share the gradient)', [3, 4, 5], () => withGrads((t) => tf.concat([tf.max(t.x, [1, 2]), tf.min(t.x, 0).reshape([-1]), tf.max(t.x).reshape([1])]), ['x']), TIGHT);
overKinds('argMax, argMin', '(first index on ties)', [4, 6], () => (t) => ({ max: tf.argMax(t.x, 1), min: tf.argMin(t.x, 0) }), EXACT);
overKinds('compare, logical, cast', '', [3, 5], () => (t) => {
  const a = tf.greater(t.x, 0);
  const b = tf.lessEqual(t.x, tf.transpose(tf.reverse(tf.transpose(t.x), [0])));
  return { y: tf.cast(tf.logicalAnd(a, tf.logicalNot(tf.logicalOr(b, tf.equal(t.x, 0)))), 'float32'), ge: tf.greaterEqual(t.x, 0.5), ne: tf.notEqual(t.x, 0), lt: tf.less(t.x, -0.5), i: tf.cast(tf.mul(t.x, 2), 'int32') };
}, EXACT, ['random', 'ties', 'zeros']);
const bSeed = seed++;
overKinds('arithmetic', 'add, sub, mul, div with broadcasting', [2, 3, 4], () =>
  withGrads((t) => tf.div(tf.add(tf.mul(t.x, t.b), tf.sub(t.x, t.b)), tf.add(tf.square(t.b), 0.5)), ['x', 'b']), SMOOTH, ['random', 'ties', 'large'], () => ({ b: floats('random', [3, 1], bSeed) }));
overKinds('maximum, minimum', '(ties)', [2, 3, 4], () => withGrads((t) => tf.add(tf.maximum(t.x, t.b), tf.mul(tf.minimum(t.x, t.b), 2)), ['x', 'b']), TIGHT, ['random', 'ties', 'zeros'], () => ({ b: floats('ties', [2, 3, 4], bSeed + 1) }));
add('addN, pow, reciprocal, rsqrt', '', { x: floats('random', [3, 4], seed++) },
  withGrads((t) => { const p = tf.add(tf.abs(t.x), 0.5); return tf.addN([tf.pow(p, 1.5), tf.reciprocal(p), tf.rsqrt(p)]); }, ['x']), SMOOTH);
// More addends than a webgpu shader may bind (8 storage buffers there): t-SNE sums per-chunk parts.
add('addN', '12 inputs', { x: floats('random', [3, 4], seed++) },
  withGrads((t) => tf.addN(Array.from({ length: 12 }, (_, k) => tf.mul(t.x, k + 1))), ['x']), SMOOTH);

/** Every kernel case, in a fixed order. */
export const KERNEL_CASES: readonly KernelCase[] = cases;
