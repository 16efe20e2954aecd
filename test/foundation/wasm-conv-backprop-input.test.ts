/**
 * convlens' wasm Conv2DBackpropInput (through XNNPACK's forward convolution) against brute force on
 * plain arrays and against the cpu backend, over every padding kind (same, valid, explicit, wider
 * than the kernel, asymmetric), strides 1-3 (also unequal per axis), even and odd kernels, odd and
 * even input sizes, and inputs with zeros and negatives.
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** dx by the definition: every dy value spreads through the kernel taps back to the input positions. */
function bruteForceInputGrad(inShape: number[], dy: Float32Array, dyShape: number[], f: Float32Array, fShape: number[], stride: [number, number], padTop: number, padLeft: number): Float32Array {
  const [b, h, w, ci] = inShape;
  const [, oh, ow, co] = dyShape;
  const [kh, kw] = fShape;
  const dx = new Float32Array(b * h * w * ci);
  for (let n = 0; n < b; n++) for (let p = 0; p < oh; p++) for (let q = 0; q < ow; q++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const r = p * stride[0] + i - padTop;
    const c = q * stride[1] + j - padLeft;
    if (r < 0 || r >= h || c < 0 || c >= w) continue;
    for (let a = 0; a < ci; a++) {
      let s = 0;
      for (let o = 0; o < co; o++) s += dy[((n * oh + p) * ow + q) * co + o] * f[((i * kw + j) * ci + a) * co + o];
      dx[((n * h + r) * w + c) * ci + a] += s;
    }
  }
  return dx;
}

/** Values with exact zeros, negatives and a wide range (a third of them zero). */
function adversarial(shape: number[], seed: number): Float32Array {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < v.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    v[i] = i % 3 === 0 ? 0 : (u - 0.5) * (i % 7 === 0 ? 100 : 2);
  }
  return v;
}

interface Case { label: string; input: [number, number]; kernel: [number, number]; stride: [number, number]; pad: Pad }

function cases(): Case[] {
  const out: Case[] = [];
  const pads: Pad[] = ['same', 'valid', 0, 1, 3, [[0, 0], [2, 0], [0, 3], [0, 0]]];
  const kernels: Array<[number, number]> = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [2, 3]];
  const strides: Array<[number, number]> = [[1, 1], [2, 2], [3, 3], [1, 2], [3, 1]];
  const inputs: Array<[number, number]> = [[7, 9], [8, 6]];
  for (const stride of strides) for (const kernel of kernels) for (const p of pads) for (const input of inputs) {
    if (p === 'valid' && (input[0] < kernel[0] || input[1] < kernel[1])) continue;
    // tfjs-core sizes a conv with a numeric pad from the row stride and kernel height alone (a
    // forward-op defect that also corrupts wasm memory), so unequal ones get the explicit form.
    const square = stride[0] === stride[1] && kernel[0] === kernel[1];
    const pad: Pad = typeof p === 'number' && !square ? [[0, 0], [p, p], [p, p], [0, 0]] : p;
    out.push({ label: `in ${input.join(',')} k ${kernel.join(',')} s ${stride.join(',')} pad ${JSON.stringify(pad)}`, input, kernel, stride, pad });
  }
  return out;
}

/** dx on the active backend through tf.grad of conv2d (the path models take), as a plain array. */
function gradOnBackend(c: Case, x: Float32Array, f: Float32Array, dyValues: (shape: number[]) => Float32Array): { dx: Float32Array; dyShape: number[]; dy: Float32Array } {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, [2, c.input[0], c.input[1], 3]);
    const ft = tf.tensor4d(f, [c.kernel[0], c.kernel[1], 3, 4]);
    const yShape = tf.conv2d(xt, ft, c.stride, c.pad).shape;
    const dy = dyValues(yShape);
    const dyt = tf.tensor4d(dy, yShape);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, ft, c.stride, c.pad as never), dyt)))(xt);
    return { dx: dx.dataSync() as Float32Array, dyShape: yShape, dy };
  });
}

function maxError(got: Float32Array, expected: Float32Array): number {
  if (got.length !== expected.length) return Infinity;
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i] - expected[i]) / (1 + Math.abs(expected[i])));
  return e;
}

describe('Conv2DBackpropInput through XNNPACK convolution (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });
  afterAll(async () => {
    await initBackend({ log: false });
  });

  it('is the kernel the wasm backend runs', () => {
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc.name).toBe('conv2DBackpropInputViaConv2D');
  });

  it('matches brute force and the cpu backend on every padding, stride 1-3, even and odd kernels', async () => {
    const failures: string[] = [];
    const all = cases();
    const before = tf.memory().numTensors;
    const backendData = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const dataBefore = backendData();
    const results = all.map((c, k) => {
      const x = adversarial([2, c.input[0], c.input[1], 3], 11 + k);
      const f = adversarial([c.kernel[0], c.kernel[1], 3, 4], 23 + k);
      const r = gradOnBackend(c, x, f, (shape) => adversarial(shape, 37 + k));
      const info = tf.backend_util.computeConv2DInfo([2, c.input[0], c.input[1], 3], [c.kernel[0], c.kernel[1], 3, 4], c.stride, 1, c.pad);
      const expected = bruteForceInputGrad([2, c.input[0], c.input[1], 3], r.dy, r.dyShape, f, [c.kernel[0], c.kernel[1], 3, 4], c.stride, info.padInfo.top, info.padInfo.left);
      const e = maxError(r.dx, expected);
      if (!(e < 1e-4)) failures.push(`${c.label}: brute-force error ${e}`);
      return { c, x, f, k, wasm: r.dx };
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(backendData()).toBe(dataBefore); // the kernel frees its temporaries in the backend too
    expect(all.length).toBeGreaterThan(300);
    await initBackend({ backend: 'cpu', log: false });
    for (const { c, x, f, k, wasm } of results) {
      const cpu = gradOnBackend(c, x, f, (shape) => adversarial(shape, 37 + k)).dx;
      const e = maxError(wasm, cpu);
      if (!(e < 1e-4)) failures.push(`${c.label}: differs from the cpu backend by ${e}`);
    }
    await initBackend({ backend: 'wasm', log: false });
    expect(failures).toEqual([]);
  });

  it('computes conv2dTranspose (the same kernel) and leaks nothing on an error', () => {
    const before = tf.memory().numTensors;
    const dy = tf.tensor4d(adversarial([1, 3, 4, 2], 5), [1, 3, 4, 2]);
    const f = tf.tensor4d(adversarial([3, 3, 5, 2], 6), [3, 3, 5, 2]);
    const dx = tf.conv2dTranspose(dy, f, [1, 6, 8, 5], 2, 'same');
    const expected = bruteForceInputGrad([1, 6, 8, 5], dy.dataSync() as Float32Array, dy.shape, f.dataSync() as Float32Array, f.shape, [2, 2], 0, 0);
    expect(maxError(dx.dataSync() as Float32Array, expected)).toBeLessThan(1e-4);
    // An output shape that does not fit dy and the stride is refused by tfjs, without leaking.
    expect(() => tf.conv2dTranspose(dy, f, [1, 6, 8, 4], 2, 'same')).toThrow();
    tf.dispose([dy, f, dx]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
