/**
 * Unit-concept IoU accumulated over a streamed dataset (Bau et al. 2017):
 *
 *   IoU(k, c) = sum_x |M_k(x) ∩ L_c(x)| / sum_x |M_k(x) ∪ L_c(x)|
 *
 * where M_k(x) is unit k's activation map upsampled (bilinear, half-pixel centres) to the mask
 * resolution and thresholded at T_k (`>`), L_c(x) the concept's mask, and the sums run over the
 * images with at least one label of c's category (as the paper says: a category need not be
 * annotated on every image). An image-level label (a scene) covers its whole image.
 *
 * Per batch the intersections are one matrix product `L^T M` over the batch's pixels (all pixel
 * categories at once; image-level labels against the units' pixel counts), the unit's pixels over annotated images `annotated^T |M(x)|`; the small count
 * tables are read back and summed in float64 (float32 counts are exact only below 2^24).
 */
import { tf } from '../../tf';
import type { ConceptDataset } from './concept-dataset';

/** The counts IoU is made of (float64, row-major). */
export interface IouCounts {
  /** `[units, concepts]`: sum of |M_k ∩ L_c|. */
  intersection: Float64Array;
  /** `[categories, units]`: sum of |M_k| over the images annotated for the category. */
  unitPixels: Float64Array;
  /** `[concepts]`: sum of |L_c|. */
  labelPixels: Float64Array;
}

/** Floats in one batch's largest tensors (`b * H * W` pixels times units or pixel concepts): 64 MB each. */
export const IOU_BATCH_VALUES = 2 ** 24;

/**
 * Images per {@link IouTally.add} batch: `b * H * W * (units + pixel concepts) <= IOU_BATCH_VALUES`.
 * This bounds memory (the pixel masks, their concatenation and its transpose are each
 * `b * H * W * pixel concepts` floats; the unit masks `b * H * W * units`) and keeps one batch's
 * float32 counts exact (at most `b * H * W < 2^24` per count). Sizing by the units alone put all
 * 3000 images of a one-unit layer in one batch: three 1.2 GB tensors, past the wasm heap
 * (`memory access out of bounds`).
 */
export function iouBatchSize(dataset: ConceptDataset, units: number): number {
  const [H, W] = dataset.maskSize;
  const pixelConcepts = dataset.categories.filter((c) => !dataset.imageLevel.includes(c)).reduce((s, c) => s + dataset.concepts[c].length, 0);
  return Math.max(1, Math.floor(IOU_BATCH_VALUES / (H * W * (Math.max(units, 1) + pixelConcepts))));
}

/** Accumulates {@link IouCounts} batch by batch. */
export class IouTally {
  readonly conceptCount: number;
  private readonly counts: IouCounts;
  private readonly thresholds: tf.Tensor1D;

  /** `thresholds`: one per unit (see `TopQuantile`). */
  constructor(readonly dataset: ConceptDataset, readonly units: number, thresholds: Float64Array) {
    this.conceptCount = dataset.categories.reduce((s, c) => s + dataset.concepts[c].length, 0);
    this.counts = {
      intersection: new Float64Array(units * this.conceptCount),
      unitPixels: new Float64Array(dataset.categories.length * units),
      labelPixels: new Float64Array(this.conceptCount),
    };
    this.thresholds = tf.tensor1d(Float32Array.from(thresholds));
  }

  /** Adds the batch of images `[start, start + b)` with activations `[b, h, w, units]` (not disposed here). */
  async add(acts: tf.Tensor, start: number): Promise<void> {
    const { categories, concepts, imageLevel, maskSize } = this.dataset;
    const [H, W] = maskSize;
    const b = acts.shape[0];
    const table = tf.tidy(() => {
      const fire = unitMasks(acts as tf.Tensor4D, this.thresholds, H, W).reshape([b, H * W, this.units]);
      // Pixels of each unit per image, [b, units] (a batched product: much faster than sum(1) on wasm).
      const unitPix = tf.matMul(tf.ones([b, 1, H * W]), fire).reshape([b, this.units]);
      const masks = categories.map((category) => {
        const K = concepts[category].length;
        const perImage = imageLevel.includes(category);
        const m = this.dataset.masks(category, start, b);
        const want = perImage ? [b, K] : [b, H, W, K];
        if (m.shape.length !== want.length || m.shape.some((d, i) => d !== want[i])) {
          throw new Error(`dissect: masks(${JSON.stringify(category)}, ${start}, ${b}) has shape [${m.shape.join(', ')}]; expected [${want.join(', ')}] (${perImage ? 'image-level labels' : 'pixel masks at maskSize'}).`);
        }
        return { K, perImage, m: m.toFloat() };
      });
      // Every pixel category in one product, labels first ([K, pixels] x [pixels, units]: the
      // fastest orientation on wasm); image-level categories from the units' pixel counts.
      const pixel = masks.filter((x) => !x.perImage).map((x) => x.m.reshape([b * H * W, x.K]));
      const pixelInter = pixel.length > 0 ? tf.matMul(tf.concat(pixel, 1).transpose(), fire.reshape([b * H * W, this.units])) : null;
      let row = 0;
      const inter = masks.map(({ K, perImage, m }) => {
        if (perImage) return tf.matMul(m, unitPix, true, false);
        row += K;
        return pixelInter!.slice([row - K, 0], [K, this.units]);
      });
      // Label pixels per concept (a product with ones: multi-axis sums are slow on the cpu backend).
      const ones = tf.ones([1, b * H * W]);
      const labels = masks.map(({ perImage, m, K }) => (perImage ? m.sum(0).mul(H * W) : tf.matMul(ones, m.reshape([b * H * W, K])).reshape([K])));
      // Pixels of each unit over the images annotated for each category.
      const unitCounts = masks.map(({ m }) => tf.matMul(m.reshape([b, -1]).max(1).reshape([1, b]), unitPix).reshape([-1]));
      return tf.concat([tf.concat(inter, 0).transpose().reshape([-1]), ...unitCounts, ...labels]);
    });
    const values = await table.data();
    table.dispose();
    const { intersection, unitPixels, labelPixels } = this.counts;
    const add = (into: Float64Array, offset: number) => { for (let i = 0; i < into.length; i++) into[i] += values[offset + i]; };
    add(intersection, 0);
    add(unitPixels, intersection.length);
    add(labelPixels, intersection.length + unitPixels.length);
  }

  /** The accumulated counts (copies). */
  read(): IouCounts {
    return {
      intersection: Float64Array.from(this.counts.intersection),
      unitPixels: Float64Array.from(this.counts.unitPixels),
      labelPixels: Float64Array.from(this.counts.labelPixels),
    };
  }

  /** Frees the thresholds tensor. */
  dispose(): void {
    this.thresholds.dispose();
  }
}

/**
 * Unit masks: activations `[b, h, w, units]` upsampled bilinearly (half-pixel centres, as PyTorch's
 * `interpolate(..., align_corners=False)`) to `[b, H, W, units]` and thresholded (`>`), float 0/1.
 */
export function unitMasks(acts: tf.Tensor4D, thresholds: tf.Tensor1D, H: number, W: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = acts.shape;
    const up = h === H && w === W ? acts : tf.image.resizeBilinear(acts, [H, W], false, true);
    return up.greater(thresholds).toFloat() as tf.Tensor4D;
  });
}

/** IoU `[units, concepts]` from counts; `categoryOf[c]` is the category index of concept c. 0 where the union is empty. */
export function iouFromCounts(counts: IouCounts, units: number, categoryOf: readonly number[]): Float64Array {
  const K = categoryOf.length;
  const out = new Float64Array(units * K);
  for (let u = 0; u < units; u++) {
    for (let c = 0; c < K; c++) {
      const i = counts.intersection[u * K + c];
      const union = counts.unitPixels[categoryOf[c] * units + u] + counts.labelPixels[c] - i;
      out[u * K + c] = union > 0 ? i / union : 0;
    }
  }
  return out;
}
