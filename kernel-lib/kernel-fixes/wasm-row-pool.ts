/**
 * The second core for convlens' own JavaScript loops over the wasm heap (today: the max-pool
 * gradient). With threads on, tfjs-backend-wasm's heap is a shared `WebAssembly.Memory`, but only
 * XNNPACK's kernels use the pthreads; a kernel written in JavaScript ran on the main thread alone
 * and bounded what a second core gained (bench/README.md, "Both cores").
 *
 * A pool of `threads - 1` Node `worker_threads` shares the heap. A job is a loop function (from
 * {@link ROW_LOOPS}, the same source on every thread), numbers (heap offsets and sizes) and a count
 * of rows; the rows are cut into chunks that the main thread and the workers claim with one atomic
 * compare-and-swap each, so the main thread never waits on a worker that has not claimed anything
 * (a worker still starting, or busy, simply claims nothing) and only waits for chunks a worker is
 * running. The main thread blocks in `Atomics.wait` meanwhile: kernels are synchronous.
 * No pool (one thread, an unshared heap, or a worker that failed to start): the loop runs inline.
 */
import type { Worker as NodeWorker } from 'worker_threads';

/** The wasm memory (a `WebAssembly.Memory`: its buffer is a `SharedArrayBuffer` when threaded). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** A loop over rows `[from, to)` of a job: `heap` is the wasm memory's buffer, `p` the job's numbers. */
export type RowLoop = (heap: ArrayBufferLike, p: Float64Array, from: number, to: number) => void;

/** Slots of the shared control block (Int32). */
const GEN = 0; // bumped per job: workers sleep on it
const CLAIM = 1; // (job generation & 0xffff) << 16 | next chunk
const DONE = 2; // chunks finished in this job
const LOOP = 3; // which ROW_LOOPS entry
const CHUNKS = 4; // chunks in this job
const ROWS = 5; // rows in this job
const BY_WORKERS = 6; // chunks the workers ran, ever (for tests)
const CONTROL_INTS = 8;
/** Numbers a job may carry. */
const PARAMS = 32;

/** What a worker runs: wait for a job, claim chunks while they last, count them done. */
const workerMain = (loopSources: string[]): string => `
const { workerData } = require('worker_threads');
const { memory, control, params } = workerData;
const ctl = new Int32Array(control);
const p = new Float64Array(params);
const loops = [${loopSources.join(',\n')}];
let seen = Atomics.load(ctl, ${GEN});
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  const gen = seen & 0xffff;
  for (;;) {
    const v = Atomics.load(ctl, ${CLAIM});
    if (v >>> 16 !== gen) break;
    const chunk = v & 0xffff;
    const chunks = Atomics.load(ctl, ${CHUNKS});
    if (chunk >= chunks) break;
    if (Atomics.compareExchange(ctl, ${CLAIM}, v, v + 1) !== v) continue;
    const rows = Atomics.load(ctl, ${ROWS});
    const from = Math.floor((chunk * rows) / chunks), to = Math.floor(((chunk + 1) * rows) / chunks);
    loops[Atomics.load(ctl, ${LOOP})](memory.buffer, p, from, to);
    Atomics.add(ctl, ${BY_WORKERS}, 1);
    if (Atomics.add(ctl, ${DONE}, 1) + 1 === chunks) Atomics.notify(ctl, ${DONE});
  }
}
`;

/** A started pool: its control block, job numbers and workers. */
interface Pool {
  ctl: Int32Array;
  params: Float64Array;
  workers: NodeWorker[];
  generation: number;
}

let pool: Pool | undefined;
/** Threads the pool may use in all (main thread included): the wasm backend's thread count. */
let poolThreads = 1;
let poolFor: WasmMemory | undefined;
/** Why there is no pool (for the tests and the bench), or undefined when one runs. */
let noPoolReason = 'not started';

/** The loops the pool runs, by name; each must be self-contained (its source is sent to the workers). */
export const ROW_LOOPS: Record<string, RowLoop> = {};
const loopNames: string[] = [];

/** Add `loop` to {@link ROW_LOOPS} under `name` (before the pool starts: the workers get the sources then). */
export function registerRowLoop(name: string, loop: RowLoop): void {
  if (pool) throw new Error(`convlens: row loop '${name}' registered after the wasm row pool started`);
  if (!(name in ROW_LOOPS)) loopNames.push(name);
  ROW_LOOPS[name] = loop;
}

/** Set the threads the pool may use (backend.ts: the wasm backend's thread count once it started). */
export function setRowPoolThreads(threads: number): void {
  poolThreads = Math.max(1, Math.floor(threads));
}

/** Start (once per wasm memory) a pool of `threads - 1` workers on `memory`; undefined when it cannot. */
function ensurePool(memory: WasmMemory | undefined, threads: number): Pool | undefined {
  if (pool && poolFor === memory && pool.workers.length === threads - 1) return pool;
  for (const w of pool?.workers ?? []) void w.terminate();
  pool = undefined;
  if (!memory || threads < 2 || !(memory.buffer instanceof SharedArrayBuffer)) {
    noPoolReason = threads < 2 ? 'one thread' : 'the wasm heap is not shared (single-threaded binary)';
    return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node only, loaded when threads run
    const { Worker } = require('worker_threads') as typeof import('worker_threads');
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const params = new SharedArrayBuffer(PARAMS * 8);
    const source = workerMain(loopNames.map((n) => `(${ROW_LOOPS[n].toString()})`));
    const workers = Array.from({ length: threads - 1 }, () => {
      const w = new Worker(source, { eval: true, workerData: { memory, control, params } });
      w.unref();
      // A worker that dies claims nothing more; the main thread runs what is left.
      w.on('error', (e) => (noPoolReason = `a row worker failed: ${e.message}`));
      return w;
    });
    pool = { ctl: new Int32Array(control), params: new Float64Array(params), workers, generation: 0 };
    poolFor = memory;
    noPoolReason = '';
    return pool;
  } catch (e) {
    noPoolReason = `workers did not start: ${e instanceof Error ? e.message : String(e)}`;
    return undefined;
  }
}

/** The pool's state: its worker count, or why there is none, and how many chunks its workers ran. */
export function rowPoolStatus(): { workers: number; reason: string; workerChunks: number } {
  return { workers: pool?.workers.length ?? 0, reason: noPoolReason, workerChunks: pool ? Atomics.load(pool.ctl, BY_WORKERS) : 0 };
}

/** How long the main thread waits for a chunk a worker claimed before it gives up. */
const CHUNK_TIMEOUT_MS = 60_000;

/**
 * Run loop `name` over `rows` rows with numbers `p` on the wasm heap `heap`: on the main thread
 * and, where the heap is a shared `memory` and {@link setRowPoolThreads} allowed more than one
 * thread, the pool's workers too, in chunks of at least `minRows` rows. Returns when every row is done.
 */
export function runRows(name: string, p: number[], rows: number, heap: ArrayBufferLike, memory: WasmMemory | undefined, minRows = 1): void {
  const threads = poolThreads;
  const loop = ROW_LOOPS[name];
  if (!loop) throw new Error(`convlens: unknown row loop '${name}'; registered: ${loopNames.join(', ')}`);
  if (p.length > PARAMS) throw new Error(`convlens: a row job carries at most ${PARAMS} numbers; got ${p.length}`);
  const chunks = Math.min(0xffff, Math.floor(rows / minRows), 4 * threads);
  const running = chunks >= 2 ? ensurePool(memory, threads) : undefined;
  if (!running || !memory || memory.buffer !== heap) {
    loop(heap, Float64Array.from(p), 0, rows);
    return;
  }
  const { ctl, params } = running;
  params.set(p);
  running.generation = (running.generation + 1) & 0xffff;
  const gen = running.generation;
  Atomics.store(ctl, LOOP, loopNames.indexOf(name));
  Atomics.store(ctl, CHUNKS, chunks);
  Atomics.store(ctl, ROWS, rows);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, CLAIM, gen << 16);
  Atomics.store(ctl, GEN, gen);
  Atomics.notify(ctl, GEN);
  for (;;) {
    const v = Atomics.load(ctl, CLAIM);
    const chunk = v & 0xffff;
    if (chunk >= chunks) break;
    if (Atomics.compareExchange(ctl, CLAIM, v, v + 1) !== v) continue;
    loop(memory.buffer, params, Math.floor((chunk * rows) / chunks), Math.floor(((chunk + 1) * rows) / chunks));
    Atomics.add(ctl, DONE, 1);
  }
  const since = Date.now();
  for (let done = Atomics.load(ctl, DONE); done < chunks; done = Atomics.load(ctl, DONE)) {
    if (Date.now() - since > CHUNK_TIMEOUT_MS) throw new Error(`convlens: a wasm row worker did not finish its part of '${name}' in ${CHUNK_TIMEOUT_MS / 1000} s (${rowPoolStatus().reason || 'no error reported'})`);
    Atomics.wait(ctl, DONE, done, 1000);
  }
}
