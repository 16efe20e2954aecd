/**
 * GrabCut (Rother, Kolmogorov & Blake 2004) from a seed mask, as OpenCV's `grabCut` with
 * `GC_INIT_WITH_MASK`: colour mixtures for background and foreground (`color-gmm.ts`, tensor ops),
 * then a minimum s-t cut (`min-cut.ts`, typed arrays) on the 4- or 8-connected pixel grid whose
 * data terms are the mixtures' negative log likelihoods and whose pairwise terms are the
 * contrast-sensitive Potts weights γ·exp(-β‖zₚ - z_q‖²)/dist(p, q), β = 1 / (2·mean ‖zₚ - z_q‖²)
 * over neighbouring pairs; seeds are hard constraints. Refit and cut, `iterations` times.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber, checkOneOf } from '../../core/checks';
import { reportProgress, type RunControl, throwIfStopped, yieldToEventLoop } from '../../core/run-control';
import { assignComponents, type ColorGmms, componentLogDensities, disposeGmms, fitGmms, kMeansLabels, negativeLogLikelihoods, sumLastAxis } from './color-gmm';
import { FlowNetwork } from './min-cut';

/** Options of {@link grabCut}. */
export interface GrabCutOptions extends RunControl {
  /** Refit-and-cut rounds (default 5). */
  iterations?: number;
  /** Gaussian components per colour model (default 5, as GrabCut). */
  components?: number;
  /** Weight of the pairwise term (default 50, as GrabCut). */
  gamma?: number;
  /** Pixel grid neighbourhood (default 8, as OpenCV). */
  connectivity?: 4 | 8;
  /** Seed of the k-means++ draws (default 0). */
  seed?: number;
  /**
   * Where the first colour models come from: 'seeds' (default; the seeds alone, as Simonyan et
   * al. 2014) or 'all' (free pixels counted as background, as OpenCV's `GC_INIT_WITH_MASK` with
   * free pixels `GC_PR_BGD`). Later rounds refit on every pixel's current label either way.
   */
  initFrom?: 'seeds' | 'all';
}

/** What {@link grabCut} returns; `mask` is the caller's to dispose. */
export interface GrabCutOutput {
  /** `[H, W]`: 1 foreground, 0 background. */
  mask: tf.Tensor2D;
  /** The energy (data + pairwise terms) of each round's minimum cut. */
  energies: number[];
}

/** The checked options with defaults. */
export function grabCutSettings(opts: GrabCutOptions): Required<Pick<GrabCutOptions, 'iterations' | 'components' | 'gamma' | 'connectivity' | 'seed' | 'initFrom'>> {
  return {
    iterations: checkInteger('iterations', opts.iterations ?? 5, 1, 100),
    components: checkInteger('components', opts.components ?? 5, 1, 20),
    gamma: checkNumber('gamma', opts.gamma ?? 50, 0),
    connectivity: checkOneOf('connectivity', opts.connectivity ?? 8, [4, 8] as const),
    seed: checkInteger('seed', opts.seed ?? 0, 0),
    initFrom: checkOneOf('initFrom', opts.initFrom ?? 'seeds', ['seeds', 'all'] as const),
  };
}

/** Neighbour offsets [dy, dx] of each pixel's forward neighbours (every pair once). */
function offsets(connectivity: 4 | 8): [number, number][] {
  return connectivity === 4 ? [[0, 1], [1, 0]] : [[0, 1], [1, 0], [1, 1], [1, -1]];
}

/** Squared colour differences `[H - dy, W - |dx|]` between each pixel and its neighbour at (dy, dx). */
function neighbourDifferences(image: tf.Tensor3D, dy: number, dx: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [h, w] = image.shape;
    const a = tf.slice(image, [0, Math.max(0, -dx), 0], [h - dy, w - Math.abs(dx), 3]);
    const b = tf.slice(image, [dy, Math.max(0, dx), 0], [h - dy, w - Math.abs(dx), 3]);
    return sumLastAxis(tf.square(tf.sub(a, b))) as tf.Tensor2D;
  });
}

/**
 * Pairwise weights of the grid, one array per offset of {@link offsets} (row-major over the pairs'
 * first pixels): γ·exp(-β d²)/dist with β = 1 / (2·mean d²) (0 for a flat image).
 */
async function pairwiseWeights(image: tf.Tensor3D, connectivity: 4 | 8, gamma: number): Promise<Float32Array[]> {
  const weights = tf.tidy(() => {
    const diffs = offsets(connectivity).map(([dy, dx]) => neighbourDifferences(image, dy, dx));
    const total = tf.addN(diffs.map((d) => tf.sum(d)));
    const pairs = diffs.reduce((n, d) => n + d.size, 0);
    const mean = tf.div(total, pairs);
    const beta = tf.where(tf.greater(mean, 0), tf.div(0.5, tf.maximum(mean, 1e-30)), tf.zerosLike(mean));
    return diffs.map((d, i) => tf.mul(gamma / Math.hypot(...offsets(connectivity)[i]), tf.exp(tf.mul(tf.neg(beta), d))));
  });
  try {
    return await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array));
  } finally {
    tf.dispose(weights);
  }
}

/** The minimum cut of one round: source side = foreground. Returns the new sides and the energy. */
function cutRound(
  shape: [number, number],
  seeds: Int32Array,
  nll: Float32Array,
  pairwise: Float32Array[],
  connectivity: 4 | 8,
  lambda: number,
): { sides: Int32Array; energy: number } {
  const [h, w] = shape;
  const n = h * w;
  const net = new FlowNetwork(n, connectivity * n);
  let constant = 0;
  for (let p = 0; p < n; p++) {
    // Source side = foreground: cutting source->p (p background) costs -log p_bg, p->sink costs -log p_fg.
    let [fromSource, toSink] = seeds[p] > 0 ? [lambda, 0] : seeds[p] < 0 ? [0, lambda] : [nll[2 * p], nll[2 * p + 1]];
    const low = Math.min(fromSource, toSink); // may be negative: only the difference matters to the cut
    fromSource -= low;
    toSink -= low;
    constant += low;
    net.addTerminal(p, fromSource, toSink);
  }
  offsets(connectivity).forEach(([dy, dx], i) => {
    const weights = pairwise[i];
    const cols = w - Math.abs(dx);
    const x0 = Math.max(0, -dx);
    for (let y = 0; y < h - dy; y++) {
      for (let c = 0; c < cols; c++) {
        const p = y * w + x0 + c;
        const wt = weights[y * cols + c];
        if (wt > 0) net.addEdge(p, p + dy * w + dx, wt, wt);
      }
    }
  });
  const energy = net.maxFlow() + constant;
  const side = net.sourceSide();
  const sides = new Int32Array(n);
  for (let p = 0; p < n; p++) sides[p] = seeds[p] > 0 ? 1 : seeds[p] < 0 ? 0 : side[p];
  return { sides, energy };
}

/** k-means colour models of pixels `x` on their `sides`; with `seeds`, of the seed pixels only. */
async function initialGmms(x: tf.Tensor2D, sides: tf.Tensor1D, seeds: Int32Array | null, k: number, seed: number): Promise<ColorGmms> {
  let [xs, ss] = [x, sides];
  if (seeds) {
    const picked: number[] = [];
    seeds.forEach((v, p) => v !== 0 && picked.push(p));
    [xs, ss] = tf.tidy(() => {
      const index = tf.tensor1d(picked, 'int32');
      return [tf.gather(x, index), tf.gather(sides, index)];
    });
  }
  const labels = kMeansLabels(xs, ss, k, seed);
  try {
    return await fitGmms(xs, labels, k);
  } finally {
    labels.dispose();
    if (seeds) tf.dispose([xs, ss]);
  }
}

/**
 * Segment `image` (`[H, W, 3]`, colours on a 0..255 scale) from `seeds` (`[H, W]`: 1 foreground
 * seed, -1 background seed, 0 free) by GrabCut. The first colour models come from k-means on
 * the seeds (`initFrom`); each round takes the minimum cut, and every round after the first
 * (every round with `initFrom: 'all'`) first reassigns components and refits both mixtures on the
 * current labels. Progress counts rounds; Stop is checked between them. Needs at least one seed
 * of each kind.
 */
export async function grabCut(image: tf.Tensor3D, seeds: tf.Tensor2D, opts: GrabCutOptions = {}): Promise<GrabCutOutput> {
  const settings = grabCutSettings(opts);
  const [h, w] = image.shape;
  if (image.rank !== 3 || image.shape[2] !== 3) throw new Error(`image must be [H, W, 3]; got shape ${JSON.stringify(image.shape)}`);
  if (seeds.rank !== 2 || seeds.shape[0] !== h || seeds.shape[1] !== w) {
    throw new Error(`seeds must be [${h}, ${w}] like the image; got shape ${JSON.stringify(seeds.shape)}`);
  }
  const seedValues = Int32Array.from(await seeds.data(), (v) => Math.sign(v));
  if (!seedValues.includes(1) || !seedValues.includes(-1)) {
    throw new Error('seeds must hold at least one foreground (1) and one background (-1) seed');
  }
  const { iterations, components: k, gamma, connectivity, seed, initFrom } = settings;
  const lambda = 9 * gamma; // above any pixel's total pairwise weight: seeds stay fixed
  const pairwise = await pairwiseWeights(image, connectivity, gamma);
  const x = tf.tidy(() => tf.reshape<tf.Rank.R2>(tf.cast(image, 'float32'), [h * w, 3]));
  let sides = tf.tensor1d(Int32Array.from(seedValues, (v) => (v > 0 ? 1 : 0)), 'int32');
  let gmms: ColorGmms | null = null;
  const energies: number[] = [];
  try {
    throwIfStopped(opts);
    gmms = await initialGmms(x, sides, initFrom === 'seeds' ? seedValues : null, k, seed);
    for (let round = 0; round < iterations; round++) {
      if (round > 0 || initFrom === 'all') {
        const current: ColorGmms = gmms;
        const labels = tf.tidy(() => assignComponents(current, componentLogDensities(current, x), sides));
        const refit: ColorGmms = await fitGmms(x, labels, k).finally(() => labels.dispose());
        disposeGmms(gmms);
        gmms = refit;
      }
      const model: ColorGmms = gmms;
      const terms = tf.tidy(() => negativeLogLikelihoods(model, componentLogDensities(model, x)));
      const nll = (await terms.data().finally(() => terms.dispose())) as Float32Array;
      const cut = cutRound([h, w], seedValues, nll, pairwise, connectivity, lambda);
      energies.push(cut.energy);
      sides.dispose();
      sides = tf.tensor1d(cut.sides, 'int32');
      reportProgress(opts, round + 1, iterations);
      await yieldToEventLoop();
      throwIfStopped(opts);
    }
    const mask = tf.tidy(() => tf.reshape<tf.Rank.R2>(tf.cast(sides, 'float32'), [h, w]));
    return { mask, energies };
  } finally {
    if (gmms) disposeGmms(gmms);
    tf.dispose([x, sides]);
  }
}
