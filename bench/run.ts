/**
 * `npm run bench -- <workload> [--backends webgpu,wasm,cpu] [--reps N] [--budget SECONDS]`
 *
 * Runs a workload on every available backend in one process and prints median times and the ratio
 * of each backend's time to the first backend's (ratios from one run: these machines are noisy).
 */
import * as os from 'os';
import { initBackend, BACKEND_NAMES, BackendName, describeBackend } from '../kernel-lib/backend';
import { tf } from '../kernel-lib/tf';
import { workloads } from './workloads';
import type { BenchCase } from './workload';

interface Args { workload: string; backends: BackendName[] | undefined; reps: number; budget: number }

function parseArgs(argv: string[]): Args {
  const names = workloads.map((w) => w.name);
  const args: Args = { workload: '', backends: undefined, reps: 5, budget: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backends') args.backends = argv[++i].split(',').map((b) => b.trim() as BackendName);
    else if (a === '--reps') args.reps = Number(argv[++i]);
    else if (a === '--budget') args.budget = Number(argv[++i]);
    else if (!a.startsWith('--')) args.workload = a;
    else throw new Error(`Unknown option ${a}. Options: --backends LIST, --reps N, --budget SECONDS`);
  }
  if (!names.includes(args.workload)) {
    throw new Error(`Unknown workload "${args.workload}". Workloads: ${names.join(', ')}`);
  }
  for (const b of args.backends ?? []) {
    if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new Error(`Unknown backend "${b}". Valid: ${BACKEND_NAMES.join(', ')}`);
  }
  return args;
}

async function settle(out: unknown): Promise<void> {
  const tensors = (Array.isArray(out) ? out : [out]).filter((t): t is tf.Tensor => t instanceof tf.Tensor);
  await Promise.all(tensors.map((t) => t.data()));
  tf.dispose(tensors);
}

/** Median wall time of `c` on the active backend: one warm-up, then up to `reps` runs within `budget` s. */
async function timeCase(c: BenchCase, reps: number, budget: number): Promise<{ median: number; runs: number }> {
  const { run, dispose } = c.setup(tf);
  try {
    const w0 = performance.now();
    await settle(await run()); // warm-up: shader compilation, wasm/JIT warm-up, allocations
    const warm = performance.now() - w0;
    const times: number[] = [];
    const deadline = performance.now() + budget * 1000;
    while (times.length < reps && (times.length === 0 || performance.now() + warm < deadline)) {
      const t0 = performance.now();
      await settle(await run());
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], runs: times.length };
  } finally {
    dispose();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workload = workloads.find((w) => w.name === args.workload)!;
  console.log(`# ${workload.name}: ${workload.description}`);
  console.log(`# ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPU cores`);
  const candidates = args.backends ?? BACKEND_NAMES.slice();
  const results: Array<{ backend: string; label: string; median: number; runs: number; flops?: number }> = [];
  for (const backend of candidates) {
    try {
      const info = await initBackend({ backend, log: false });
      console.log(`# ${describeBackend(info)}`);
    } catch (e) {
      console.log(`# ${backend}: skipped (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    for (const c of workload.cases) {
      const r = await timeCase(c, args.reps, args.budget);
      results.push({ backend, label: c.label, ...r, flops: c.flops });
      console.log(`#   ${backend} ${c.label}: ${r.median.toFixed(1)} ms (median of ${r.runs})`);
    }
  }
  console.log('\n| case | backend | median ms | runs | GFLOP/s | time vs first backend |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const c of workload.cases) {
    const rows = results.filter((r) => r.label === c.label);
    const base = rows[0];
    for (const r of rows) {
      const gflops = r.flops ? (r.flops / (r.median / 1000) / 1e9).toFixed(2) : '';
      console.log(`| ${c.label} | ${r.backend} | ${r.median.toFixed(1)} | ${r.runs} | ${gflops} | ${(r.median / base.median).toFixed(2)}x |`);
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
