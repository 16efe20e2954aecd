/**
 * Maximally activating patches (Zeiler & Fergus 2014; Girshick et al. 2014): for each unit
 * (channel) of a layer, the k positions over a whole dataset where it fires most, and the
 * receptive-field crops of the input there. One streamed pass (`activationBatches`): each batch's
 * top-k per unit is merged with the running top-k on the backend, its patches cropped with one
 * gather; no per-image or per-pixel JS loop.
 *
 * Ties: order is activation descending, then dataset position ascending, (image, row, column)
 * lexicographic: among equal values the earliest position wins. This follows from `tf.topk`'s
 * rule (equal values keep the lower index first) with the running top-k (earlier images) placed
 * before each new batch's candidates.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber } from '../../core/checks';
import type { BatchSource, RunControl } from '../../core/run-control';
import { activationBatches } from '../../models/activations';
import type { ReceptiveField } from '../../models/receptive-field';
import { checkModel } from '../../models/validate';
import { cropPatches } from './patch-crops';
import { checkUnits, unitLayer, type UnitLayer } from './unit-layer';

/** Options of {@link maxActivatingPatches}. */
export interface MaxPatchesOptions extends RunControl {
  /** Channel indices to search (default: every channel of the layer). */
  units?: number[];
  /** Patches per unit (1..1000, default 9). */
  k?: number;
  /** Value of the crop outside the image, where the unit saw padding (default 0). */
  fill?: number;
  /** Also keep each winner's whole input image (`images`, `[U, k, H, W, C]`). Default false. */
  keepImages?: boolean;
  /** Items in an iterable `data` source, for progress. */
  total?: number;
}

/** One of a unit's top positions. */
export interface UnitPatch {
  /** Rank (0 = strongest). */
  rank: number;
  value: number;
  /** Dataset index of the image and the unit's row and column in the layer's output. */
  image: number;
  y: number;
  x: number;
  /** Input-pixel box `[y0, x0, y1, x1]` of the patch, unclipped (may hang over the border). */
  box: [number, number, number, number];
}

/** What {@link maxActivatingPatches} found. Call `dispose()` to free the tensors. */
export interface MaxPatches {
  layer: string;
  /** The channel of each row of the results. */
  units: number[];
  /** Patches per unit (k, or fewer when the dataset has fewer positions). */
  k: number;
  /** `[U, k]` activations, strongest first. */
  values: tf.Tensor2D;
  /** `[U, k, sh, sw, C]` receptive-field crops of the input, `fill` outside the image. */
  patches: tf.Tensor5D;
  /** `[U, k, H, W, C]` the whole images, with `keepImages`; else null. */
  images: tf.Tensor5D | null;
  /** Per unit (row of `units`), its top positions, strongest first. */
  top: UnitPatch[][];
  receptiveField: ReceptiveField;
  /** Dataset items seen. */
  seen: number;
  dispose(): void;
}

interface Running {
  values: tf.Tensor2D;
  index: tf.Tensor2D;
  patches: tf.Tensor5D;
  images: tf.Tensor5D | null;
}

/**
 * For each unit of `layer`, the `k` dataset positions where it is most active and the input
 * patches (receptive-field crops) there, in one streamed pass over `data` (a tensor `[N, H, W, C]`
 * or an iterable of batches), with progress and Stop.
 *
 * @example
 * const top = await lens.maxActivatingPatches(model, 'conv2', images, { units: [0, 1, 2], k: 9 });
 * lens.imageGrid(top.patches.reshape([-1, ...top.patches.shape.slice(2)])); top.dispose();
 */
export async function maxActivatingPatches(model: tf.LayersModel, layer: string, data: BatchSource, opts: MaxPatchesOptions = {}): Promise<MaxPatches> {
  const m = checkModel(model, 'maxActivatingPatches', 'images');
  const geo = unitLayer(m, layer, 'maxActivatingPatches');
  const units = checkUnits(opts.units, geo.channels, 'maxActivatingPatches');
  const k = checkInteger('k', opts.k ?? 9, 1, 1000);
  const fill = checkNumber('fill', opts.fill ?? 0, -Infinity);
  // null: every channel in order, no gather needed.
  const unitsT = units.every((v, i) => v === i) && units.length === geo.channels ? null : tf.tensor1d(units, 'int32');
  let run: Running | null = null;
  let seen = 0;
  try {
    for await (const { input, start, end, activations } of activationBatches(m, [geo.name], data, opts)) {
      const next = mergeBatch(run, geo, unitsT, input as tf.Tensor4D, activations[geo.name], start, k, fill, opts.keepImages === true);
      if (run) tf.dispose([run.values, run.index, run.patches, run.images ?? []]);
      run = next;
      seen = end;
    }
    if (!run) throw new Error('maxActivatingPatches: data has no items');
    return await finish(run, geo, units, seen);
  } catch (e) {
    if (run) tf.dispose([run.values, run.index, run.patches, run.images ?? []]);
    throw e;
  } finally {
    unitsT?.dispose();
  }
}

/** The running top-k after one more batch (new tensors; `run` is left to the caller). */
function mergeBatch(run: Running | null, geo: UnitLayer, unitsT: tf.Tensor1D | null, input: tf.Tensor4D, acts: tf.Tensor, start: number, k: number, fill: number, keepImages: boolean): Running {
  const [values, index, patches, images] = tf.tidy(() => {
    const next = mergeTensors(run, geo, unitsT, input, acts, start, k, fill, keepImages);
    return [next.values, next.index, next.patches, ...(next.images ? [next.images] : [])];
  });
  return { values, index, patches, images: images ?? null };
}

function mergeTensors(run: Running | null, geo: UnitLayer, unitsT: tf.Tensor1D | null, input: tf.Tensor4D, acts: tf.Tensor, start: number, k: number, fill: number, keepImages: boolean): Running {
  const int = (v: number) => tf.scalar(v, 'int32'); // a bare number would make the result float32
  const b = input.shape[0];
  const cells = geo.h * geo.w;
  const u = unitsT ? unitsT.shape[0] : geo.channels;
  // [U, b*h*w]: one row per unit, positions in (image, row, column) order.
  const all = tf.transpose(tf.reshape(acts, [b * cells, geo.channels]));
  const rows = unitsT ? tf.gather(all, unitsT) : all; // whole rows of the transposed map: a cheap gather
  const cand = tf.topk(rows, Math.min(k, b * cells));
  const local = cand.indices as tf.Tensor2D;
  const img = tf.floorDiv(local, int(cells));
  const cell = tf.mod(local, int(cells));
  const stride = geo.receptiveField.global ? [0, 0] : geo.receptiveField.stride;
  const top = tf.add(tf.mul(tf.floorDiv(cell, int(geo.w)), int(stride[0])), int(geo.origin[0]));
  const left = tf.add(tf.mul(tf.mod(cell, int(geo.w)), int(stride[1])), int(geo.origin[1]));
  const flat = (t: tf.Tensor) => tf.reshape<tf.Rank.R1>(t, [-1]);
  const kk = local.shape[1];
  const patches = tf.reshape<tf.Rank.R5>(cropPatches(input, flat(img), flat(top), flat(left), geo.size, fill), [u, kk, ...geo.size, input.shape[3]]);
  const images = keepImages ? tf.reshape<tf.Rank.R5>(tf.gather(input, flat(img)), [u, kk, input.shape[1], input.shape[2], input.shape[3]]) : null;
  const index = tf.add<tf.Tensor2D>(local, int(start * cells));
  if (!run) return { values: cand.values as tf.Tensor2D, index, patches, images };
  // Running entries first: on equal values tf.topk keeps the lower index, i.e. the earlier image.
  const values = tf.concat([run.values, cand.values as tf.Tensor2D], 1);
  const width = values.shape[1];
  const best = tf.topk(values, Math.min(k, width));
  const kept = best.indices.shape[1];
  const pick = flat(tf.add(best.indices, tf.mul(tf.reshape(tf.range(0, u, 1, 'int32'), [u, 1]), int(width))));
  const take = <T extends tf.Tensor>(a: tf.Tensor, c: tf.Tensor): T => {
    const both = tf.concat([a, c], 1);
    const rest = both.shape.slice(2);
    return tf.reshape(tf.gather(tf.reshape(both, [u * width, ...rest]), pick), [u, kept, ...rest]) as T;
  };
  return {
    values: best.values,
    index: take<tf.Tensor2D>(run.index, index),
    patches: take<tf.Tensor5D>(run.patches, patches),
    images: run.images && images ? take<tf.Tensor5D>(run.images, images) : null,
  };
}

async function finish(run: Running, geo: UnitLayer, units: number[], seen: number): Promise<MaxPatches> {
  const [values, index] = await Promise.all([run.values.data(), run.index.data()]);
  run.index.dispose();
  const k = run.values.shape[1];
  const cells = geo.h * geo.w;
  const stride = geo.receptiveField.global ? [0, 0] : geo.receptiveField.stride;
  const top = units.map((_, r) =>
    Array.from({ length: k }, (_, rank): UnitPatch => {
      const i = index[r * k + rank];
      const cell = i % cells;
      const y = Math.floor(cell / geo.w);
      const x = cell % geo.w;
      const y0 = geo.origin[0] + y * stride[0];
      const x0 = geo.origin[1] + x * stride[1];
      return { rank, value: values[r * k + rank], image: Math.floor(i / cells), y, x, box: [y0, x0, y0 + geo.size[0], x0 + geo.size[1]] };
    }),
  );
  const { values: v, patches, images } = run;
  return {
    layer: geo.name,
    units,
    k,
    values: v,
    patches,
    images,
    top,
    receptiveField: geo.receptiveField,
    seen,
    dispose: () => tf.dispose([v, patches, images ?? []]),
  };
}
