/**
 * Feature-space numbers against independent computations: nearest neighbours against brute
 * force (torch.cdist, cosine similarity), PCA against an SVD in float64 (up to sign), t-SNE's
 * affinities against van der Maaten's x2p in float64 (exact and k-NN restricted), its gradient
 * against the paper's closed form (itself checked against torch.autograd) and against central
 * differences of the KL divergence, and Barnes-Hut against the exact repulsion. Adversarial rows:
 * zeros, negatives, duplicates.
 */
import { tf } from '../../../kernel-lib/tf';
import * as fs from '../../../kernel-lib/techniques/feature-space';
import { setupBackend } from '../models';
import { blobs, featureSpaceReference } from './reference';

/** Blobs with a zero row, a negated row and a duplicated row mixed in. */
function adversarialRows(n: number, d: number, seed: number): number[][] {
  const { rows } = blobs(n, d, 4, 1.5, seed, 4);
  rows[3] = rows[3].map(() => 0);
  rows[5] = rows[4].map((v) => -v);
  rows[7] = [...rows[6]];
  return rows;
}

/** A symmetric P summing to 1 over 40 points (Gaussian of seeded rows, every pair), and positions Y. */
const gradientCase = (() => {
  const x = adversarialRows(40, 6, 5);
  const raw = x.map((a, i) => x.map((b, j) => (i === j ? 0 : Math.exp(-a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0) / 40))));
  const total = raw.flat().reduce((s, v) => s + v, 0);
  return { p: raw.map((r) => r.map((v) => v / total)), y: blobs(40, 2, 3, 1, 9, 2).rows };
})();

const KNN = { rows: adversarialRows(90, 12, 3), free: adversarialRows(9, 12, 8), queries: [0, 3, 5, 6, 7, 40, 89], k: 6 };
const PCA = [10, 300].map((d) => ({ d, rows: blobs(150, d, 5, 1, 11 + d, 3).rows.map((r, i) => r.map((v, j) => v * (1 + (j % 7)) + (i % 3 === 0 ? -2 : 0))) }));
const AFFINITY_ROWS = adversarialRows(60, 5, 21);

type KnnAnswer = { distances: number[][]; indices: number[][] };
type PcaAnswer = { components: number[][]; projected: number[][]; variance: number[]; ratio: number[] };
const ref = {} as { knn: Record<string, [KnnAnswer, KnnAnswer]>; pca: Record<number, PcaAnswer>; p: Record<number, { p: number[][] }>; grad: Record<number, { kl: number; gradient: number[][] }> };

beforeAll(async () => {
  await setupBackend();
  const requests = [
    ...(['l2', 'cosine'] as const).flatMap((metric) => [
      { op: 'knn', x: KNN.rows, q: KNN.queries.map((i) => KNN.rows[i]), k: KNN.k, metric, self: KNN.queries },
      { op: 'knn', x: KNN.rows, q: KNN.free, k: KNN.k, metric },
    ]),
    ...PCA.map(({ rows }) => ({ op: 'pca', x: rows, k: 3 })),
    ...[59, 30].map((neighbors) => ({ op: 'tsne_p', x: AFFINITY_ROWS, perplexity: 10, neighbors })),
    ...[1, 12].map((exaggeration) => ({ op: 'tsne_grad', p: gradientCase.p, y: gradientCase.y, exaggeration })),
  ];
  const a = await featureSpaceReference(requests);
  ref.knn = { l2: [a[0], a[1]] as [KnnAnswer, KnnAnswer], cosine: [a[2], a[3]] as [KnnAnswer, KnnAnswer] };
  ref.pca = { 10: a[4] as PcaAnswer, 300: a[5] as PcaAnswer };
  ref.p = { 59: a[6] as { p: number[][] }, 30: a[7] as { p: number[][] } };
  ref.grad = { 1: a[8] as { kl: number; gradient: number[][] }, 12: a[9] as { kl: number; gradient: number[][] } };
}, 60_000);

function leakFree<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    const before = tf.memory().numTensors;
    await fn(...args);
    expect(tf.memory().numTensors).toBe(before);
  };
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('nearestNeighbors equals brute force', () => {
  it.each(['l2', 'cosine'] as const)('%s: index queries (self excluded) and tensor queries, in small chunks', leakFree(async (metric) => {
    const { rows, queries, k } = KNN;
    const x = tf.tensor2d(rows);
    const q = tf.tensor2d(KNN.free);
    const mine = await fs.nearestNeighbors(x, queries, { k, metric, chunkValues: 200 });
    const free = await fs.nearestNeighbors(x, q, { k, metric });
    for (const [a, b] of [[mine, ref.knn[metric][0]], [free, ref.knn[metric][1]]] as const) {
      a.distances.forEach((row, i) => {
        expect(maxAbs(row, b.distances[i])).toBeLessThan(2e-3);
        // Indices agree wherever the reference's distances are not (near-)ties.
        row.forEach((_, t) => {
          const gapBefore = t === 0 ? Infinity : b.distances[i][t] - b.distances[i][t - 1];
          const gapAfter = t === k - 1 ? Infinity : b.distances[i][t + 1] - b.distances[i][t];
          if (Math.min(gapBefore, gapAfter) > 1e-2) expect(a.indices[i][t]).toBe(b.indices[i][t]);
        });
      });
    }
    // The duplicated row 7 is row 6's nearest neighbour at distance 0.
    expect(mine.indices[3][0]).toBe(7);
    expect(mine.distances[3][0]).toBeLessThan(2e-3);
    tf.dispose([x, q]);
  }));

  it.each(['l2', 'cosine'] as const)('%s: a query is left out of its own list even among more identical rows than k + 1', leakFree(async (metric) => {
    const x = tf.tensor2d([...Array.from({ length: 10 }, () => [1, 2, 3]), [9, -1, 4], [-3, 0.5, 2]]);
    const nn = await fs.nearestNeighbors(x, Array.from({ length: 12 }, (_, i) => i), { k: 3, metric, chunkValues: 25 });
    nn.indices.forEach((ids, i) => {
      expect(ids).toHaveLength(3);
      expect(ids).not.toContain(i);
      expect(new Set(ids).size).toBe(3);
      if (i < 10) ids.forEach((j) => expect(j).toBeLessThan(10));
    });
    nn.distances.slice(0, 10).forEach((row) => row.forEach((v) => expect(v).toBeLessThan(2e-3)));
    x.dispose();
  }));

  it('rejects bad arguments naming the argument, the value and what is allowed', leakFree(async () => {
    const x = tf.tensor2d([[0, 1], [1, 0], [2, 2]]);
    await expect(fs.nearestNeighbors(x, [0], { metric: 'manhattan' as never })).rejects.toThrow(/metric must be one of 'l2', 'cosine'; got "manhattan"/);
    await expect(fs.nearestNeighbors(x, [0], { k: 3 })).rejects.toThrow(/k must be an integer in \[1, 2\]; got number 3/);
    await expect(fs.nearestNeighbors(x, [0], { k: -1 })).rejects.toThrow(/k must be an integer in \[1, 2\]; got number -1/);
    await expect(fs.nearestNeighbors(x, [0], { k: 1, chunkValues: 0 })).rejects.toThrow(/chunkValues must be an integer >= 1; got number 0/);
    await expect(fs.nearestNeighbors(x, [5])).rejects.toThrow(/queries\[0\] must be an integer in \[0, 2\]; got number 5/);
    const wide = tf.zeros<tf.Rank.R2>([1, 3]);
    await expect(fs.nearestNeighbors(x, wide)).rejects.toThrow(/queries must be row indices or a tensor \[Q, 2\]/);
    tf.dispose([x, wide]);
  }));
});

describe('pca matches an SVD in float64 (up to sign)', () => {
  it.each([[10, 'direct'], [300, 'subspace iteration']])('%i features (%s)', leakFree(async (d: number) => {
    const { rows } = PCA.find((c) => c.d === d)!;
    const k = 3;
    const x = tf.tensor2d(rows);
    const p = await fs.pca(x, k);
    const r = ref.pca[d];
    const comps = (await p.components.array());
    const proj = (await p.projected.array());
    const scale = Math.sqrt(r.variance[0]);
    expect(p.iterations > 0).toBe(d > 256);
    for (let c = 0; c < k; c++) {
      const sign = Math.sign(comps[c].reduce((s, v, j) => s + v * r.components[c][j], 0));
      expect(maxAbs(comps[c].map((v) => v * sign), r.components[c])).toBeLessThan(1e-4);
      expect(maxAbs(proj.map((row) => row[c] * sign), r.projected.map((row) => row[c])) / scale).toBeLessThan(1e-4);
      expect(Math.abs(p.explainedVariance[c] - r.variance[c]) / r.variance[0]).toBeLessThan(1e-4);
      expect(Math.abs(p.explainedVarianceRatio[c] - r.ratio[c])).toBeLessThan(1e-4);
    }
    // transform() of the fitted rows is the projection.
    const again = p.transform(x);
    expect(maxAbs((await again.data()) as unknown as number[], (await p.projected.data()) as unknown as number[])).toBeLessThan(1e-4 * scale);
    tf.dispose([again, x]);
    p.dispose();
  }));

  it('rejects k beyond the feature count', leakFree(async () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 7]]);
    await expect(fs.pca(x, 3)).rejects.toThrow(/k must be an integer in \[1, 2\]; got number 3/);
    await expect(fs.pca(x, 1, { maxIterations: 0 })).rejects.toThrow(/maxIterations must be an integer >= 1; got number 0/);
    await expect(fs.pca(x, 1, { tolerance: -1 })).rejects.toThrow(/tolerance must be a number in \[0, Infinity\]; got number -1/);
    await expect(fs.pca(x, 1, { seed: -1 })).rejects.toThrow(/seed must be an integer >= 0; got number -1/);
    x.dispose();
  }));
});

/** Dense `[N][N]` P from its compressed rows, and again from its padded rows (the two layouts must agree). */
function dense(p: fs.Affinities): number[][] {
  const out = Array.from({ length: p.n }, () => new Array<number>(p.n).fill(0));
  for (let i = 0; i < p.n; i++) for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) out[i][p.columns[e]] += p.values[e];
  const rows = fs.paddedRows(p);
  const again = Array.from({ length: p.n }, () => new Array<number>(p.n).fill(0));
  for (let i = 0; i < p.n; i++) for (let t = 0; t < rows.width; t++) again[i][rows.indices[i * rows.width + t]] += rows.values[i * rows.width + t];
  expect(again).toEqual(out);
  return out;
}

describe('t-SNE affinities match van der Maaten\'s x2p in float64', () => {
  it.each([[59, 'exact (all points)'], [30, 'k-NN restricted (3 x perplexity)']])('%i neighbours: %s', leakFree(async (neighbors: number) => {
    const x = tf.tensor2d(AFFINITY_ROWS);
    const p = await fs.tsneAffinities(x, { perplexity: 10, neighbors });
    const want = ref.p[neighbors].p;
    const mine = dense(p);
    const top = Math.max(...want.flat());
    expect(maxAbs(mine.flat(), want.flat()) / top).toBeLessThan(2e-3);
    expect(mine.flat().reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    // Symmetric.
    mine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - mine[j][i])).toBeLessThan(1e-9)));
    x.dispose();
  }));

  it('rejects a perplexity the data cannot have', leakFree(async () => {
    const x = tf.tensor2d(adversarialRows(8, 3, 1));
    await expect(fs.tsneAffinities(x, { perplexity: 30 })).rejects.toThrow(/perplexity must be a number in \[1, 7\]; got number 30/);
    x.dispose();
  }));
});

/** KL(P ‖ Q) in float64 from dense P and positions. */
function klDivergence(p: number[][], y: number[][]): number {
  const n = y.length;
  let z = 0;
  const w = y.map((a, i) => y.map((b, j) => (i === j ? 0 : 1 / (1 + (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2))));
  w.forEach((r) => r.forEach((v) => (z += v)));
  let kl = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (p[i][j] > 0) kl += p[i][j] * Math.log(p[i][j] / (w[i][j] / z));
  return kl;
}

describe('t-SNE gradient', () => {
  it('equals the closed form (checked against autograd) and central differences of the KL divergence; Barnes-Hut with theta 0 is exact', leakFree(async () => {
    const { p: pd, y: yRows } = gradientCase;
    const y = tf.tensor2d(yRows);
    const affinities: fs.Affinities = { n: 40, rowStart: Int32Array.from({ length: 41 }, (_, i) => 40 * i), columns: Int32Array.from({ length: 1600 }, (_, t) => t % 40), values: Float32Array.from(pd.flat()), betas: new Float32Array(40) };
    const pt = fs.affinityTensors(affinities);
    for (const alpha of [1, 12]) {
      const { gradient, kl } = fs.tsneGradient(y, pt, alpha, 100);
      const want = ref.grad[alpha];
      const g = (await gradient.array());
      const gScale = Math.max(...want.gradient.flat().map(Math.abs));
      expect(maxAbs(g.flat(), want.gradient.flat()) / gScale).toBeLessThan(1e-4);
      expect(Math.abs((await kl.data())[0] - want.kl)).toBeLessThan(1e-4 * want.kl);
      // The CPU path (typed arrays, Barnes-Hut with theta 0: every pair) gives the same gradient and KL.
      const cpu = fs.barnesHutGradient(await y.data(), affinities, alpha, 0, fs.affinityEntropyTerm(affinities));
      expect(maxAbs(Array.from(cpu.gradient), want.gradient.flat()) / gScale).toBeLessThan(1e-4);
      expect(Math.abs(cpu.kl - want.kl)).toBeLessThan(1e-4 * want.kl);
      if (alpha === 1) {
        const h = 1e-5;
        const fd = yRows.map((r, i) => r.map((_, c) => {
          const plus = yRows.map((q) => [...q]);
          const minus = yRows.map((q) => [...q]);
          plus[i][c] += h;
          minus[i][c] -= h;
          return (klDivergence(pd, plus) - klDivergence(pd, minus)) / (2 * h);
        }));
        expect(maxAbs(g.flat(), fd.flat()) / gScale).toBeLessThan(1e-3);
      }
      tf.dispose([gradient, kl]);
    }
    // Barnes-Hut repulsion: exact at theta 0, within a few per cent at 0.5.
    const exact = fs.exactRepulsion(y);
    const ef = Array.from(await exact.forces.data());
    const ez = (await exact.z.data())[0];
    const pos = await y.data();
    const bh0 = fs.barnesHutRepulsion(pos, 40, 0);
    expect(maxAbs(Array.from(bh0.forces), ef) / Math.max(...ef.map(Math.abs))).toBeLessThan(1e-5);
    expect(Math.abs(bh0.z - ez) / ez).toBeLessThan(1e-5);
    const bh = fs.barnesHutRepulsion(pos, 40, 0.5);
    expect(Math.abs(bh.z - ez) / ez).toBeLessThan(0.03);
    expect(maxAbs(Array.from(bh.forces), ef) / Math.max(...ef.map(Math.abs))).toBeLessThan(0.1);
    tf.dispose([exact.forces, exact.z, pt.indices, pt.values, y]);
  }));
});
