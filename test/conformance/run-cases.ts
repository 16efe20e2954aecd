/**
 * The conformance machinery: kernel cases (ops and their gradients on fixed inputs), run on one
 * backend at a time, and compared output by output with stated tolerances.
 */
import { tf } from '../../kernel-lib/tf';
import { initBackend } from '../../kernel-lib/backend';
import { HostTensor, normals, toHost, toTensor } from './host-tensors';

/** |got - ref| <= atol · max|ref| + rtol · |ref| for every element (max over the output). */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** One check: ops on fixed inputs; every output (values and gradients) is compared across backends. */
export interface KernelCase {
  /** Family, e.g. 'maxPool' (the op under test). */
  group: string;
  /** Unique name, e.g. 'maxPool 3x3/1 same · ties'. */
  name: string;
  inputs: Record<string, HostTensor>;
  /** The ops on the active backend; returns named outputs. Runs inside tf.tidy. */
  run(t: Record<string, tf.Tensor>): Record<string, tf.Tensor>;
  tolerance: Tolerance;
  /** A looser tolerance on webgpu, where the shading language itself allows more error (WGSL's sin/cos). */
  webgpuTolerance?: Tolerance;
}

/** What one backend produced for one case: outputs, or the error it threw, and the kernels it ran. */
export interface CaseResult {
  outputs?: Record<string, HostTensor>;
  error?: string;
  kernels: string[];
}

/** A deterministic cotangent for `y` (same values on every backend). */
export function cotangent(y: tf.Tensor, seed = 99): tf.Tensor {
  return tf.tensor(normals(y.size, seed), y.shape, 'float32');
}

/**
 * Outputs `y` = f(inputs) and d(sum(y · w))/d(input) for each input named in `wrt` (as `d<name>`),
 * with a fixed random cotangent w: the forward kernel and its gradient kernels in one case.
 */
export function withGrads(f: (t: Record<string, tf.Tensor>) => tf.Tensor, wrt: string[]): KernelCase['run'] {
  return (t) => {
    const y = f(t);
    if (wrt.length === 0) return { y };
    const w = cotangent(y);
    const grads = tf.grads((...xs: tf.Tensor[]) => {
      const fed = { ...t };
      wrt.forEach((name, i) => (fed[name] = xs[i]));
      return tf.sum(tf.mul(f(fed), w));
    })(wrt.map((name) => t[name]));
    const out: Record<string, tf.Tensor> = { y };
    wrt.forEach((name, i) => (out[`d${name}`] = grads[i]));
    return out;
  };
}

/** Switch to `backend` (registering convlens' kernel fixes) or say why it cannot run here. */
export async function tryBackend(backend: string): Promise<{ ran: boolean; reason: string }> {
  try {
    const info = await initBackend({ backend, log: false });
    const details = Object.entries(info.details).map(([k, v]) => `${k}: ${v}`).join(', ');
    return { ran: true, reason: `initBackend({ backend: '${backend}' }) works here${details ? ` (${details})` : ''}` };
  } catch (e) {
    return { ran: false, reason: (e as Error).message };
  }
}

/**
 * The kernels `f` runs (sorted, unique), from tf.profile. Only for code that does not throw: tfjs'
 * profiler turns a kernel's exception into an unhandled rejection.
 */
export async function kernelsRun(f: () => tf.TensorContainer | Promise<tf.TensorContainer>): Promise<string[]> {
  const info = await tf.profile(async () => {
    tf.dispose(await f());
    return [];
  });
  return [...new Set(info.kernelNames)].sort();
}

/**
 * Run every case on the active backend; a case that throws records its error. With `kernels`,
 * each case that ran is run once more under the profiler to list the kernels it uses.
 */
export async function runCases(cases: readonly KernelCase[], opts: { kernels?: boolean } = {}): Promise<Map<string, CaseResult>> {
  const results = new Map<string, CaseResult>();
  for (const c of cases) {
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, h]) => [k, toTensor(h)]));
    try {
      const produced = tf.tidy(() => c.run(inputs));
      const outputs: Record<string, HostTensor> = {};
      try {
        for (const [key, t] of Object.entries(produced)) outputs[key] = await toHost(t);
      } finally {
        tf.dispose(Object.values(produced));
      }
      const kernels = opts.kernels ? await kernelsRun(() => tf.tidy(() => c.run(inputs))) : [];
      results.set(c.name, { outputs, kernels });
    } catch (e) {
      results.set(c.name, { error: (e as Error).message.split('\n')[0], kernels: [] });
    } finally {
      tf.dispose(Object.values(inputs));
    }
  }
  return results;
}

/** Mismatches of `got` against `ref` for one case, as readable lines (empty when they agree). */
export function compareResults(c: KernelCase, ref: CaseResult, got: CaseResult, tolerance: Tolerance = c.tolerance): string[] {
  if (ref.error) return [`${c.name}: the reference backend threw: ${ref.error}`];
  if (got.error) return [`${c.name}: threw: ${got.error}`];
  const problems: string[] = [];
  for (const [key, r] of Object.entries(ref.outputs!)) {
    const g = got.outputs![key];
    if (!g) {
      problems.push(`${c.name} · ${key}: missing`);
      continue;
    }
    if (g.shape.join() !== r.shape.join() || g.dtype !== r.dtype) {
      problems.push(`${c.name} · ${key}: shape ${g.shape.join(',')} ${g.dtype}, expected ${r.shape.join(',')} ${r.dtype}`);
      continue;
    }
    let scale = 0;
    for (const v of r.values) scale = Math.max(scale, Math.abs(v));
    let worst = -1;
    let worstExcess = 0;
    let bad = 0;
    for (let i = 0; i < r.values.length; i++) {
      const allowed = tolerance.atol * scale + tolerance.rtol * Math.abs(r.values[i]);
      const err = Math.abs(g.values[i] - r.values[i]);
      if (!(err <= allowed)) {
        bad++;
        const excess = Number.isFinite(err) ? err - allowed : Infinity;
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (bad > 0) {
      problems.push(
        `${c.name} · ${key}: ${bad}/${r.values.length} values off, worst [${worst}] ${g.values[worst]} vs ${r.values[worst]} ` +
          `(allowed ${c.tolerance.atol} · ${scale.toPrecision(3)} + ${c.tolerance.rtol} · |ref|)`,
      );
    }
  }
  return problems;
}
