/**
 * The reference of the conformance suite, the cpu backend, checked against definitions rather than
 * another backend (a defect shared by every backend would pass a cross-backend comparison):
 *
 * - every gradient of every case on random inputs against central finite differences of the
 *   forward output, element by element (sampled: the first and last 10 elements, which hold the
 *   borders, and 10 more spread between), skipping an element only where the difference quotient
 *   changes with the step (a kink: ReLU at 0, a max-pool tie);
 * - the max-pool gradient against a brute-force loop over the definition (each window's gradient
 *   goes to its first maximum, scanning rows then columns; TensorFlow's and PyTorch's rule) on
 *   every geometry and every adversarial input kind, where finite differences are undefined.
 */
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { HostTensor, toHost, toTensor } from './host-tensors';
import { KERNEL_CASES, POOLS } from './kernel-cases';
import { cotangent, KernelCase } from './run-cases';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

afterAll(async () => {
  await initBackend({ log: false });
});

/** Σ y·w in float64 for the case's forward output with input `name` replaced by `values`. */
async function objective(c: KernelCase, name: string, values: Float32Array): Promise<number> {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, h]) => [k, toTensor(k === name ? { ...h, values } : h)]));
  try {
    const y = tf.tidy(() => c.run(inputs).y);
    const w = cotangent(y);
    const [yv, wv] = [await y.data(), await w.data()];
    tf.dispose([y, w]);
    let s = 0;
    for (let i = 0; i < yv.length; i++) s += yv[i] * wv[i];
    return s;
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

/** The elements checked: both ends (borders of images) and some spread between. */
function sampled(n: number, each = 10): number[] {
  if (n <= 3 * each) return Array.from({ length: n }, (_, i) => i);
  const step = (n - 2 * each) / (each + 1);
  return [...Array.from({ length: each }, (_, i) => i), ...Array.from({ length: each }, (_, i) => Math.floor(each + (i + 1) * step)), ...Array.from({ length: each }, (_, i) => n - each + i)];
}

const gradientCases = KERNEL_CASES.filter((c) => c.name.endsWith('· random') || !c.name.includes(' · '));

test.each(gradientCases.map((c) => [c.name, c] as [string, KernelCase]))('cpu gradients = finite differences: %s', async (_name, c) => {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, h]) => [k, toTensor(h)]));
  const outputs = tf.tidy(() => c.run(inputs));
  const grads: Record<string, HostTensor> = {};
  for (const [k, t] of Object.entries(outputs)) if (k.startsWith('d')) grads[k.slice(1)] = await toHost(t);
  tf.dispose([...Object.values(outputs), ...Object.values(inputs)]);
  const problems: string[] = [];
  let checked = 0;
  for (const [name, grad] of Object.entries(grads)) {
    const x = c.inputs[name].values as Float32Array;
    let scale = 0;
    for (const v of grad.values) scale = Math.max(scale, Math.abs(v));
    for (const i of sampled(x.length)) {
      const h = 1e-2 * Math.max(1, Math.abs(x[i]));
      const quotient = async (step: number) => {
        const up = Float32Array.from(x);
        const down = Float32Array.from(x);
        up[i] += step;
        down[i] -= step;
        return ((await objective(c, name, up)) - (await objective(c, name, down))) / (Math.fround(x[i] + step) - Math.fround(x[i] - step));
      };
      const tol = 2e-3 * scale + 1e-2 * Math.abs(grad.values[i]);
      const big = await quotient(h);
      checked++;
      if (Math.abs(big - grad.values[i]) <= tol) continue;
      const small = await quotient(h / 4);
      if (Math.abs(big - small) > tol) {
        checked--; // a kink within the step: the quotient depends on it
        continue;
      }
      problems.push(`d${name}[${i}] = ${grad.values[i]}, finite difference ${small}`);
    }
  }
  expect(problems.slice(0, 10)).toEqual([]);
  if (Object.keys(grads).length > 0) expect(checked).toBeGreaterThan(0);
}, 120_000);

/** dx of max pooling by the definition: each window's dy to its first maximum (rows, then columns). */
function firstMaxGrad(x: HostTensor, dy: HostTensor, info: tf.backend_util.Conv2DInfo): Float32Array {
  const [b, h, w, c] = x.shape;
  const dx = new Float32Array(x.values.length);
  for (let n = 0; n < b; n++) for (let oy = 0; oy < info.outHeight; oy++) for (let ox = 0; ox < info.outWidth; ox++) for (let ch = 0; ch < c; ch++) {
    let best = -Infinity;
    let at = -1;
    for (let ky = 0; ky < info.filterHeight; ky++) for (let kx = 0; kx < info.filterWidth; kx++) {
      const y = oy * info.strideHeight - info.padInfo.top + ky;
      const xx = ox * info.strideWidth - info.padInfo.left + kx;
      if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
      const i = ((n * h + y) * w + xx) * c + ch;
      if (x.values[i] > best) {
        best = x.values[i];
        at = i;
      }
    }
    if (at >= 0) dx[at] += dy.values[((n * info.outHeight + oy) * info.outWidth + ox) * c + ch];
  }
  return dx;
}

const maxPoolCases = KERNEL_CASES.filter((c) => c.group === 'maxPool');

test.each(maxPoolCases.map((c) => [c.name, c] as [string, KernelCase]))('cpu max-pool gradient = first-maximum rule: %s', async (_name, c) => {
  const x = toTensor(c.inputs.x);
  const out = tf.tidy(() => c.run({ x }));
  const [y, dx] = [await toHost(out.y), await toHost(out.dx)];
  const dyT = cotangent(out.y);
  const dy = await toHost(dyT);
  tf.dispose([x, dyT, ...Object.values(out)]);
  const [, shape, filter, strides, pad, rounding] = POOLS.find(([label]) => c.name.startsWith(`maxPool ${label} · `))!;
  const info = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], filter, strides, 1, pad, rounding);
  expect([info.outHeight, info.outWidth]).toEqual(y.shape.slice(1, 3));
  const expected = firstMaxGrad(c.inputs.x, dy, info);
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const bad = Array.from(expected.keys()).filter((i) => !(Math.abs(dx.values[i] - expected[i]) <= 1e-6 * scale));
  expect(bad.slice(0, 5).map((i) => `[${i}] ${dx.values[i]} vs ${expected[i]}`)).toEqual([]);
});
