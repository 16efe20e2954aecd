/**
 * The image grid of an embedding (Karpathy's cnn_embed pictures): every image snapped to a cell
 * of a `size` x `size` grid laid over its 2-D coordinates (t-SNE, PCA), each cell holding the
 * nearest image not placed elsewhere, drawn as one image. Cells are assigned greedily by
 * distance, closest (cell, image) pairs first, candidates found with top-k tensor ops.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber, describeValue, isTensor } from '../../core/checks';
import { checkImageTensor } from '../../render/rgba';
import { tileImages } from '../../render/tile-images';

/** Options of {@link embeddingGrid}. */
export interface EmbeddingGridOptions {
  /** Cells per side (default: the largest with size² ≤ N, at most 40). */
  size?: number;
  /** Pixels between cells (default 0). */
  padding?: number;
  /** Value of empty cells and padding (default 1, white). */
  background?: number;
}

/** What {@link embeddingGrid} returns; `dispose()` frees `image`. */
export interface EmbeddingGrid {
  /** `[size*h + (size-1)*padding, size*w + ..., c]` the grid image. */
  image: tf.Tensor3D;
  size: number;
  /** `[size * size]` the image index in each cell, row-major from the top left (−1: empty). */
  cells: Int32Array;
  dispose(): void;
}

/** `[N, 2]` coordinates from a tensor or interleaved `[x0, y0, x1, y1, ...]` numbers. */
function coordinateTensor(coords: tf.Tensor2D | ArrayLike<number>, n: number): tf.Tensor2D {
  if (isTensor(coords)) {
    if (coords.rank !== 2 || coords.shape[0] !== n || coords.shape[1] !== 2) throw new Error(`embeddingGrid: coords must be [${n}, 2] (one 2-D point per image); got ${describeValue(coords)}`);
    return tf.cast<tf.Tensor2D>(coords, 'float32');
  }
  if (coords?.length !== 2 * n) throw new Error(`embeddingGrid: coords must hold 2 numbers per image (${2 * n}); got ${describeValue(coords)}`);
  return tf.tensor2d(Float32Array.from(coords), [n, 2]);
}

/** Greedy assignment of `n` points to `cells` cell centres: pairs by distance, closest first. */
async function assignCells(points: tf.Tensor2D, centres: tf.Tensor2D): Promise<Int32Array> {
  const cells = centres.shape[0];
  const n = points.shape[0];
  const owner = new Int32Array(cells).fill(-1);
  const used = new Uint8Array(n);
  let placed = 0;
  const m = Math.min(n, 16);
  while (placed < Math.min(cells, n)) {
    const open = Array.from(owner.keys()).filter((c) => owner[c] === -1);
    const { values, indices } = tf.tidy(() => {
      const c = tf.gather(centres, open);
      const d2 = tf.sum(tf.square(tf.sub(tf.expandDims(c, 1), tf.expandDims(points, 0))), 2);
      const blocked = tf.tensor1d(Float32Array.from(used, (u) => (u ? Infinity : 0)));
      return tf.topk(tf.neg(tf.add(d2, blocked)), m, true);
    });
    const [dv, iv] = await Promise.all([values.data(), indices.data()]);
    tf.dispose([values, indices]);
    const pairs = Array.from({ length: open.length * m }, (_, t) => t).filter((t) => Number.isFinite(dv[t])).sort((a, b) => dv[b] - dv[a]);
    for (const t of pairs) {
      const cell = open[Math.floor(t / m)];
      const point = iv[t];
      if (owner[cell] !== -1 || used[point]) continue;
      owner[cell] = point;
      used[point] = 1;
      placed++;
    }
  }
  return owner;
}

/**
 * Snap `images` `[N, h, w, c]` (values in [0, 1]) to a grid over their 2-D `coords` (`[N, 2]`, or
 * `[x0, y0, ...]`): coordinates are min-max scaled to the square, the top row holds the largest y.
 *
 * @example const g = await lens.featureSpace.embeddingGrid(images, t.embedding, { size: 20 }); lens.encodePng(g.image); g.dispose();
 */
export async function embeddingGrid(images: tf.Tensor4D, coords: tf.Tensor2D | ArrayLike<number>, opts: EmbeddingGridOptions = {}): Promise<EmbeddingGrid> {
  const stack = checkImageTensor(images, 'embeddingGrid', true);
  if (stack.rank !== 4) throw new Error(`embeddingGrid: images must be a stack [N, h, w, c]; got shape [${stack.shape.join(', ')}]`);
  const n = stack.shape[0];
  const size = checkInteger('size', opts.size ?? Math.max(1, Math.min(40, Math.floor(Math.sqrt(n)))), 1, 1000);
  const padding = checkInteger('padding', opts.padding ?? 0, 0, 64);
  const background = checkNumber('background', opts.background ?? 1, -1e6, 1e6);
  const points = coordinateTensor(coords, n);
  const { scaled, centres } = tf.tidy(() => {
    const lo = tf.min(points, 0);
    const span = tf.maximum(tf.sub(tf.max(points, 0), lo), 1e-12);
    const cell = tf.range(0, size).add(0.5).div(size);
    const cx = tf.tile(cell, [size]); // column of each row-major cell
    const cy = tf.sub(1, tf.reshape(tf.tile(tf.reshape(cell, [size, 1]), [1, size]), [-1]));
    return { scaled: tf.div<tf.Tensor2D>(tf.sub(points, lo), span), centres: tf.stack([cx, cy], 1) as tf.Tensor2D };
  });
  points.dispose();
  let cells: Int32Array;
  try {
    cells = await assignCells(scaled, centres);
  } finally {
    tf.dispose([scaled, centres]);
  }
  const image = tf.tidy(() => {
    const [, h, w, c] = stack.shape;
    const withBlank = tf.concat([tf.cast(stack, 'float32'), tf.fill([1, h, w, c], background)]);
    const picked = tf.gather(withBlank, Int32Array.from(cells, (i) => (i < 0 ? n : i)));
    return tileImages(picked, { columns: size, padding, padValue: background });
  });
  return { image, size, cells, dispose: () => image.dispose() };
}
