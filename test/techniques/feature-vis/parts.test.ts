/**
 * The parts of feature visualization checked against independent computations: the real 2-D
 * Fourier transforms against a brute-force DFT, roll/rotate/pad against index arithmetic (and the
 * rotation's gradient as its adjoint), percentiles against a sort, and every regularizer doing its
 * stated job (blur lowers high-frequency energy, L2 decay the norm, the TV step the total
 * variation, clipping zeroes the stated share). Runs on the backend CONVLENS_BACKEND selects.
 */
import { tf } from '../../../kernel-lib/tf';
import * as fv from '../../../kernel-lib/techniques/feature-vis';
import { setupBackend, expectClose } from '../models';

beforeAll(setupBackend);

const values = async (t: tf.Tensor) => Array.from(await t.data());
/** Read a temporary tensor and free it. */
const take = async (t: tf.Tensor) => {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
};

/** A reproducible array of normal-ish numbers with ties and zeros mixed in. */
function adversarialValues(n: number, seed: number): number[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? -1.5 : i % 13 === 0 ? 2 : rnd() * 4 - 2));
}

function leakCheck<A extends unknown[]>(fn: (...args: A) => void | Promise<void>) {
  return async (...args: A) => {
    const before = tf.memory().numTensors;
    await fn(...args);
    expect(tf.memory().numTensors).toBe(before);
  };
}

describe('real 2-D Fourier transforms (matrix products)', () => {
  it.each([[6, 6], [5, 7], [4, 5], [7, 4], [1, 6]])('irfft2d of a Hermitian spectrum %ix%i matches the brute-force inverse DFT, and rfft2d inverts it', leakCheck(async (h: number, w: number) => {
    const x = tf.tensor3d(adversarialValues(2 * h * w, h * 10 + w), [2, h, w]);
    const t = fv.dftTables(h, w);
    const { re, im } = fv.rfft2d(x, t);
    const back = fv.irfft2d(re, im, t);
    expectClose(await values(back), await values(x), 1e-4, 1e-4);
    // The forward transform against the definition X[u, v] = Σ x e^{-2πi(uy/H + vx/W)}.
    const xs = await values(x);
    const wf = Math.floor(w / 2) + 1;
    const bre: number[] = [], bim: number[] = [];
    for (let n = 0; n < 2; n++) for (let u = 0; u < h; u++) for (let v = 0; v < wf; v++) {
      let r = 0, i = 0;
      for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) { const a = 2 * Math.PI * (u * y / h + v * xx / w); r += xs[n * h * w + y * w + xx] * Math.cos(a); i -= xs[n * h * w + y * w + xx] * Math.sin(a); }
      bre.push(r); bim.push(i);
    }
    expectClose(await values(re), bre, 1e-3, 1e-4);
    expectClose(await values(im), bim, 1e-3, 1e-4);
    // Any half spectrum (not only Hermitian-consistent ones) goes back as numpy's irfft2 defines it.
    const sr = tf.tensor3d(adversarialValues(h * wf, 3), [1, h, wf]);
    const si = tf.tensor3d(adversarialValues(h * wf, 4), [1, h, wf]);
    const got = fv.irfft2d(sr, si, t);
    const srs = await values(sr), sis = await values(si);
    // numpy: ifft along the height (complex), then irfft along the width (imaginary parts of the zero/Nyquist columns dropped).
    const expected: number[] = [];
    for (let y = 0; y < h; y++) {
      const col: Array<[number, number]> = [];
      for (let v = 0; v < wf; v++) { let r = 0, i = 0; for (let u = 0; u < h; u++) { const a = 2 * Math.PI * u * y / h; r += srs[u * wf + v] * Math.cos(a) - sis[u * wf + v] * Math.sin(a); i += srs[u * wf + v] * Math.sin(a) + sis[u * wf + v] * Math.cos(a); } col.push([r / h, i / h]); }
      for (let xx = 0; xx < w; xx++) {
        let s = col[0][0];
        for (let v = 1; v < wf; v++) { const a = 2 * Math.PI * v * xx / w; const term = col[v][0] * Math.cos(a) - col[v][1] * Math.sin(a); s += w % 2 === 0 && v === w / 2 ? col[v][0] * Math.cos(a) : 2 * term; }
        expected.push(s / w);
      }
    }
    expectClose(await values(got), expected, 1e-4, 1e-4);
    tf.dispose([x, re, im, back, sr, si, got]);
    t.dispose();
  }));

  it('the Fourier parameterization renders what it was set to, and its pullback is the gradient through render', leakCheck(async () => {
    for (const c of [3, 1]) {
      const p = fv.fourierParam([2, 8, 7, c], { seed: 3 });
      const target = tf.randomUniform([2, 8, 7, c], -0.5, 0.5, 'float32', 9) as tf.Tensor4D;
      p.set(target);
      const rendered = p.render();
      expectClose(await values(rendered), await values(target), 1e-4, 1e-4);
      const g = tf.randomNormal([2, 8, 7, c], 0, 1, 'float32', 5) as tf.Tensor4D;
      const [gr, gi] = p.pullback(g);
      // <render(p + e·d), g> − <render(p), g> = e·<pullback(g), d> (render is linear).
      const d = tf.randomNormal(p.variables[0].shape, 0, 1, 'float32', 6);
      const base = tf.tidy(() => tf.sum(tf.mul(p.render(), g)));
      tf.tidy(() => p.variables[0].assign(tf.add(p.variables[0], d)));
      const moved = tf.tidy(() => tf.sum(tf.mul(p.render(), g)));
      const lhs = (await take(moved))[0] - (await take(base))[0];
      const rhs = (await take(tf.tidy(() => tf.sum(tf.mul(gr, d)))))[0];
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.max(1, Math.abs(rhs)));
      expect(gi.shape).toEqual(p.variables[1].shape);
      tf.dispose([target, rendered, g, gr, gi, d]);
      p.dispose();
    }
  }));

  it('decorrelated colour maps back exactly', leakCheck(async () => {
    const x = tf.randomNormal([1, 3, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const round = tf.tidy(() => fv.toDecorrelatedColors(fv.toCorrelatedColors(x)));
    expectClose(await values(round), await values(x), 1e-4, 1e-4);
    tf.dispose([x, round]);
  }));
});

describe('transforms', () => {
  it('roll equals index arithmetic for positive, negative and wrapped shifts', leakCheck(async () => {
    const [h, w] = [5, 4];
    const x = tf.tensor4d(Array.from({ length: 2 * h * w }, (_, i) => i), [1, h, w, 2]);
    const xs = await values(x);
    for (const [dy, dx] of [[1, 2], [-2, 1], [7, -9], [0, 0]]) {
      const r = fv.roll(x, dy, dx);
      const expected: number[] = [];
      for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let c = 0; c < 2; c++) {
        const sy = (((y - dy) % h) + h) % h, sx = (((xx - dx) % w) + w) % w;
        expected.push(xs[(sy * w + sx) * 2 + c]);
      }
      expect(await values(r)).toEqual(expected);
      r.dispose();
    }
    x.dispose();
  }));

  it('rotating by 90° turns the image counter-clockwise exactly; the gradient is the adjoint', leakCheck(async () => {
    const n = 5;
    const x = tf.tensor4d(adversarialValues(2 * n * n * 3, 8), [2, n, n, 3]);
    const r = fv.rotateImages(x, 90);
    const xs = await values(x);
    const expected: number[] = [];
    // Counter-clockwise on screen: the output's top-left shows the input's top-right.
    for (let b = 0; b < 2; b++) for (let y = 0; y < n; y++) for (let xx = 0; xx < n; xx++) for (let c = 0; c < 3; c++) expected.push(xs[((b * n + xx) * n + (n - 1 - y)) * 3 + c]);
    expectClose(await values(r), expected, 1e-5, 1e-5);
    // <R x, y> = <x, Rᵀ y> with Rᵀ y from autodiff, at an angle that interpolates.
    const y = tf.randomNormal([2, n, n, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const rx = fv.rotateImages(x, 17);
    const rty = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fv.rotateImages(t as tf.Tensor4D, 17), y)))(x);
    const lhs = (await take(tf.tidy(() => tf.sum(tf.mul(rx, y)))))[0];
    const rhs = (await take(tf.tidy(() => tf.sum(tf.mul(x, rty)))))[0];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.max(1, Math.abs(lhs)));
    tf.dispose([x, r, y, rx, rty]);
  }));

  it('pad, scale and fit give the expected sizes and values', leakCheck(async () => {
    const x = tf.tensor4d(Array.from({ length: 12 }, (_, i) => i), [1, 3, 4, 1]);
    const padded = fv.pad(2).apply(x, Math.random);
    expect(padded.shape).toEqual([1, 7, 8, 1]);
    // Symmetric reflection: row -1 is row 0, row -2 is row 1.
    expect((await take(padded.slice([0, 0, 2, 0], [1, 2, 1, 1])))).toEqual([4, 0]);
    const c = fv.pad(1, { mode: 'constant', value: 0.5 }).apply(x, Math.random);
    expect((await take(c.slice([0, 0, 0, 0], [1, 1, 1, 1])))[0]).toBe(0.5);
    const s = fv.scale([2]).apply(x, Math.random);
    expect(s.shape).toEqual([1, 6, 8, 1]);
    const back = fv.fitImages(padded, 3, 4, 'crop');
    expect(await values(back)).toEqual(await values(x));
    const grown = fv.fitImages(x, 5, 6, 'crop');
    expect(grown.shape).toEqual([1, 5, 6, 1]);
    expect(await take(grown.slice([0, 1, 1, 0], [1, 3, 4, 1]))).toEqual(await values(x));
    tf.dispose([x, padded, c, s, back, grown]);
    expect(() => fv.jitter(-1)).toThrow(/jitter must be an integer >= 0/);
    expect(() => fv.scale([])).toThrow(/scale must be a factor in \(0, 8\]/);
    expect(() => fv.rotate(['a' as never])).toThrow(/rotate must be an angle/);
  }));
});

describe('regularizers', () => {
  const ctxFor = (x: tf.Tensor4D, grad?: tf.Tensor4D): fv.RegularizerContext => ({
    step: 0, batch: x.shape[0], grad: grad ?? x, lr: [0.1], mean: new Array(x.shape[3]).fill(0.5), range: [0, 1],
  });

  it('rowPercentiles equals numpy-style linear interpolation of the sorted row (ties, zeros, negatives)', leakCheck(async () => {
    const rows = [adversarialValues(37, 1), adversarialValues(37, 2)];
    const t = tf.tensor2d(rows);
    const ps = [30, 87.5];
    const got = await take(tf.tidy(() => fv.rowPercentiles(t, ps).reshape([-1])));
    const expected = rows.map((r, i) => {
      const s = [...r].sort((a, b) => a - b);
      const pos = (ps[i] / 100) * (s.length - 1);
      const lo = Math.floor(pos);
      return s[lo] + (pos - lo) * (s[Math.min(s.length - 1, lo + 1)] - s[lo]);
    });
    expectClose(got, expected, 1e-5, 1e-5);
    t.dispose();
  }));

  it('L2 decay multiplies by (1 − θ), one θ per image', leakCheck(async () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ctx = ctxFor(x);
    const y = fv.l2Decay([0.1, 0.5]).apply(x, ctx);
    const norms = async (t: tf.Tensor) => take(tf.tidy(() => tf.sqrt(tf.sum(tf.square(t), [1, 2, 3]))));
    const [a, b] = await norms(x);
    const [c, d] = await norms(y);
    expect(c / a).toBeCloseTo(0.9, 5);
    expect(d / b).toBeCloseTo(0.5, 5);
    tf.dispose([x, y]);
  }));

  it('blur lowers the high-frequency energy, only every k steps', leakCheck(async () => {
    const x = tf.randomNormal([1, 16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const ctx = ctxFor(x);
    const highEnergy = async (img: tf.Tensor4D) => {
      const t = fv.dftTables(16, 16);
      const planes = tf.tidy(() => img.transpose([0, 3, 1, 2]).reshape([3, 16, 16]) as tf.Tensor3D);
      const { re, im } = fv.rfft2d(planes, t);
      // Frequencies with |f| > 1/4 cycle per pixel.
      const mask = tf.tidy(() => {
        const fy = tf.tensor1d(Array.from({ length: 16 }, (_, u) => (u < 8 ? u : u - 16) / 16)).reshape([16, 1]);
        const fx = tf.tensor1d(Array.from({ length: 9 }, (_, v) => v / 16)).reshape([1, 9]);
        return tf.cast(tf.greater(tf.add(tf.square(fy), tf.square(fx)), 1 / 16), 'float32');
      });
      const e = tf.tidy(() => tf.sum(tf.mul(tf.add(tf.square(re), tf.square(im)), mask)));
      const v = (await values(e))[0];
      tf.dispose([planes, re, im, mask, e]);
      t.dispose();
      return v;
    };
    const blurred = fv.blur(1, 3).apply(x, ctx);
    const skipped = fv.blur(1, 3).apply(x, { ...ctx, step: 1 });
    expect(await highEnergy(blurred)).toBeLessThan(0.1 * (await highEnergy(x)));
    expect(await values(skipped)).toEqual(await values(x));
    // One sigma per image: sigma 0 leaves its image alone.
    const two = tf.concat([x, x]) as tf.Tensor4D;
    const mixed = fv.blur([0, 1]).apply(two, ctxFor(two));
    expect(await take(mixed.slice([0], [1]))).toEqual(await values(x));
    expectClose(await take(mixed.slice([1], [1])), await values(blurred), 1e-5, 1e-5);
    tf.dispose([x, blurred, skipped, two, mixed]);
  }));

  it('the TV step lowers the total variation', leakCheck(async () => {
    const x = tf.randomNormal([2, 10, 10, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const ctx = ctxFor(x);
    const y = fv.tvStep(1).apply(x, ctx);
    const [a, b] = await take(fv.totalVariation(x));
    const [c, d] = await take(fv.totalVariation(y));
    expect(c).toBeLessThan(0.9 * a);
    expect(d).toBeLessThan(0.9 * b);
    // totalVariation by its definition.
    const xs = await take(x.slice([0], [1]));
    let tv = 0;
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) tv += (xs[(i + 1) * 10 + j] - xs[i * 10 + j]) ** 2 + (xs[i * 10 + j + 1] - xs[i * 10 + j]) ** 2;
    expect(a).toBeCloseTo(tv, 3);
    tf.dispose([x, y]);
  }));

  it.each([10, 50, 90])('clipNorm and clipContribution zero the stated share (%i %%) of pixels', leakCheck(async (p: number) => {
    const [h, w] = [20, 20];
    const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', p) as tf.Tensor4D;
    const g = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', p + 1) as tf.Tensor4D;
    const ctx = ctxFor(x, g);
    for (const r of [fv.clipNorm(p), fv.clipContribution(p)]) {
      const y = r.apply(x, ctx);
      const zeroPixels = await take(tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.sum(tf.abs(y), 3), 0), 'float32'), [1, 2])));
      // Strictly below the p-th percentile (interpolated): ⌈p/100·(n−1)⌉ pixels of n.
      for (const z of zeroPixels) expect(Math.abs(z / (h * w) - p / 100)).toBeLessThanOrEqual(1 / (h * w) + 1e-9);
      // The pixels kept are untouched and have the larger scores.
      y.dispose();
    }
    tf.dispose([x, g]);
  }));

  it('clipRange clips the image (x + mean) into the range', leakCheck(async () => {
    const x = tf.tensor4d([-1, 0, 0.4, 0.6], [1, 2, 2, 1]);
    const y = fv.clipRange().apply(x, ctxFor(x));
    expectClose(await values(y), [-0.5, 0, 0.4, 0.5], 1e-6, 0);
    tf.dispose([x, y]);
    expect(() => fv.clipRange([1, 0])).toThrow(/clipRange: range must be \[low, high\]/);
    expect(() => fv.l2Decay(2)).toThrow(/l2Decay theta must be in \[0, 1\]; got 2/);
    expect(() => fv.blur(1, 0)).toThrow(/blur every must be an integer >= 1/);
    expect(() => fv.clipNorm(101)).toThrow(/clipNorm percentile must be in \[0, 100\]; got 101/);
  }));
});

describe('objectives', () => {
  it('gramMatrix equals FᵀF / positions', leakCheck(async () => {
    const f = tf.tensor4d(adversarialValues(2 * 3 * 2 * 4, 5), [2, 3, 2, 4]);
    const g = fv.gramMatrix(f);
    const fs = await values(f);
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let p = 0; p < 6; p++) s += fs[(b * 6 + p) * 4 + i] * fs[(b * 6 + p) * 4 + j];
      expected.push(s / 6);
    }
    expectClose(await values(g), expected, 1e-5, 1e-5);
    tf.dispose([f, g]);
  }));

  it('sums, differences, per-image weights and negation combine values arithmetically', leakCheck(async () => {
    const logits = tf.tensor2d([[1, 2, 3], [4, -5, 6]]);
    const image = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const ctx: fv.ObjectiveContext = { batch: 2, input: image, image, centered: image, logits, layer: () => image };
    const a = fv.classLogit([0, 1]);
    const b = fv.classLogit(2);
    const combo = a.plus(b.times([2, 3])).minus(a.negate());
    expect(await take(tf.tidy(() => combo.value(ctx)))).toEqual([1 + 6 + 1, -5 + 18 - 5]);
    expect(combo.rows).toBe(2);
    const lp = fv.classLogProbability(1);
    const expected = [2 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), -5 - Math.log(Math.exp(4) + Math.exp(-5) + Math.exp(6))];
    expectClose(await take(tf.tidy(() => lp.value(ctx))), expected, 1e-5, 1e-5);
    expect(() => tf.tidy(() => fv.classLogit(3).value(ctx))).toThrow(/class 3 is out of range: the model has 3 classes \(0 to 2\)/);
    expect(() => tf.tidy(() => fv.classLogit('cat').value(ctx))).toThrow(/class "cat" is a name, but the model has no class names/);
    expect(() => fv.classLogit([0, 1]).plus(fv.classLogit([0, 1, 2]))).toThrow(/different numbers of per-image values/);
    expect(() => fv.sumOf([])).toThrow(/sumOf needs a non-empty array/);
    tf.dispose([logits, image]);
  }));
});
