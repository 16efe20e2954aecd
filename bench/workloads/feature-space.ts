/**
 * Feature space (issue 13): t-SNE (500 iterations of 2k points by the exact method and of 2k, 10k
 * and 20k points by Barnes-Hut; `BENCH_TSNE_ITERATIONS` changes 500), PCA (10k rows of 784
 * features to 50 components, and of 128 features: subspace iteration and direct) and k nearest
 * neighbours (10-NN of every row of 10k x 128, Euclidean). The data: seeded Gaussian blobs (10
 * blobs, 50 dimensions for t-SNE as after the usual PCA-50 step). PyTorch peers:
 * `tsne_exact`, `pca`, `knn` in bench/peers/torch_workloads.py.
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { nearestNeighbors, pca, tsne, type TsneMethod } from '../../kernel-lib/techniques/feature-space';
import type { BenchCase, Workload } from '../workload';

const ITERATIONS = Number(process.env.BENCH_TSNE_ITERATIONS ?? 500);

/** `n` rows of `d` features: 10 Gaussian blobs (centres N(0, 5²), spread 1), seeded. */
export function blobRows(tf: typeof TF, n: number, d: number): TF.Tensor2D {
  return tf.tidy(() => {
    const centres = tf.randomNormal([10, d], 0, 5, 'float32', 1);
    const which = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 10));
    return tf.add(tf.gather(centres, which), tf.randomNormal([n, d], 0, 1, 'float32', 2));
  });
}

function tsneCase(n: number, method: TsneMethod): BenchCase {
  return {
    label: `t-SNE ${method} ${n / 1000}k x 50, ${ITERATIONS} it`,
    peer: method === 'exact' ? { name: 'tsne_exact', args: { n, d: 50, iterations: ITERATIONS } } : undefined,
    setup(tf) {
      const x = blobRows(tf, n, 50);
      return {
        run: async () => (await tsne(x, { method, iterations: ITERATIONS, perplexity: 30, seed: 1, every: ITERATIONS })).embedding,
        dispose: () => x.dispose(),
      };
    },
  };
}

function pcaCase(n: number, d: number, k: number): BenchCase {
  return {
    label: `PCA ${n / 1000}k x ${d} → ${k}`,
    flops: 2 * n * d * d,
    peer: { name: 'pca', args: { n, d, k } },
    setup(tf) {
      const x = tf.tidy(() => tf.mul<TF.Tensor2D>(blobRows(tf, n, d), tf.linspace(2, 0.1, d)));
      return {
        run: async () => {
          const p = await pca(x, k);
          p.components.dispose();
          p.mean.dispose();
          return p.projected;
        },
        dispose: () => x.dispose(),
      };
    },
  };
}

function knnCase(n: number, d: number, k: number): BenchCase {
  return {
    label: `${k}-NN of ${n / 1000}k x ${d}`,
    flops: 2 * n * n * d,
    peer: { name: 'knn', args: { n, d, k } },
    setup(tf) {
      const x = blobRows(tf, n, d);
      const all = Array.from({ length: n }, (_, i) => i);
      return {
        run: async () => void (await nearestNeighbors(x, all, { k })),
        dispose: () => x.dispose(),
      };
    },
  };
}

export const tsneWorkload: Workload = {
  name: 'tsne',
  description: `t-SNE, ${ITERATIONS} iterations, perplexity 30, of Gaussian blobs in 50-D: exact (2k) and Barnes-Hut (2k, 10k, 20k)`,
  // BENCH_TSNE_METHODS=barnes-hut (or exact) keeps one method's cases (the cpu backend's exact run takes many minutes).
  cases: [tsneCase(2000, 'exact'), tsneCase(2000, 'barnes-hut'), tsneCase(10000, 'barnes-hut'), tsneCase(20000, 'barnes-hut')].filter(
    (c) => !process.env.BENCH_TSNE_METHODS || process.env.BENCH_TSNE_METHODS.split(',').some((m) => c.label.startsWith(`t-SNE ${m} `)),
  ),
};

export const pcaWorkload: Workload = {
  name: 'pca',
  description: 'PCA of 10k rows: 784 features (subspace iteration) and 128 features (direct) to 50 components',
  cases: [pcaCase(10000, 784, 50), pcaCase(10000, 128, 50)],
};

export const knnWorkload: Workload = {
  name: 'knn',
  description: '10 nearest neighbours (Euclidean) of every row of 10k x 128, in chunks',
  cases: [knnCase(10000, 128, 10)],
};
