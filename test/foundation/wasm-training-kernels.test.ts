import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';

/** dW by brute force on plain arrays: the definition of the conv2d filter gradient. */
function bruteForceFilterGrad(
  x: tf.Tensor4D, dy: tf.Tensor4D, kh: number, kw: number, stride: number, padTop: number, padLeft: number,
): Float32Array {
  const [b, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const xs = x.dataSync(), dys = dy.dataSync();
  const out = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) {
    let s = 0;
    for (let n = 0; n < b; n++) for (let p = 0; p < oh; p++) for (let q = 0; q < ow; q++) {
      const r = p * stride + i - padTop, cc = q * stride + j - padLeft;
      if (r < 0 || r >= h || cc < 0 || cc >= w) continue;
      s += xs[((n * h + r) * w + cc) * ci + c] * dys[((n * oh + p) * ow + q) * co + o];
    }
    out[((i * kw + j) * ci + c) * co + o] = s;
  }
  return out;
}

describe('Conv2DBackpropFilter composite (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ log: false });
  });

  const cases: Array<[string, number, 'same' | 'valid', number]> = [
    ['stride 1 same', 1, 'same', 3],
    ['stride 2 same', 2, 'same', 3],
    ['stride 2 valid 5x5', 2, 'valid', 5],
    ['stride 3 same 4x4', 3, 'same', 4],
  ];
  it.each(cases)('matches brute force: %s', (_label, stride, pad, k) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal<tf.Rank.R4>([2, 9, 8, 3], 0, 1, 'float32', 1);
      const f = tf.randomNormal<tf.Rank.R4>([k, k, 3, 4], 0, 1, 'float32', 2);
      const y = tf.conv2d(x, f, stride, pad);
      const dy = tf.randomNormal<tf.Rank.R4>(y.shape, 0, 1, 'float32', 3);
      const grad = tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ff as tf.Tensor4D, stride, pad), dy)))(f);
      const info = tf.backend_util.computeConv2DInfo(x.shape, f.shape, stride, 1, pad);
      const expected = bruteForceFilterGrad(x, dy, k, k, stride, info.padInfo.top, info.padInfo.left);
      const got = grad.dataSync();
      expect(got.length).toBe(expected.length);
      let maxErr = 0;
      for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - expected[i]));
      expect(maxErr).toBeLessThan(1e-3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets a small conv net train (loss goes down)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 4);
    const ys = tf.randomUniform([16, 2], 0, 1, 'float32', 5);
    const h = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe('depthwise conv backprop composites (wasm)', () => {
  /** Input and filter gradients of a depthwise conv on the given backend. */
  async function depthwiseGrads(backend: string, stride: number, pad: 'same' | 'valid') {
    await initBackend({ backend, log: false });
    return tf.tidy(() => {
      const x = tf.randomNormal<tf.Rank.R4>([2, 7, 6, 3], 0, 1, 'float32', 7);
      const f = tf.randomNormal<tf.Rank.R4>([3, 3, 3, 2], 0, 1, 'float32', 8);
      const y = tf.depthwiseConv2d(x, f, stride, pad);
      const w = tf.randomNormal(y.shape, 0, 1, 'float32', 9);
      const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), w)))([x, f]);
      return [Array.from(dx.dataSync()), Array.from(df.dataSync())];
    });
  }

  afterAll(async () => {
    await initBackend({ log: false });
  });

  it.each([[1, 'same'], [2, 'same'], [2, 'valid']] as Array<[number, 'same' | 'valid']>)('equals the cpu backend, stride %d %s', async (stride, pad) => {
    const [dxCpu, dfCpu] = await depthwiseGrads('cpu', stride, pad);
    const before = tf.memory().numTensors;
    const [dxWasm, dfWasm] = await depthwiseGrads('wasm', stride, pad);
    expect(tf.memory().numTensors).toBe(before);
    const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    expect(dxWasm.length).toBe(dxCpu.length);
    expect(maxDiff(dxWasm, dxCpu)).toBeLessThan(1e-3);
    expect(maxDiff(dfWasm, dfCpu)).toBeLessThan(1e-3);
  });
});
