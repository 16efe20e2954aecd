/**
 * Backend selection: picks the fastest TensorFlow.js backend that works on this machine and says
 * which one runs and why.
 *
 * Order, unless `CONVLENS_BACKEND` or `opts.backend` names one:
 * `tfjs-node-gpu` → `tfjs-node` (only when the user installed them) → `webgpu` (Dawn from the npm
 * package `webgpu`) → `wasm` (SIMD, on as many threads as CPUs, up to 8) → `cpu`.
 */
import * as path from 'path';
import { createRequire } from 'module';
import { tf } from './tf';
import { setBackendChooser } from './core/backend-choice';
import { registerWasmTrainingKernels } from './wasm-training-kernels';
import { registerKernelFixes } from './kernel-fixes';
import { setRowPoolThreads } from './kernel-fixes/wasm-row-pool';
import { registerWasmConvBackpropInput } from './wasm-conv-backprop-input';
import { startThreadedWasm, wasmThreadRequest } from './wasm-threads';
import { guardWasmHeap } from './wasm-heap-guard';
import { adapterName, probeAdapter, softwareRenderer } from './webgpu-adapter';
import { dawnDevice, dawnEntry, dawnGpu, loadDawn, type DawnModule } from './webgpu-dawn';

/** Backend names convlens knows, fastest first. */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** A backend that was tried and skipped, with the reason. */
export interface SkippedBackend {
  name: BackendName;
  reason: string;
}

/** What {@link initBackend} chose. */
export interface BackendInfo {
  /** The convlens name of the backend that runs. */
  name: BackendName;
  /** The tfjs backend name (`tf.getBackend()`): 'tensorflow' for both tfjs-node flavours. */
  tfBackend: string;
  /** Why this backend runs (forced by the environment, or the first that worked). */
  reason: string;
  /** Backends tried before it, each with why it was skipped. */
  skipped: SkippedBackend[];
  /** Backend-specific facts, e.g. `{ simd: true, threads: 2 }` for wasm (with `single-threaded: why` when 1). */
  details: Record<string, string | number | boolean>;
  /** The one tfjs instance convlens uses. */
  tf: typeof tf;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Force one backend; overrides `CONVLENS_BACKEND`. An unavailable forced backend is an error. */
  backend?: string;
  /** Print the one-line summary (default true unless `CONVLENS_QUIET=1`). */
  log?: boolean;
  /**
   * Threads for the wasm backend (default `CONVLENS_WASM_THREADS`, else the number of CPUs, at most 8;
   * 1 runs the single-threaded binary). Fixed once the wasm backend has started in this process.
   */
  wasmThreads?: number;
}

/**
 * A Node `require` that bypasses bundlers' and jest's module registries (for the native/ESM `webgpu`
 * package and for locating files). Inside an ES-module bundle (the GPU-machine bundle) there is no
 * `__filename`, so it resolves from the running script instead.
 */
const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : path.resolve(process.argv[1] ?? 'index.js'));

let chosen: Promise<BackendInfo> | undefined;
// Loaders start the choice when a notebook did not call initBackend first; after any choice
// (a forced one included: tests switch backends) they keep it.
setBackendChooser(() => chosen ?? initBackend());
/** The backend the pending or made choice was forced to, or 'auto'. */
let chosenFor: BackendName | 'auto' | undefined;

/**
 * Select and initialise the backend. Idempotent: later calls return the same choice (a call that
 * forces a different backend than the one chosen switches to it).
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const forced = parseBackendName(opts.backend ?? process.env.CONVLENS_BACKEND);
  if (chosen && (forced === undefined || chosenFor === forced)) return chosen;
  chosenFor = forced ?? 'auto';
  chosen = selectBackend(forced, opts.log ?? process.env.CONVLENS_QUIET !== '1', opts);
  chosen.catch(() => {
    chosen = undefined;
    chosenFor = undefined;
  });
  return chosen;
}

/**
 * Validate a backend name (case-insensitive; empty means automatic).
 * @throws an Error naming the bad value and listing the valid names.
 */
export function parseBackendName(name: string | undefined): BackendName | undefined {
  if (name === undefined || name.trim() === '' || name.trim().toLowerCase() === 'auto') return undefined;
  const n = name.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(n)) return n as BackendName;
  throw new Error(
    `Unknown backend "${name}". Valid names: ${BACKEND_NAMES.join(', ')} (or "auto"). ` +
      'Set it with CONVLENS_BACKEND or initBackend({ backend }).',
  );
}

type Attempt = { ok: true; details: Record<string, string | number | boolean> } | { ok: false; reason: string };

const attempts: Record<BackendName, (opts: InitBackendOptions, forced: boolean) => Promise<Attempt>> = {
  'tfjs-node-gpu': () => tryTfjsNode('@tensorflow/tfjs-node-gpu'),
  'tfjs-node': () => tryTfjsNode('@tensorflow/tfjs-node'),
  webgpu: tryWebGpu,
  wasm: tryWasm,
  cpu: tryCpu,
};

async function selectBackend(forced: BackendName | undefined, log: boolean, opts: InitBackendOptions): Promise<BackendInfo> {
  const order: readonly BackendName[] = forced ? [forced] : BACKEND_NAMES;
  const skipped: SkippedBackend[] = [];
  for (const name of order) {
    let result: Attempt;
    try {
      result = await attempts[name](opts, forced !== undefined);
    } catch (e) {
      result = { ok: false, reason: errorText(e) };
    }
    if (!result.ok) {
      skipped.push({ name, reason: result.reason });
      continue;
    }
    const reason = forced
      ? `forced by ${process.env.CONVLENS_BACKEND ? 'CONVLENS_BACKEND' : 'initBackend({ backend })'}`
      : skipped.length === 0
        ? 'the fastest backend, and it works here'
        : 'the fastest backend that works here';
    registerKernelFixes(tf.getBackend());
    const info: BackendInfo = { name, tfBackend: tf.getBackend(), reason, skipped, details: result.details, tf };
    if (log) console.log(summarizeBackend(info));
    return info;
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(forced ? `Backend "${forced}" is not available here: ${why}` : `No tfjs backend works here: ${why}`);
}

/**
 * The short line {@link initBackend} prints (a notebook's first cell): the backend, its details
 * and why it runs; how many faster backends were skipped, with where to read why.
 */
export function summarizeBackend(info: BackendInfo): string {
  const details = Object.entries(info.details)
    .map(([k, v]) => `${k}: ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`)
    .join(', ');
  const n = info.skipped.length;
  const skipped = n ? ` (${n} faster ${n === 1 ? 'one' : 'ones'} skipped: lens.backendReport() says why)` : '';
  return `convlens: backend ${info.name}${details ? ` (${details})` : ''}, ${info.reason}${skipped}`;
}

/** The full report of the backend choice: {@link describeBackend} of the backend {@link initBackend} chose (choosing it first if needed, silently). */
export async function backendReport(): Promise<string> {
  return describeBackend(await initBackend({ log: false }));
}

/** The full one-line description of the choice, with every skipped backend and why. */
export function describeBackend(info: BackendInfo): string {
  const details = Object.entries(info.details)
    .map(([k, v]) => `${k}: ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`)
    .join(', ');
  const skipped = info.skipped.map((s) => `${s.name} skipped (${s.reason})`).join('; ');
  return `convlens: backend ${info.name}${details ? ` (${details})` : ''}, ${info.reason}` + (skipped ? `. ${skipped}` : '');
}

/** Switch tfjs to `tfName`, turning tfjs' silent stay-on-the-old-backend into a failure. */
async function switchTo(tfName: string): Promise<Attempt | undefined> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
    await tf.ready();
  } catch (e) {
    return { ok: false, reason: `tf.setBackend('${tfName}') threw: ${errorText(e)}` };
  }
  if (!ok || tf.getBackend() !== tfName) {
    return { ok: false, reason: `tf.setBackend('${tfName}') failed; tfjs stayed on '${tf.getBackend()}'` };
  }
  return undefined;
}

async function tryTfjsNode(pkg: string): Promise<Attempt> {
  try {
    nodeRequire.resolve(pkg);
  } catch {
    return { ok: false, reason: `${pkg} is not installed (optional: npm install ${pkg})` };
  }
  // tfjs-node must register its 'tensorflow' backend with our tfjs instance: it requires
  // @tensorflow/tfjs-core itself, which npm dedupes to the same copy when versions match.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, loaded only when present
  require(pkg);
  if (!tf.findBackendFactory('tensorflow')) {
    return { ok: false, reason: `${pkg} loaded but registered no 'tensorflow' backend with this tfjs (version mismatch?)` };
  }
  const failed = await switchTo('tensorflow');
  return failed ?? { ok: true, details: { package: pkg } };
}

/**
 * WebGPU through Dawn: the adapter is probed in a child process first (see webgpu-adapter.ts); a
 * software adapter (SwiftShader, lavapipe/llvmpipe, WARP) is slower than wasm, so it is used only
 * when webgpu is forced, and then the details say it is software. The backend computes on this
 * process's one Dawn device (webgpu-dawn.ts).
 */
async function tryWebGpu(_opts: InitBackendOptions, forced: boolean): Promise<Attempt> {
  let entry: string;
  try {
    entry = dawnEntry();
  } catch (e) {
    return { ok: false, reason: `the npm package 'webgpu' (Dawn) is not installed: ${errorText(e)}` };
  }
  const probe = await probeAdapter(entry);
  if (!probe.ok) return probe;
  const software = softwareRenderer(probe.info);
  if (software && !forced) {
    return { ok: false, reason: `software adapter ${software}, slower than wasm (${adapterName(probe.info)}; CONVLENS_BACKEND=webgpu uses it)` };
  }
  let dawn: DawnModule;
  try {
    dawn = loadDawn();
  } catch (e) {
    return { ok: false, reason: `the npm package 'webgpu' (Dawn) did not load: ${errorText(e)}` };
  }
  const g = globalThis as Record<string, unknown>;
  // Loaded before navigator.gpu exists, the package does not register its own backend factory
  // (which would request a device of its own each time a backend starts); convlens registers one
  // on this process's device below.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when webgpu is tried
  const { WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu') as typeof import('@tensorflow/tfjs-backend-webgpu');
  Object.assign(g, dawn.globals);
  const gpu = dawnGpu(dawn);
  if ('navigator' in g) Object.defineProperty(g.navigator as object, 'gpu', { value: gpu, configurable: true });
  else g.navigator = { gpu, userAgent: `Node.js ${process.version}`, language: 'en' };
  if (!tf.findBackendFactory('webgpu')) {
    tf.registerBackend('webgpu', async () => {
      const { device, info } = await dawnDevice(gpu);
      return new WebGPUBackend(device as ConstructorParameters<typeof WebGPUBackend>[0], info as ConstructorParameters<typeof WebGPUBackend>[1]);
    }, 3);
  }
  const failed = await switchTo('webgpu');
  if (failed) return failed;
  const details: Record<string, string> = { adapter: adapterName(probe.info) };
  if (software) details.software = `${software}: a CPU renderer, slower than wasm; its timings are not GPU figures`;
  return { ok: true, details };
}

async function tryWasm(opts: InitBackendOptions): Promise<Attempt> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the wasm backend is tried
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const dir = wasmDirectory();
  // Inside an ES-module bundle (the GPU-machine bundle) Emscripten's Node glue still reads the
  // CommonJS free variable __dirname; give it the wasm folder.
  const g = globalThis as { __dirname?: string };
  if (typeof __dirname === 'undefined' && g.__dirname === undefined) g.__dirname = dir;
  wasm.setWasmPaths(dir + path.sep);
  const request = wasmThreadRequest(opts.wasmThreads);
  const running = tf.findBackend('wasm') !== null;
  let threads = running ? wasm.getThreadsCount() : 1;
  let single = running ? 'started so earlier in this process' : request.reason;
  if (!running && request.count > 1) {
    try {
      threads = await startThreadedWasm(wasm, dir, request.count, async () => {
        const failed = await switchTo('wasm');
        return failed && !failed.ok ? failed.reason : undefined;
      });
    } catch (e) {
      single = `threads failed: ${errorText(e)}`;
    }
  }
  if (threads === 1) {
    const failed = await switchTo('wasm');
    if (failed) return failed;
  }
  registerWasmTrainingKernels();
  registerWasmConvBackpropInput();
  guardWasmHeap(tf.findBackend('wasm'));
  setRowPoolThreads(threads);
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { ok: true, details: threads > 1 ? { simd, threads } : { simd, threads, 'single-threaded': single } };
}

/** Where the tfjs .wasm files are: `CONVLENS_WASM_DIR`, the installed package, or beside the running script. */
function wasmDirectory(): string {
  if (process.env.CONVLENS_WASM_DIR) return path.resolve(process.env.CONVLENS_WASM_DIR);
  try {
    return path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  } catch {
    return path.dirname(path.resolve(process.argv[1] ?? '.'));
  }
}

async function tryCpu(): Promise<Attempt> {
  const failed = await switchTo('cpu');
  if (failed) return failed;
  // tfjs' cpu backend prints a "Hi, looks like you are running TensorFlow.js in Node.js" banner on
  // first use, which notebooks show as an error; convlens already says which backend runs and why.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false; // an internal flag tfjs does not type
  return { ok: true, details: {} };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
