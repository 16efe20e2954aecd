/**
 * Both cores for the tfjs wasm backend in Node: runs tfjs-backend-wasm's threaded SIMD binary
 * (Emscripten pthreads under XNNPACK's thread pool) on Node `worker_threads`.
 *
 * tfjs 4.22 keeps threads off in Node (its `WASM_HAS_MULTITHREAD_SUPPORT` flag says no there),
 * although the Emscripten glue it ships speaks `worker_threads`. Three things stand in the way, each
 * bridged here only while the backend initialises:
 * - tfjs hands Emscripten the pthread worker script and the main script as Blob URLs, which a Node
 *   `Worker` cannot load: the glue's `new Worker(url)` gets a subclass that loads a file written
 *   from the same shipped sources (`wasm-out/tfjs-backend-wasm-threaded-simd{,.worker}.js`).
 * - the module caps its pool at half of `os.cpus().length` (it assumes two hyper-threads per core),
 *   so on a 2-CPU machine it would run one thread: `os.cpus()` reports 2 × the wanted count.
 * - running pthread workers keep Node's event loop alive, so scripts would never exit: they are
 *   unref'd once the backend is up.
 * Any failure (or no answer in {@link START_TIMEOUT_MS}) terminates the workers it started and
 * reports why; the caller then starts the single-threaded SIMD binary.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from './tf';

/** The threads the wasm backend may use at most: the size of the Emscripten pool tfjs builds in. */
export const MAX_WASM_THREADS = 8;
/** How long the threaded backend may take to start (8 workers, each instantiating the module). */
export const START_TIMEOUT_MS = 30_000;

/** The threaded SIMD binary tfjs-backend-wasm ships. */
const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/** How many threads were asked for, and why. */
export interface WasmThreadRequest {
  count: number;
  reason: string;
}

/**
 * The thread count for the wasm backend: `requested`, else `CONVLENS_WASM_THREADS`, else the number
 * of CPUs, capped at {@link MAX_WASM_THREADS}.
 * @throws an Error naming the bad value when `requested` or the variable is not a positive integer.
 */
export function wasmThreadRequest(requested?: number): WasmThreadRequest {
  const env = process.env.CONVLENS_WASM_THREADS;
  const [value, source] =
    requested !== undefined ? [requested, 'initBackend({ wasmThreads })'] : env !== undefined && env.trim() !== '' ? [Number(env), 'CONVLENS_WASM_THREADS'] : [undefined, ''];
  if (value !== undefined) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${source} must be a whole number of threads from 1 to ${MAX_WASM_THREADS}; got ${JSON.stringify(requested ?? env)}`);
    }
    const count = Math.min(value, MAX_WASM_THREADS);
    return { count, reason: `${source} = ${value}${value > MAX_WASM_THREADS ? ` (tfjs' pool holds ${MAX_WASM_THREADS})` : ''}` };
  }
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { count: Math.max(1, Math.min(cpus, MAX_WASM_THREADS)), reason: `${cpus} CPU${cpus === 1 ? '' : 's'}` };
}

type NodeWorker = import('worker_threads').Worker;
type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

let scripts: { worker: string } | undefined;

/** Write the pthread worker script and the module factory it imports to a private temporary folder. */
function writeScripts(): { worker: string } {
  if (scripts) return scripts;
  // The exact sources tfjs turns into Blobs, from the same package version.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- package-internal CommonJS files, read only when threads start
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const factory = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js') as (...args: unknown[]) => unknown;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-wasm-threads-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const main = path.join(dir, 'module.js');
  const worker = path.join(dir, 'worker.js');
  // The factory closes over `_scriptDir` (undefined in a worker); the worker evaluates this file in
  // its global scope, where the var becomes the global `WasmBackendModuleThreadedSimd` it calls.
  // Bundlers rename the factory's `require` (esbuild: `__require`); the worker has a plain one.
  fs.writeFileSync(main, `var _scriptDir;\nvar __require = require;\nvar WasmBackendModuleThreadedSimd = ${factory.toString()};\n`);
  // tfjs escapes the newlines inside string literals the same way before making its Blob. The worker
  // turns the main-script Blob it receives into a URL and imports it: point that at the file.
  fs.writeFileSync(worker, `${wasmWorkerContents.replace(/\n/g, '\\n')}\n;URL.createObjectURL = () => ${JSON.stringify(main)};\nURL.revokeObjectURL = () => undefined;\n`);
  scripts = { worker };
  return scripts;
}

/** The workers a start made; `started()` hands their later errors to Emscripten's handlers. */
interface Started<T> {
  result: T;
  workers: NodeWorker[];
  started(): void;
}

/**
 * Run `body` with the process patched as described in the module comment; returns the workers
 * made. `body` gets a promise that resolves with the first worker error (the glue would rethrow
 * it from its handler and crash the process: it is the start's failure instead, and the errors of
 * the other workers of a failed start are dropped with them).
 */
async function withNodeWorkers<T>(count: number, body: (workerFailed: Promise<string>) => Promise<T>): Promise<Started<T>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when threads start
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  const { worker } = writeScripts();
  const workers: NodeWorker[] = [];
  let starting = true;
  const started = () => {
    starting = false;
  };
  let reportFailure: (why: string) => void = () => undefined;
  const workerFailed = new Promise<string>((resolve) => (reportFailure = resolve));
  class FileWorker extends Worker {
    constructor(url: string | URL, options?: import('worker_threads').WorkerOptions) {
      super(typeof url === 'string' && url.startsWith('blob:') ? worker : url, options);
      workers.push(this);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    on(event: string | symbol, listener: (...args: any[]) => void): this {
      if (event !== 'error') return super.on(event, listener);
      return super.on('error', (e: Error) => {
        if (!starting) return listener(e);
        reportFailure(`a pthread worker failed: ${e.message}`);
      });
    }
  }
  const g = globalThis as Record<string, unknown>;
  const hadWorker = Object.getOwnPropertyDescriptor(g, 'Worker');
  // The glue assigns `Worker = require('worker_threads').Worker` before making its pool; keep ours.
  Object.defineProperty(g, 'Worker', { configurable: true, get: () => FileWorker, set: () => undefined });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, whose cpus is patched below
  const nodeOs = require('os') as { cpus: typeof os.cpus };
  const cpus = nodeOs.cpus;
  nodeOs.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * count }, (_, i) => real[i % real.length]);
  };
  try {
    return { result: await body(workerFailed), workers, started };
  } catch (e) {
    for (const w of workers) void w.terminate();
    throw e;
  } finally {
    nodeOs.cpus = cpus;
    if (hadWorker) Object.defineProperty(g, 'Worker', hadWorker);
    else delete g.Worker;
  }
}

/** Run `body` with console.warn/error collected into `said` instead of printed (a failed start is expected noise). */
async function withConsole<T>(said: string[], body: () => Promise<T>): Promise<T> {
  const { warn, error } = console;
  console.warn = console.error = (...args: unknown[]) => void said.push(args.map(String).join(' '));
  try {
    return await body();
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

/**
 * Start the tfjs wasm backend (not yet started in this process) with `count` threads; `start`
 * switches tfjs to it (resolving to a failure reason or undefined). Resolves to the thread count
 * running, or throws with the reason; after a failure the single-threaded binary is selected for
 * the next start.
 */
export async function startThreadedWasm(wasm: WasmPackage, dir: string, count: number, start: () => Promise<string | undefined>): Promise<number> {
  const binary = path.join(dir, THREADED_BINARY);
  if (!fs.existsSync(binary)) throw new Error(`${THREADED_BINARY} is not in ${dir}`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(count);
  let workers: NodeWorker[] = [];
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the threaded backend did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    });
    const said: string[] = [];
    const run = await withConsole(said, () => withNodeWorkers(count, (workerFailed) => Promise.race([start(), timeout, workerFailed]).finally(() => clearTimeout(timer))));
    workers = run.workers;
    // tfjs warns "Initialization of backend wasm failed" and a hint about serving files over HTTP
    // (kept quiet: not the case in Node); Emscripten writes its "Aborted(reason)" to stderr itself.
    if (run.result) throw new Error(said.length && !run.result.startsWith('a pthread worker') ? `${said[0]} (Emscripten's "Aborted(...)" line on stderr says why)` : run.result);
    const threads = wasm.getThreadsCount();
    if (!(threads > 1)) throw new Error(`the threaded module runs ${threads} thread(s)`);
    for (const w of workers) w.unref();
    run.started();
    return threads;
  } catch (e) {
    for (const w of workers) void w.terminate();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    throw e;
  }
}
