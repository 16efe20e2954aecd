/**
 * The npm JS embedders next to convlens t-SNE, in one process on the same data (the `tsne`
 * workload's seeded blobs, 50-D, 10 classes): convlens t-SNE (Barnes-Hut, 500 iterations),
 * umap-js 1.4.0 on its own (its NN-descent kNN, default epochs), `lens.featureSpace.umap` (umap-js
 * with the kNN from `nearestNeighbors`) and tsne-js 1.0.3 (exact, pure JS, 500 iterations; only up
 * to `--tsnejs-max` points, default 2000: it is O(N²) in memory and time); then, on the same rows,
 * the Python peers of bench/peers/embedders_peer.py (Debian's python3-sklearn and umap-learn, one
 * thread): scikit-learn TSNE barnes_hut and exact (exact up to `--sklearn-exact-max`, default
 * 2000) and umap-learn (`--python-peers 0` leaves them out). Prints wall and CPU seconds and the
 * 10-NN class accuracy in each map. A script rather than bench contenders: these libraries do not
 * use the tfjs backend, so they would repeat identically under every backend.
 *
 *   npx ts-node --transpile-only bench/js-embedders.ts [--sizes 2000,10000] [--tsnejs-max 2000] [--sklearn-exact-max 2000] [--python-peers 1] [--js 1]
 *
 * `--js 0` runs the Python peers alone (to add them to figures of an earlier run on the same data).
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { UMAP } from 'umap-js';
import { initBackend, describeBackend } from '../kernel-lib/backend';
import { tf } from '../kernel-lib/tf';
import { knnAccuracy, tsne, umap } from '../kernel-lib/techniques/feature-space';
import { mulberry32 } from '../kernel-lib/data/random';
import { blobRows } from './workloads/feature-space';

// tsne-js ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TSNE = require('tsne-js') as new (opts: Record<string, unknown>) => { init(o: { data: number[][]; type: string }): void; run(): [number, number]; getOutput(): number[][] };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function timed(run: () => Promise<number[][] | Float32Array>): Promise<{ wall: number; cpu: number; coords: number[][] | Float32Array }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const coords = await run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  return { wall, cpu: (c.user + c.system) / 1e6, coords };
}

async function accuracy(coords: number[][] | Float32Array, labels: number[]): Promise<number> {
  const y = coords instanceof Float32Array ? tf.tensor2d(coords, [labels.length, 2]) : tf.tensor2d(coords);
  try {
    return await knnAccuracy(y, labels, { k: 10 });
  } finally {
    y.dispose();
  }
}

interface PythonPeers { versions: Record<string, string | number>; runs: Array<{ name: string; wall: number; cpu: number; coords: number[][] }> }

/** scikit-learn and umap-learn on `rows` (bench/peers/embedders_peer.py, one thread). */
function pythonPeers(rows: number[][], exactMax: number): Promise<PythonPeers> {
  const script = path.join(__dirname, 'peers', 'embedders_peer.py');
  const env = { ...process.env, OMP_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  return new Promise((resolve, reject) => {
    const child = execFile(process.env.CONVLENS_REFERENCE_PYTHON ?? '/usr/bin/python3', [script], { env, maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed (Debian: apt-get install python3-sklearn umap-learn): ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as PythonPeers);
    });
    child.stdin!.end(JSON.stringify({ x: rows, iterations: 500, perplexity: 30, exactMax }));
  });
}

async function main(): Promise<void> {
  const info = await initBackend({ backend: 'wasm', log: false, wasmThreads: 1 });
  console.log(`backend: ${describeBackend(info)}; ${new Date().toISOString()}`);
  const sizes = arg('--sizes', '2000').split(',').map(Number);
  const tsnejsMax = Number(arg('--tsnejs-max', '2000'));
  const sklearnExactMax = Number(arg('--sklearn-exact-max', '2000'));
  const withPython = arg('--python-peers', '1') !== '0';
  const withJs = arg('--js', '1') !== '0';
  for (const n of sizes) {
    const x = blobRows(tf, n, 50);
    const rows = await x.array();
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    const contenders: Array<[string, () => Promise<number[][] | Float32Array>]> = [
      ['convlens t-SNE barnes-hut, 500 it', async () => {
        const r = await tsne(x, { method: 'barnes-hut', iterations: 500, perplexity: 30, seed: 1, every: 500 });
        r.dispose();
        return r.positions;
      }],
      ['umap-js 1.4.0 (own kNN, default epochs)', () => Promise.resolve(new UMAP({ nNeighbors: 15, minDist: 0.1, random: mulberry32(1) }).fit(rows))],
      ['lens.featureSpace.umap (kNN by nearestNeighbors)', async () => {
        const r = await umap(x, { nNeighbors: 15, minDist: 0.1, seed: 1, every: 1000 });
        r.dispose();
        return r.positions;
      }],
    ];
    if (n <= tsnejsMax) {
      contenders.push(['tsne-js 1.0.3 exact, 500 it', () => {
        const m = new TSNE({ dim: 2, perplexity: 30, earlyExaggeration: 12, learningRate: 200, nIter: 500, metric: 'euclidean' });
        m.init({ data: rows, type: 'dense' });
        m.run();
        return Promise.resolve(m.getOutput());
      }]);
    }
    for (const [name, run] of withJs ? contenders : []) {
      const t = await timed(run);
      console.log(`| ${n} | ${name} | ${t.wall.toFixed(1)} | ${t.cpu.toFixed(1)} | ${(await accuracy(t.coords, labels)).toFixed(3)} |`);
    }
    if (withPython) {
      const peers = await pythonPeers(rows, sklearnExactMax);
      for (const r of peers.runs) console.log(`| ${n} | ${r.name} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${(await accuracy(r.coords, labels)).toFixed(3)} |`);
      console.log(`(python peers: ${JSON.stringify(peers.versions)})`);
    }
    x.dispose();
  }
}

void main();
