/**
 * `npm run bench -- <workload[,workload...]> [--peers] [--profile] [--backends LIST] [--threads LIST] [--reps N] [--budget SECONDS]`
 *
 * Times workloads on every available convlens backend (wasm once per thread count) and, with
 * `--peers`, the same work in PyTorch (CPU at each thread count, and CUDA where torch has it),
 * each contender in its own long-lived process. Every contender sets a case up and warms it up
 * once; then the timed runs go in interleaved rounds (one run of each contender per round, the
 * order rotating), so load from other processes on the machine falls on all of them alike.
 * Prints medians, quartiles and ratios as one markdown table, with the machine's load.
 * `--profile` instead prints the slowest tfjs kernels of one run per case (wasm by default).
 * `interaction` (bench/interaction.ts) times the widgets through live kernels.
 */
import * as os from 'os';
import * as path from 'path';
import { BACKEND_NAMES } from '../kernel-lib/backend';
import { workloads } from './workloads';
import type { BenchCase, Workload } from './workload';
import { Args, INTERACTION, parseArgs } from './args';
import { benchFile, Contender, python } from './protocol';
import { runnerMain } from './runner';
import { summarize, Summary } from './stats';
import { fmt, machineLine, startLine } from './report';
import { interactionMain } from './interaction';

/** How to start this very script again as a child (ts-node when run from source, node for the bundle). */
function selfCommand(): { command: string; args: string[] } {
  const script = typeof __filename === 'string' ? __filename : path.resolve(process.argv[1]);
  if (script.endsWith('.ts')) return { command: process.execPath, args: ['-r', require.resolve('ts-node/register/transpile-only'), script] };
  return { command: process.execPath, args: [script] };
}

/** A contender as the table shows it. */
interface Entry {
  contender: Contender;
  engine: string;
  threads: string;
  peer: boolean;
  /** PyTorch on the CPU with one thread: the ratio column's baseline. */
  baseline: boolean;
  label?: string;
  skipped?: string;
}

function contenders(args: Args): Entry[] {
  const self = selfCommand();
  const entries: Entry[] = [];
  for (const backend of args.backends ?? BACKEND_NAMES) {
    const threads = backend === 'wasm' ? args.threads : [1];
    for (const t of threads) {
      const name = backend === 'wasm' ? `wasm ${t}t` : backend;
      const contender = new Contender(name, self.command, [...self.args, '--runner', backend, String(t)]);
      entries.push({ contender, engine: `convlens ${backend}`, threads: backend === 'webgpu' ? 'GPU' : backend === 'wasm' ? String(t) : '1', peer: false, baseline: false });
    }
  }
  if (args.peers) {
    const script = benchFile('peers/torch_peer.py');
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    for (const t of args.threads) {
      // torch.set_num_threads does not reach the BLAS Debian's torch calls for matmul and cdist
      // (OpenBLAS: the 1-thread t-SNE peer used 2 CPU s per wall s); its pool size comes from the environment.
      const threads = String(t);
      const pool = { OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
      const contender = new Contender(`torch ${t}t`, python(), [script, '--threads', threads], { ...env, ...pool });
      entries.push({ contender, engine: 'PyTorch CPU', threads, peer: true, baseline: t === 1 });
    }
    entries.push({ contender: new Contender('torch cuda', python(), [script, '--threads', '1', '--device', 'cuda'], env), engine: 'PyTorch CUDA', threads: 'GPU', peer: true, baseline: false });
  }
  return entries;
}

interface Result {
  entry: Entry;
  summary?: Summary;
  /** Median CPU time of the contender's process per run (all threads). */
  cpuMs?: number;
  note?: string;
  /** The warm-up run's wall and CPU time. */
  warmMs?: number;
  warmCpuMs?: number;
  /** The only figure is the warm-up run (it alone took longer than the budget). */
  warmOnly?: boolean;
}

interface CaseResult {
  workload: Workload;
  c: BenchCase;
  results: Result[];
  load: [number, number];
}

/** Set up case `index` of `workload` on every entry (with a warm-up run); returns the entries that have it. */
async function setUp(workload: Workload, index: number, key: string, entries: Entry[], results: Result[]): Promise<Result[]> {
  const c = workload.cases[index];
  const live: Result[] = [];
  for (const entry of entries.filter((e) => !e.skipped)) {
    const result: Result = { entry };
    results.push(result);
    if (entry.peer && !c.peer) {
      result.note = 'no PyTorch peer for this case';
      continue;
    }
    const r = await entry.contender.request({ op: 'setup', key, workload: workload.name, index, name: c.peer?.name, args: c.peer?.args });
    if (r.error !== undefined) result.note = `setup failed: ${r.error}`;
    else {
      result.warmMs = r.warmMs;
      result.warmCpuMs = r.cpuMs;
      live.push(result);
      console.log(`#   ${workload.name} ${c.label} | ${entry.contender.name}: warm-up ${fmt(r.warmMs ?? 0)} ms`);
    }
  }
  return live;
}

/** Set case `index` up on every entry, then time it in interleaved rounds. */
async function timeCase(workload: Workload, index: number, entries: Entry[], args: Args): Promise<CaseResult> {
  const key = `${workload.name}#${index}`;
  const load0 = os.loadavg()[0];
  const results: Result[] = [];
  const live = (await setUp(workload, index, key, entries, results)).map((result) => ({ result, times: [] as number[], cpu: [] as number[], spent: 0 }));
  // A contender whose warm-up alone took longer than the budget (the cpu backend on big cases)
  // is not run again: its warm-up time stands as its one figure, marked as such.
  for (const p of live) {
    if ((p.result.warmMs ?? 0) > args.budget * 1000) {
      p.result.warmOnly = true;
      p.times.push(p.result.warmMs!);
      if (p.result.warmCpuMs !== undefined) p.cpu.push(p.result.warmCpuMs);
    }
  }
  for (let round = 0; round < args.reps; round++) {
    let ran = false;
    for (let k = 0; k < live.length; k++) {
      const p = live[(k + round) % live.length];
      if (p.result.note || p.result.warmOnly) continue;
      // The budget bounds each contender's time on a case (a slow backend still gets one timed run).
      if (p.times.length > 0 && p.spent + p.spent / p.times.length > args.budget * 1000) continue;
      const r = await p.result.entry.contender.request({ op: 'run', key });
      if (r.error !== undefined || r.ms === undefined) {
        p.result.note = `run failed: ${r.error}`;
        continue;
      }
      p.times.push(r.ms);
      if (r.cpuMs !== undefined) p.cpu.push(r.cpuMs);
      p.spent += r.ms;
      ran = true;
    }
    if (!ran) break;
  }
  for (const p of live) {
    if (p.times.length) p.result.summary = summarize(p.times);
    if (p.cpu.length) p.result.cpuMs = summarize(p.cpu).median;
    await p.result.entry.contender.request({ op: 'dispose', key });
  }
  return { workload, c: workload.cases[index], results, load: [load0, os.loadavg()[0]] };
}

function heading(chosen: Workload[], command: string, before: number[], after: number[]): string[] {
  return [...chosen.map((w) => `- \`${w.name}\`: ${w.description}`), '', machineLine(command, before, after), ''];
}

function timeTable(chosen: Workload[], cases: CaseResult[], command: string, before: number[], after: number[]): string {
  const lines = [
    ...heading(chosen, command, before, after),
    '| workload | case | engine | threads | median ms | IQR ms | min ms | runs | GFLOP/s | time ÷ PyTorch 1 thread | CPU ms | CPU time ÷ PyTorch 1 thread | load (1 min) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { workload, c, results, load } of cases) {
    const baseRow = results.find((r) => r.entry.baseline && r.summary) ?? results.find((r) => r.summary);
    const base = baseRow?.summary;
    const baseIsPeer = Boolean(baseRow?.entry.baseline);
    const vs = baseIsPeer ? '' : ' (vs first)';
    for (const r of results) {
      const s = r.summary;
      const cpu = r.cpuMs !== undefined ? [fmt(r.cpuMs), baseRow?.cpuMs ? `${(r.cpuMs / baseRow.cpuMs).toFixed(2)}${vs}` : ''] : ['', ''];
      const cells = s
        ? [fmt(s.median), `${fmt(s.q1)}–${fmt(s.q3)}`, fmt(s.min), r.warmOnly ? '1 (warm-up)' : String(s.runs), c.flops ? (c.flops / (s.median / 1000) / 1e9).toFixed(2) : '', base ? `${(s.median / base.median).toFixed(2)}${vs}` : '', ...cpu]
        : [r.note ?? 'no timed run', '', '', '', '', '', '', ''];
      lines.push(`| ${workload.name} | ${c.label} | ${r.entry.engine} | ${r.entry.threads} | ${cells.join(' | ')} | ${load[0].toFixed(1)}→${load[1].toFixed(1)} |`);
    }
  }
  const speedups: string[] = [];
  for (const { workload, c, results } of cases) {
    for (const engine of new Set(results.map((r) => r.entry.engine))) {
      const rows = results.filter((r) => r.entry.engine === engine && r.summary && /^\d+$/.test(r.entry.threads));
      const one = rows.find((r) => r.entry.threads === '1');
      for (const r of rows) {
        if (r === one || !one) continue;
        speedups.push(`${workload.name} ${c.label}, ${engine}: ${r.entry.threads} threads ${(one.summary!.median / r.summary!.median).toFixed(2)}x as fast as 1`);
      }
    }
  }
  if (speedups.length) lines.push('', ...speedups.map((s) => `- ${s}`));
  return lines.join('\n');
}

/** One profiled run per case and convlens contender: the slowest kernels and their share of the kernel time. */
async function profileTable(chosen: Workload[], entries: Entry[], command: string, before: number[]): Promise<string> {
  const rows: string[] = [];
  for (const workload of chosen) {
    for (let index = 0; index < workload.cases.length; index++) {
      const key = `${workload.name}#${index}`;
      const results: Result[] = [];
      for (const r of await setUp(workload, index, key, entries, results)) {
        const p = await r.entry.contender.request({ op: 'profile', key });
        await r.entry.contender.request({ op: 'dispose', key });
        if (p.error !== undefined || !p.kernels) continue;
        const total = p.kernels.reduce((a, k) => a + k.ms, 0);
        const top = p.kernels.slice(0, 6).map((k) => `${k.name} ${fmt(k.ms)} (${((100 * k.ms) / total).toFixed(0)}%, ×${k.calls})`);
        rows.push(`| ${workload.name} | ${workload.cases[index].label} | ${r.entry.engine} | ${r.entry.threads} | ${fmt(p.ms ?? 0)} | ${top.join('; ')} |`);
      }
    }
  }
  return [
    ...heading(chosen, command, before, os.loadavg()),
    '| workload | case | engine | threads | run ms | slowest kernels: ms (share of kernel time, calls) |',
    '| --- | --- | --- | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--runner') return runnerMain(argv[1], Number(argv[2]));
  const args = parseArgs(argv);
  const command = `npm run bench -- ${argv.join(' ')}`;
  if (args.workloads[0] === INTERACTION) return interactionMain(args, command);
  if (args.profile && !args.backends) args.backends = ['wasm'];
  const chosen = args.workloads.map((name) => workloads.find((w) => w.name === name)!);
  const before = os.loadavg();
  console.log(startLine(chosen.map((w) => w.name).join(', '), before));
  const entries = contenders(args);
  try {
    for (const e of entries) {
      const hello = await e.contender.next();
      if (hello.error !== undefined || !hello.ready) e.skipped = hello.error ?? 'no greeting';
      else e.label = hello.label;
      console.log(`# ${e.contender.name}: ${e.skipped ? `skipped (${e.skipped})` : e.label}${!e.skipped && hello.threads !== undefined && e.threads !== 'GPU' ? `, threads: ${hello.threads}` : ''}`);
      if (!e.skipped && e.threads !== 'GPU' && hello.threads !== undefined && String(hello.threads) !== e.threads) {
        e.threads = `${hello.threads} (asked ${e.threads})`;
      }
      // WebGPU on a software adapter is the CPU drawing the GPU's work: its rows are not GPU figures.
      if (!e.skipped && hello.software) Object.assign(e, { engine: `${e.engine} on ${hello.software} (software adapter, not a GPU figure)`, threads: 'CPU' });
    }
    if (args.profile) {
      console.log('\n' + (await profileTable(chosen, entries, command, before)));
    } else {
      const results: CaseResult[] = [];
      for (const workload of chosen) {
        for (let i = 0; i < workload.cases.length; i++) results.push(await timeCase(workload, i, entries, args));
      }
      console.log('\n' + timeTable(chosen, results, command, before, os.loadavg()));
    }
    const skipped = entries.filter((e) => e.skipped);
    if (skipped.length) console.log('\nSkipped: ' + skipped.map((e) => `${e.engine}${e.threads === '1' || e.threads === 'GPU' ? '' : ` (${e.threads} threads)`}: ${e.skipped}`).join('; '));
  } finally {
    await Promise.all(entries.map((e) => e.contender.close()));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
