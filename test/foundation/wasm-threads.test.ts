/**
 * The wasm backend on Node worker_threads: the threaded SIMD binary starts with 2 threads, computes
 * the same numbers as the single-threaded one, lets its process exit, and falls back (with the
 * reason) when the threaded binary is broken. Each start runs in a child process: a process holds
 * one wasm module, and jest re-imports tfjs per test file.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startThreadedWasm, wasmThreadRequest, MAX_WASM_THREADS } from '../../kernel-lib/wasm-threads';

const root = path.resolve(__dirname, '../..');
const wasmDist = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

interface ChildResult { line: string; details: Record<string, unknown>; rowPool: { workers: number; reason: string; workerChunks: number }; sameEveryRun: boolean; y: number[]; dx: number[] }

/** Run the child with `env`; rejects if it fails or does not exit by itself within 60 s. */
function child(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', path.join(root, 'node_modules/ts-node/register/transpile-only'), path.join(__dirname, 'wasm-threads-child.ts')],
      { cwd: root, env: { ...process.env, CONVLENS_QUIET: '1', ...env }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`child failed (${err.message}; killed: ${err.killed}): ${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
      },
    );
  });
}

function maxRelDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / (1 + Math.abs(b[i]))));
}

describe('wasm backend threads', () => {
  let single: ChildResult;
  beforeAll(async () => {
    single = await child({ CONVLENS_WASM_THREADS: '1' });
  });

  it('runs the threaded binary on 2 worker threads, with the same numbers, and exits', async () => {
    const threaded = await child({ CONVLENS_WASM_THREADS: '2' });
    expect(threaded.details.threads).toBe(2);
    expect(threaded.line).toMatch(/backend wasm \(simd: on, threads: 2\)/);
    expect(single.details.threads).toBe(1);
    expect(single.line).toMatch(/threads: 1, single-threaded: CONVLENS_WASM_THREADS = 1/);
    expect(maxRelDiff(threaded.y, single.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(threaded.dx, single.dx)).toBeLessThan(1e-5);
    expect(threaded.dx.some((v) => v !== 0)).toBe(true);
    // The max-pool gradient (a JavaScript loop) ran on the row pool's worker too, with the same numbers.
    expect(threaded.rowPool).toMatchObject({ workers: 1, reason: '' });
    expect(threaded.rowPool.workerChunks).toBeGreaterThan(0);
    expect(threaded.sameEveryRun).toBe(true);
    expect(single.rowPool).toEqual({ workers: 0, reason: 'one thread', workerChunks: 0 });
  });

  it('falls back to one thread, saying why, when the threaded binary is broken', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-wasm-broken-'));
    try {
      for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) fs.copyFileSync(path.join(wasmDist, f), path.join(dir, f));
      const threadedBinary = fs.readFileSync(path.join(wasmDist, 'tfjs-backend-wasm-threaded-simd.wasm'));
      fs.writeFileSync(path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'), threadedBinary.subarray(0, 1000));
      const fallback = await child({ CONVLENS_WASM_THREADS: '2', CONVLENS_WASM_DIR: dir });
      expect(fallback.details.threads).toBe(1);
      expect(fallback.line).toMatch(/threads: 1, single-threaded: threads failed: Initialization of backend wasm failed/);
      expect(maxRelDiff(fallback.dx, single.dx)).toBeLessThan(1e-5);
      // Without the threaded binary it does not even try (checked before anything starts).
      fs.rmSync(path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'));
      const start = jest.fn(async () => undefined);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object startThreadedWasm takes
      await expect(startThreadedWasm(require('@tensorflow/tfjs-backend-wasm'), dir, 2, start)).rejects.toThrow(`tfjs-backend-wasm-threaded-simd.wasm is not in ${dir}`);
      expect(start).not.toHaveBeenCalled();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the thread count from the option, CONVLENS_WASM_THREADS or the CPUs, and rejects bad values', () => {
    const saved = process.env.CONVLENS_WASM_THREADS;
    try {
      expect(wasmThreadRequest(3)).toEqual({ count: 3, reason: 'initBackend({ wasmThreads }) = 3' });
      expect(wasmThreadRequest(64).count).toBe(MAX_WASM_THREADS);
      process.env.CONVLENS_WASM_THREADS = '2';
      expect(wasmThreadRequest()).toEqual({ count: 2, reason: 'CONVLENS_WASM_THREADS = 2' });
      for (const bad of ['0', 'two', '1.5', '-2']) {
        process.env.CONVLENS_WASM_THREADS = bad;
        expect(() => wasmThreadRequest()).toThrow(new RegExp(`CONVLENS_WASM_THREADS must be a whole number of threads from 1 to 8; got "${bad.replace('.', '\\.')}"`));
      }
      expect(() => wasmThreadRequest(0)).toThrow(/initBackend\(\{ wasmThreads \}\) must be a whole number of threads from 1 to 8; got 0/);
      delete process.env.CONVLENS_WASM_THREADS;
      const cpus = os.availableParallelism();
      expect(wasmThreadRequest()).toEqual({ count: Math.min(cpus, MAX_WASM_THREADS), reason: `${cpus} CPU${cpus === 1 ? '' : 's'}` });
    } finally {
      if (saved === undefined) delete process.env.CONVLENS_WASM_THREADS;
      else process.env.CONVLENS_WASM_THREADS = saved;
    }
  });
});
