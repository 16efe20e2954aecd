/**
 * `npm run bench -- interaction [--backends LIST] [--threads LIST] [--sizes 28,64,224] [--reps N] [--budget S]`
 *
 * Slider-to-redraw latency of OcclusionExplorer and AttributionView through the live convlens
 * kernel over ZeroMQ: builds the library, installs the kernelspec into a temporary prefix and runs
 * bench/interaction_driver.py (jupyter_client as the frontend) with a kernel per backend (wasm once
 * per thread count), interleaved. Prints a markdown table of the latencies.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKEND_NAMES } from '../kernel-lib/backend';
import type { Args } from './args';
import { benchFile, python, REPLY_PREFIX } from './protocol';
import { fmt, machineLine, startLine } from './report';
import { summarize } from './stats';

interface DriverResult {
  kernels: Array<{ name: string; backend: string | null; skipped: string | null }>;
  times: Array<{ kernel: string; size: number; widget: string; ms: number[]; warmOnly: boolean }>;
}

/** What each size runs on (the driver's SETUP). */
const MODELS: Record<number, string> = { 28: 'fashion-cnn', 64: 'shapes-cnn', 224: 'shapes-cnn architecture at 224 px (untrained)' };

function runDriver(config: object, env: NodeJS.ProcessEnv): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python(), [benchFile('interaction_driver.py'), JSON.stringify(config)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(REPLY_PREFIX));
      if (code !== 0 || !line) reject(new Error(`interaction driver exited with ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice(REPLY_PREFIX.length)) as DriverResult);
    });
  });
}

/** Run the interaction workload and print its table. */
export async function interactionMain(args: Args, command: string): Promise<void> {
  const before = os.loadavg();
  console.log(startLine('interaction: slider-to-redraw latency of OcclusionExplorer and AttributionView through the live kernel', before));
  // The kernel runs the compiled library; the test helpers build it when stale and install the
  // kernelspec (imported here only: they locate the project from their own folder).
  const { ensureLibraryBuilt, installKernelIntoTempPrefix } = await import('../test/kernel/python-harness');
  ensureLibraryBuilt();
  const prefix = installKernelIntoTempPrefix();
  try {
    const variants: Array<{ name: string; env: Record<string, string> }> = [];
    for (const backend of args.backends ?? BACKEND_NAMES) {
      const threads = backend === 'wasm' ? args.threads : [1];
      for (const t of threads) {
        variants.push({ name: backend === 'wasm' ? `wasm ${t}t` : backend, env: { CONVLENS_BACKEND: backend, CONVLENS_WASM_THREADS: String(t) } });
      }
    }
    const env = { ...process.env, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'), PYTHONDONTWRITEBYTECODE: '1' };
    const result = await runDriver({ variants, sizes: args.sizes, reps: args.reps, budget: args.budget }, env);
    const lines = [
      '#### `interaction`: slider move to redrawn map, through the live kernel',
      '',
      machineLine(command, before, os.loadavg()),
      `Moves: OcclusionExplorer's patch-size slider (default patch a quarter of the image, stride half the patch); ` +
        `AttributionView's class dropdown (every default panel recomputed). Models: ${args.sizes.map((s) => `${s} px ${MODELS[s]}`).join('; ')}.`,
      '',
      '| widget | size | kernel backend | threads | median ms | IQR ms | min ms | runs |',
      '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const widget of ['OcclusionExplorer', 'AttributionView']) {
      for (const size of args.sizes) {
        for (const k of result.kernels.filter((k) => !k.skipped)) {
          const t = result.times.find((x) => x.kernel === k.name && x.size === size && x.widget === widget);
          if (!t?.ms.length) continue;
          const s = summarize(t.ms);
          const threads = k.name.startsWith('wasm') ? k.name.split(' ')[1].replace('t', '') : k.name === 'webgpu' ? 'GPU' : '1';
          lines.push(`| ${widget} | ${size} | ${k.name.replace(/ \d+t$/, '')} | ${threads} | ${fmt(s.median)} | ${fmt(s.q1)}–${fmt(s.q3)} | ${fmt(s.min)} | ${t.warmOnly ? '1 (warm-up)' : s.runs} |`);
        }
      }
    }
    const skipped = result.kernels.filter((k) => k.skipped);
    console.log('\n' + lines.join('\n'));
    console.log('\nKernels: ' + result.kernels.filter((k) => !k.skipped).map((k) => `${k.name}: ${k.backend}`).join('; '));
    if (skipped.length) console.log('Skipped: ' + skipped.map((k) => `${k.name}: ${k.skipped}`).join('; '));
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}
