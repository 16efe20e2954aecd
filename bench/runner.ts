/**
 * The convlens side of `npm run bench`: a child process that starts one backend (for wasm with a
 * given thread count) and answers {@link Command}s for the workloads' cases on stdin (see
 * bench/protocol.ts). Started by bench/run.ts as `run.ts --runner BACKEND THREADS`.
 */
import * as readline from 'readline';
import { initBackend, describeBackend, parseBackendName } from '../kernel-lib/backend';
import { tf } from '../kernel-lib/tf';
import { workloads } from './workloads';
import { Command, Reply, REPLY_PREFIX } from './protocol';

/** Wait for a run's result tensors to be computed and read back, then free them. */
export async function settle(out: unknown): Promise<void> {
  const tensors = (Array.isArray(out) ? out : [out]).filter((t): t is tf.Tensor => t instanceof tf.Tensor);
  await Promise.all(tensors.map((t) => t.data()));
  tf.dispose(tensors);
}

type Instance = { run: () => unknown; dispose: () => void };

/** Time `run` once, including reading its result back: wall ms and the process's CPU ms (all threads). */
async function timeOnce(run: () => unknown): Promise<{ ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await settle(await run());
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 };
}

async function answer(cmd: Command, cases: Map<string, Instance>): Promise<Reply> {
  if (cmd.op === 'setup') {
    const workload = workloads.find((w) => w.name === cmd.workload);
    const c = workload?.cases[cmd.index];
    if (!c) throw new Error(`no case ${cmd.index} in workload ${cmd.workload}`);
    const instance = c.setup(tf);
    cases.set(cmd.key, instance);
    const warm = await timeOnce(instance.run); // warm-up: JIT, shader compilation, allocations
    return { ok: true, warmMs: warm.ms, cpuMs: warm.cpuMs };
  }
  if (cmd.op === 'run') {
    const instance = cases.get(cmd.key);
    if (!instance) throw new Error(`case ${cmd.key} is not set up`);
    return timeOnce(instance.run);
  }
  if (cmd.op === 'profile') {
    const instance = cases.get(cmd.key);
    if (!instance) throw new Error(`case ${cmd.key} is not set up`);
    let ms = 0;
    const info = await tf.profile(async () => {
      ms = (await timeOnce(instance.run)).ms;
      return [];
    });
    // Op-level entries ('fusedConv2d__op') wrap a kernel that is listed too.
    const byKernel = new Map<string, { name: string; ms: number; calls: number }>();
    for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
      const e = byKernel.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
      e.ms += Number(k.kernelTimeMs);
      e.calls += 1;
      byKernel.set(k.name, e);
    }
    return { ms, kernels: [...byKernel.values()].sort((a, b) => b.ms - a.ms) };
  }
  if (cmd.op === 'dispose') {
    cases.get(cmd.key)?.dispose();
    cases.delete(cmd.key);
    return { ok: true };
  }
  throw new Error(`unknown op ${JSON.stringify((cmd as { op: unknown }).op)}`);
}

/** Serve one backend: `backend` is a convlens backend name, `threads` the wasm thread count. */
export async function runnerMain(backend: string, threads: number): Promise<void> {
  const reply = (r: Reply) => process.stdout.write(REPLY_PREFIX + JSON.stringify(r) + '\n');
  console.log = (...args: unknown[]) => console.error(...args); // keep stdout for replies
  try {
    const name = parseBackendName(backend);
    const info = await initBackend({ backend: name, log: false, wasmThreads: name === 'wasm' ? threads : undefined });
    const software = typeof info.details.software === 'string' ? info.details.software.split(':')[0] : undefined;
    reply({ ready: true, label: describeBackend(info), threads: typeof info.details.threads === 'number' ? info.details.threads : 1, software });
  } catch (e) {
    reply({ error: (e as Error).message.split('\n')[0] });
    return;
  }
  const cases = new Map<string, Instance>();
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const cmd = JSON.parse(line) as Command;
    if (cmd.op === 'exit') break;
    try {
      reply(await answer(cmd, cases));
    } catch (e) {
      reply({ error: (e as Error).message.split('\n')[0] });
    }
  }
  for (const c of cases.values()) c.dispose();
  process.exit(0);
}
