/**
 * Where t-SNE's `method: 'auto'` should switch from the exact method to Barnes-Hut on a CPU
 * backend: both methods on 250, 500 and 1000 seeded blobs in 50-D (the `tsne` workload's data),
 * `--iterations` each (default 100, during early exaggeration, affinities included), on the
 * backend given by `--backend` (default cpu). One run each; prints a Markdown table.
 *
 *   npx ts-node --transpile-only bench/tsne-method-choice.ts --backend cpu --iterations 100
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../kernel-lib/backend';
import { tsne } from '../kernel-lib/techniques/feature-space';
import { blobRows } from './workloads/feature-space';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const info = await initBackend({ backend: option('backend', 'cpu') });
  const iterations = Number(option('iterations', '100'));
  console.log(`backend ${info.name}, ${iterations} iterations, ${new Date().toISOString()}\n`);
  console.log('| points | exact ms | Barnes-Hut ms | exact ÷ Barnes-Hut |\n| ---: | ---: | ---: | ---: |');
  for (const n of [250, 500, 1000]) {
    const x = blobRows(tf, n, 50);
    const ms: number[] = [];
    for (const method of ['exact', 'barnes-hut'] as const) {
      const t0 = Date.now();
      (await tsne(x, { method, iterations, perplexity: 30, seed: 1, every: iterations })).dispose();
      ms.push(Date.now() - t0);
    }
    x.dispose();
    console.log(`| ${n} | ${ms[0]} | ${ms[1]} | ${(ms[0] / ms[1]).toFixed(1)} |`);
  }
}
void main();
