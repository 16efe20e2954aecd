/**
 * Kernel conformance across backends: every case of kernel-cases.ts (each forward op convlens'
 * techniques and training use, with its gradients, on friendly and adversarial inputs) runs on
 * every backend that works in this process and must match the cpu backend within the stated
 * tolerances. Backends: CONVLENS_CONFORMANCE_BACKENDS (default cpu,wasm,webgpu); cpu and (when listed) wasm must
 * run, others run when initBackend can start them (CONVLENS_CONFORMANCE_REQUIRE=webgpu makes a
 * missing one fail), and the report says for each why it ran or not.
 *
 * It also shows each kernel fix is needed: with the stock tfjs kernel put back, the comparison
 * fails (the stock wasm MaxPoolGrad on negative, zero, dead-ReLU and tied windows).
 */
import { initBackend } from '../../kernel-lib/backend';
import { KERNEL_FIXES, stockKernel } from '../../kernel-lib/kernel-fixes';
import { tf } from '../../kernel-lib/tf';
import { KERNEL_CASES } from './kernel-cases';
import { CaseResult, compareResults, KernelCase, runCases, tryBackend } from './run-cases';
import { techniqueKernels } from './technique-kernels';

const REFERENCE = 'cpu';
const list = (s: string | undefined) => (s ?? '').split(',').map((b) => b.trim()).filter(Boolean);
const BACKENDS = [...new Set([REFERENCE, ...list(process.env.CONVLENS_CONFORMANCE_BACKENDS ?? 'cpu,wasm,webgpu')])];
const REQUIRED = [...new Set(['cpu', ...(BACKENDS.includes('wasm') ? ['wasm'] : []), ...list(process.env.CONVLENS_CONFORMANCE_REQUIRE)])];

const status = new Map<string, { ran: boolean; reason: string }>();
const results = new Map<string, Map<string, CaseResult>>();
const leaks = new Map<string, { tensors: number; dataIds: number }>();
const ran = () => BACKENDS.filter((b) => status.get(b)?.ran);

/** All mismatches of `backend`'s results against `reference`'s over `cases`. */
function mismatches(cases: readonly KernelCase[], got: Map<string, CaseResult>, reference: Map<string, CaseResult>, backend: string): string[] {
  return cases.flatMap((c) => compareResults(c, reference.get(c.name)!, got.get(c.name)!, backend === 'webgpu' ? (c.webgpuTolerance ?? c.tolerance) : c.tolerance));
}

/** At most `n` lines, with a count of the rest. */
const head = (lines: string[], n = 40) => (lines.length > n ? [...lines.slice(0, n), `... and ${lines.length - n} more`] : lines);

beforeAll(async () => {
  for (const backend of BACKENDS) {
    const s = await tryBackend(backend);
    status.set(backend, s);
    if (!s.ran) continue;
    // Kernels free their temporaries on the backend itself, out of sight of tf.memory().numTensors.
    const [tensors, dataIds] = [tf.memory().numTensors, tf.backend().numDataIds()];
    results.set(backend, await runCases(KERNEL_CASES, { kernels: backend === REFERENCE }));
    leaks.set(backend, { tensors: tf.memory().numTensors - tensors, dataIds: tf.backend().numDataIds() - dataIds });
  }
  console.log(
    `kernel conformance: ${KERNEL_CASES.length} cases, reference ${REFERENCE}\n` +
      BACKENDS.map((b) => `  ${b}: ${status.get(b)!.ran ? 'ran' : 'NOT RUN'}: ${status.get(b)!.reason}`).join('\n'),
  );
}, 900_000);

afterAll(async () => {
  await initBackend({ log: false });
});

test(`backends: ${REQUIRED.join(' and ')} run; every other one runs or says why not`, () => {
  for (const backend of BACKENDS) expect(status.get(backend)?.reason).toMatch(/\S/);
  expect(REQUIRED.filter((b) => !status.get(b)?.ran).map((b) => `${b}: ${status.get(b)?.reason}`)).toEqual([]);
});

test('no kernel leaves tensors or backend data behind', () => {
  for (const backend of ran()) expect({ backend, ...leaks.get(backend) }).toEqual({ backend, tensors: 0, dataIds: 0 });
});

test('the reference backend (cpu) runs every case', () => {
  const failed = KERNEL_CASES.filter((c) => results.get(REFERENCE)?.get(c.name)?.error).map((c) => `${c.name}: ${results.get(REFERENCE)!.get(c.name)!.error}`);
  expect(failed).toEqual([]);
});

describe.each(BACKENDS.filter((b) => b !== REFERENCE))('%s agrees with cpu', (backend) => {
  test('on every case', () => {
    const s = status.get(backend)!;
    if (!s.ran) {
      console.log(`${backend}: not compared, it does not run here: ${s.reason}`);
      return;
    }
    expect(head(mismatches(KERNEL_CASES, results.get(backend)!, results.get(REFERENCE)!, backend))).toEqual([]);
  });
});

test('every kernel the techniques and training run is covered by a case', async () => {
  const covered = new Set([...results.get(REFERENCE)!.values()].flatMap((r) => r.kernels));
  // tf.profile also lists scopes (customGrad's 'forward', op names); keep the kernels.
  const kernels = new Set(tf.getKernelsForBackend(REFERENCE).map((k) => k.kernelName));
  // Kernel names do not depend on the backend: trace the techniques on wasm, the fastest that
  // runs everywhere (not on whichever backend ran last, e.g. webgpu over SwiftShader).
  await initBackend({ backend: 'wasm', log: false });
  const used = await techniqueKernels();
  const missing = [...used.entries()].filter(([k]) => kernels.has(k) && !covered.has(k)).map(([k, where]) => `${k} (used by ${where.slice(0, 3).join(', ')})`);
  expect(missing).toEqual([]);
}, 600_000);

/** Run `f` with the stock kernel (or, when the stock one was missing, none) in place of convlens' fix. */
async function withStock<T>(kernel: string, backend: string, f: () => Promise<T>): Promise<T> {
  const ours = tf.getKernel(kernel, backend);
  const stock = stockKernel(kernel, backend);
  tf.unregisterKernel(kernel, backend);
  if (stock) tf.registerKernel({ kernelName: kernel, backendName: backend, kernelFunc: stock as never });
  try {
    return await f();
  } finally {
    if (stock) tf.unregisterKernel(kernel, backend);
    tf.registerKernel(ours);
  }
}

/** The cases whose run used `kernel` (on the reference backend). */
const casesUsing = (kernel: string) => KERNEL_CASES.filter((c) => results.get(REFERENCE)!.get(c.name)!.kernels.includes(kernel));

describe('each kernel fix is needed: the stock kernel fails the comparison (a speed fix: gives the same numbers)', () => {
  const fixes = Object.entries(KERNEL_FIXES).flatMap(([backend, list]) => list.map((fix) => [backend, fix.kernel, fix.speedOnly ?? false] as [string, string, boolean]));
  test.each(fixes)('%s %s', async (backend, kernel, speedOnly) => {
    if (!status.get(backend)?.ran) {
      console.log(`${backend} ${kernel}: not checked, ${backend} does not run here: ${status.get(backend)?.reason ?? 'not in CONVLENS_CONFORMANCE_BACKENDS'}`);
      return;
    }
    if (backend === 'wasm' && kernel === 'Select') {
      // The stock kernel overruns its output on bool values; running it would corrupt the wasm heap.
      console.log('wasm Select: stock kernel not run (bool values corrupt the heap); the fixed one is compared above');
      return;
    }
    const against = backend === REFERENCE ? ran().find((b) => b !== REFERENCE)! : REFERENCE;
    const cases = casesUsing(kernel);
    expect(cases.length).toBeGreaterThan(0);
    // Switch first: initBackend registers the fixes again.
    await initBackend({ backend, log: false });
    const stockResults = await withStock(kernel, backend, () => runCases(cases));
    const failed = cases.filter((c) => compareResults(c, results.get(against)!.get(c.name)!, stockResults.get(c.name)!).length > 0).map((c) => c.name);
    console.log(`${backend} stock ${kernel}: ${failed.length}/${cases.length} cases disagree with ${against}${speedOnly ? ' (a speed fix: the stock kernel must agree)' : ''}`);
    if (speedOnly) return expect(failed).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    if (backend === 'wasm' && kernel === 'MaxPoolGrad') {
      // The defect shows on every adversarial kind: all-negative, all-zero and dead-ReLU windows, and ties.
      for (const kind of ['negative', 'zeros', 'deadRelu', 'ties']) expect(failed.filter((n) => n.startsWith('maxPool') && n.endsWith(`· ${kind}`)).length).toBeGreaterThan(0);
    }
  }, 300_000);
});
