import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../kernel-lib/backend';
import { tsne } from '../kernel-lib/techniques/feature-space';
import { blobRows } from '../bench/workloads/feature-space';

async function main(): Promise<void> {
  const backend = process.argv[2] ?? 'cpu';
  await initBackend({ backend: backend as never });
  const its = Number(process.argv[3] ?? 100);
  for (const n of [250, 500, 1000]) {
    const x = blobRows(tf, n, 50);
    for (const method of ['exact', 'barnes-hut'] as const) {
      const t0 = Date.now();
      const r = await tsne(x, { method, iterations: its, perplexity: 30, seed: 1, every: its });
      const ms = Date.now() - t0;
      console.log(`${backend} n=${n} ${method} ${its} it: ${ms} ms (x${1000 / its} for 1000 it: ${((ms * 1000) / its / 1000).toFixed(1)} s)`);
      r.dispose();
    }
    x.dispose();
  }
}
void main();
