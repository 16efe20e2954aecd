/**
 * `shapesDataset`: a deterministic procedural dataset of RGB scenes with one textured, coloured
 * object each, its class label (the object's shape) and per-pixel segmentations of every concept
 * present (object, colour, texture, scene): a "Broden-lite" for network dissection and a task a
 * small global-average-pooling CNN learns, so class activation maps apply.
 *
 * Everything is drawn with batched tensor ops: pixel-coordinate grids, implicit shape equations,
 * textures as functions of the coordinates, a palette lookup (`gather`) and seeded noise.
 */
import { tf } from '../tf';
import { ensureBackend } from '../core/backend-choice';
import { mulberry32 } from './random';
import {
  COLOUR_NAMES, COLOUR_PALETTE, CONCEPT_CATEGORIES, ConceptCategory, SCENE_COLOURS, SCENE_NAMES,
  SHAPES_CONCEPTS, SHAPE_NAMES, TEXTURE_NAMES,
} from './shapes-vocabulary';

/** Options of {@link shapesDataset}. */
export interface ShapesDatasetOptions {
  /** Number of images (positive integer). Default 1000. */
  n?: number;
  /** Image side in pixels (16..512). Default 64. */
  size?: number;
  /** Seed: the same seed gives the same images, and the first k of n images equal a k-image dataset. Default 0. */
  seed?: number;
  /** Amplitude of the uniform pixel noise (0..0.1). Default 0.03. */
  noise?: number;
}

/** The drawing parameters of one image. */
export interface ShapesImageInfo {
  /** Object shape (the class). */
  shape: string;
  /** Object colour, and the texture's second colour (null when plain). */
  colour: string;
  textureColour: string | null;
  /** Texture name, or null for a plain object. */
  texture: string | null;
  scene: string;
  /** Two background colours of the scene. */
  sceneColours: readonly [string, string];
  /** Object centre and radius in pixels. */
  cx: number;
  cy: number;
  radius: number;
}

/**
 * A generated shapes dataset. The caller owns the tensors and must call `dispose()`.
 *
 * Segmentations are compact label maps (`Uint8Array`, `n * size * size`, row-major per image): the
 * value at a pixel is 1 + the index of the concept of that category covering it (see `concepts`),
 * 0 where none. Every pixel has exactly one colour; only object pixels have an object and (for
 * textured objects) a texture. Scenes are image-level labels (`scenes[i]`), and their masks cover
 * the whole image, as in Broden.
 */
export interface ShapesDataset {
  /** `[n, size, size, 3]` float32 RGB in [0, 1]. */
  images: tf.Tensor4D;
  /** `[n]` int32 class indices into `classNames` (the object's shape). */
  labels: tf.Tensor1D;
  classNames: readonly string[];
  /** Concept names per category. */
  concepts: Readonly<Record<ConceptCategory, readonly string[]>>;
  /** Per-pixel label maps for the object, colour and texture categories. */
  segmentation: Readonly<Record<'object' | 'colour' | 'texture', Uint8Array>>;
  /** Scene index per image. */
  scenes: Uint8Array;
  /** Drawing parameters per image. */
  info: ShapesImageInfo[];
  n: number;
  size: number;
  seed: number;
  /**
   * One-hot concept masks of a category for images `[start, start + count)`: a new
   * `[count, size, size, K]` float32 tensor (K = number of concepts in the category) the caller disposes.
   */
  conceptMasks(category: ConceptCategory, start?: number, count?: number): tf.Tensor4D;
  /** The `[n, size, size]` float32 0/1 mask of one named concept (caller disposes). */
  conceptMask(category: ConceptCategory, concept: string): tf.Tensor3D;
  /** The concepts present in image `i`, by category. */
  conceptsIn(i: number): Record<ConceptCategory, string[]>;
  /** Disposes `images` and `labels`. */
  dispose(): void;
}

/** Images drawn per batch of tensor ops (fixed, so that a seed's images do not depend on `n`). */
const CHUNK = 256;
/** Random numbers drawn per image (fixed for prefix-stable streams). */
const DRAWS_PER_IMAGE = 12;
const PLAIN_FRACTION = 0.25;

interface Params {
  shape: number;
  radius: number;
  cx: number;
  cy: number;
  scene: number;
  colour: number;
  texture: number;
  textureColour: number;
  phaseX: number;
  phaseY: number;
  horizon: number;
  cloudPhase: [number, number, number];
}

function drawParams(random: () => number, size: number): Params {
  const d = Array.from({ length: DRAWS_PER_IMAGE }, random);
  const shape = Math.floor(d[0] * SHAPE_NAMES.length);
  const radius = (0.25 + 0.14 * d[1]) * size;
  const margin = radius + size / 32;
  const cx = margin + d[2] * (size - 2 * margin);
  const cy = margin + d[3] * (size - 2 * margin);
  const scene = Math.floor(d[4] * SCENE_NAMES.length);
  const free = COLOUR_NAMES.map((_, i) => i).filter((i) => !SCENE_COLOURS[scene].includes(COLOUR_NAMES[i]));
  const colour = free[Math.floor(d[5] * free.length)];
  const texture = d[6] < PLAIN_FRACTION ? -1 : Math.floor(((d[6] - PLAIN_FRACTION) / (1 - PLAIN_FRACTION)) * TEXTURE_NAMES.length);
  const rest = free.filter((i) => i !== colour);
  const textureColour = texture < 0 ? -1 : rest[Math.floor(d[7] * rest.length)];
  const period = size / 8;
  return {
    shape, radius, cx, cy, scene, colour, texture, textureColour,
    phaseX: d[8] * period,
    phaseY: d[9] * period,
    horizon: (0.35 + 0.3 * d[10]) * size,
    cloudPhase: [d[11] * 2 * Math.PI, d[11] * 17.3 % (2 * Math.PI), d[11] * 41.9 % (2 * Math.PI)],
  };
}

/** Chunk-level seed for tf's seeded random ops. */
function chunkSeed(seed: number, chunk: number): number {
  return (Math.imul(seed + 1, 2654435761) ^ Math.imul(chunk + 1, 40503)) >>> 0;
}

// All per-pixel work below runs on full-size float32 0/1 masks (AND = multiply, OR = maximum,
// per-image choice = sum of one-hot weights times masks). On tfjs-backend-wasm 4.22, broadcasting
// comparisons, logical ops and Select on bool tensors are slow (and Select of bool operands
// corrupts memory), while same-shape float arithmetic is fast.
const below = (t: tf.Tensor, limit: number) => t.lessEqual(limit).toFloat();
const above = (t: tf.Tensor, limit: number) => t.greaterEqual(limit).toFloat();
const frac = (t: tf.Tensor) => t.sub(t.floor());

/** Implicit-equation inside-tests (float 0/1) of every shape, on coordinates in units of the radius. */
function shapeInside(k: number, u: tf.Tensor, v: tf.Tensor): tf.Tensor {
  const au = u.abs();
  const av = v.abs();
  const r2 = u.square().add(v.square());
  switch (SHAPE_NAMES[k]) {
    case 'circle':
      return below(r2, 1);
    case 'square':
      return below(tf.maximum(au, av), 0.82);
    case 'diamond':
      return below(au.add(av), 1.1);
    case 'triangle': // apex up at v = -1, base at v = 0.8
      return below(v, 0.8).mul(below(au.sub(v.add(1).mul(1.0 / 1.8)), 0));
    case 'cross':
      return tf.maximum(below(au, 0.32).mul(below(av, 0.95)), below(av, 0.32).mul(below(au, 0.95)));
    case 'ring':
      return below(r2, 1).mul(above(r2, 0.55 * 0.55));
    case 'star': { // five points, one up; radius between 0.42 (inner) and 1 (tips)
      const turns = tf.atan2(u, v.neg()).mul(5 / (2 * Math.PI));
      const t = frac(turns).sub(0.5).abs().mul(2); // 1 at a tip, 0 between tips
      return below(r2.sqrt().sub(t.mul(1 - 0.42)), 0.42);
    }
    case 'heart': { // (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, y up, scaled to the unit disc
      const x = u.mul(1.2);
      const y = v.mul(-1.2).add(0.15);
      const x2 = x.square();
      return below(x2.add(y.square()).sub(1).pow(3).sub(x2.mul(y.pow(3))), 0);
    }
    default:
      throw new Error(`unknown shape ${k}`);
  }
}

/** Texture "second colour" tests (float 0/1) on absolute pixel coordinates (period p, per-image phases). */
function textureOn(k: number, x: tf.Tensor, y: tf.Tensor, p: number): tf.Tensor {
  const fx = frac(x.div(p));
  const fy = frac(y.div(p));
  switch (TEXTURE_NAMES[k]) {
    case 'stripes':
      return below(fy, 0.5);
    case 'dots':
      return below(fx.sub(0.5).square().add(fy.sub(0.5).square()), 0.32 * 0.32);
    case 'checker':
      return below(frac(x.div(p).floor().add(y.div(p).floor()).mul(0.5)), 0.25);
    case 'zigzag': {
      const tri = fx.sub(0.5).abs().mul(2); // triangle wave in [0, 1]
      return below(frac(y.div(p).add(tri)), 0.5);
    }
    case 'grid':
      return tf.maximum(below(fx, 0.25), below(fy, 0.25));
    case 'bands':
      return below(frac(x.add(y).div(p * 1.4)), 0.5);
    default:
      throw new Error(`unknown texture ${k}`);
  }
}

/** Per-image values of `ps` as an `[ps.length, 1, 1]` tensor. */
const col = (ps: Params[], f: (p: Params) => number) => tf.tensor3d(ps.map(f), [ps.length, 1, 1]);

/** Full-size pixel x and y coordinates (pixel centres) for `count` images. */
function grid(count: number, size: number): { X: tf.Tensor; Y: tf.Tensor } {
  const coords = tf.range(0, size).add(0.5);
  const zero = tf.zeros([count, size, size]);
  return { X: coords.reshape([1, 1, size]).add(zero), Y: coords.reshape([1, size, 1]).add(zero) };
}

/** A `[m, size, size]` mask drawn in groups: rows `order[j]` of the image order, one group per choice. */
interface GroupedMask {
  grouped: tf.Tensor;
  order: number[];
}

/**
 * The three per-choice masks of a chunk (inside the shape, on the texture, the scene's second
 * colour), each evaluated for every image with its own choice k (`choice(p)`, < 0: none = zeros):
 * images are grouped by k so each pixel is drawn once; {@link drawChunk} puts them back in order.
 */
function groupedMasks(params: Params[], size: number, seed: number): GroupedMask[] {
  const orders: number[][] = [];
  const grouped = tf.tidy(() => {
    const perChoice = (count: number, choice: (p: Params) => number, draw: (k: number, ps: Params[], idx: number[]) => tf.Tensor): tf.Tensor => {
      const parts: tf.Tensor[] = [];
      const order: number[] = [];
      for (let k = -1; k < count; k++) {
        const idx = params.map((_, i) => i).filter((i) => choice(params[i]) === k);
        if (idx.length === 0) continue;
        parts.push(k < 0 ? tf.zeros([idx.length, size, size]) : draw(k, idx.map((i) => params[i]), idx));
        order.push(...idx);
      }
      orders.push(order);
      return parts.length === 1 ? parts[0] : tf.concat(parts);
    };
    const inside = perChoice(SHAPE_NAMES.length, (p) => p.shape, (k, ps) => {
      const { X, Y } = grid(ps.length, size);
      const radius = col(ps, (p) => p.radius);
      return shapeInside(k, X.sub(col(ps, (p) => p.cx)).div(radius), Y.sub(col(ps, (p) => p.cy)).div(radius));
    });
    const textured = perChoice(TEXTURE_NAMES.length, (p) => p.texture, (k, ps) => {
      const { X, Y } = grid(ps.length, size);
      return textureOn(k, X.add(col(ps, (p) => p.phaseX)), Y.add(col(ps, (p) => p.phaseY)), size / 8);
    });
    // Backgrounds: where the scene's second colour goes.
    const sc = 64 / size;
    const stars = tf.randomUniform([CHUNK, size, size], 0, 1, 'float32', chunkSeed(seed, 1));
    const second = perChoice(SCENE_NAMES.length, (p) => p.scene, (k, ps, idx) => {
      const { X, Y } = grid(ps.length, size);
      const clouds = () => X.mul(0.15 * sc).add(col(ps, (p) => p.cloudPhase[0])).sin()
        .add(Y.mul(0.23 * sc).add(col(ps, (p) => p.cloudPhase[1])).sin())
        .add(X.sub(Y).mul(0.11 * sc).add(col(ps, (p) => p.cloudPhase[2])).sin());
      switch (SCENE_NAMES[k]) {
        case 'sky': return above(clouds(), 1.2);
        case 'snow': return above(clouds(), 0.9);
        case 'night': return below(tf.gather(stars, tf.tensor1d(idx, 'int32')), 0.012);
        default: return above(Y.sub(col(ps, (p) => p.horizon)), 0); // beach, field, room: lower part
      }
    });
    return [inside, textured, second];
  });
  return grouped.map((t, i) => ({ grouped: t, order: orders[i] }));
}

/** Draws one chunk; returns [image, colour map, object map, texture map] tensors. */
async function drawChunk(params: Params[], size: number, noise: number, seed: number): Promise<tf.Tensor[]> {
  const m = params.length;
  const px = size * size;
  const groups = groupedMasks(params, size, seed);
  let masks: Float32Array[];
  try {
    // Reorder with one typed-array copy per image (tfjs-backend-wasm's GatherV2 is slow here).
    masks = await Promise.all(
      groups.map(async ({ grouped, order }) => {
        const values = await grouped.data<'float32'>();
        const out = new Float32Array(m * px);
        order.forEach((i, j) => out.set(values.subarray(j * px, (j + 1) * px), i * px));
        return out;
      }),
    );
  } finally {
    tf.dispose(groups.map((g) => g.grouped));
  }
  return tf.tidy(() => {
    const [inside, textured, second] = masks.map((values) => tf.tensor3d(values, [m, size, size]));
    const idx = (name: string) => COLOUR_NAMES.indexOf(name);
    const mix = (w: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => b.add(w.mul(a.sub(b))); // w ? a : b
    const background = mix(second, col(params, (p) => idx(SCENE_COLOURS[p.scene][1])), col(params, (p) => idx(SCENE_COLOURS[p.scene][0])));
    const objectColour = mix(textured, col(params, (p) => Math.max(p.textureColour, 0)), col(params, (p) => p.colour));
    const colourMap = mix(inside, objectColour, background).round().toInt();
    const palette = tf.tensor2d(COLOUR_NAMES.map((c) => [...COLOUR_PALETTE[c]]), [COLOUR_NAMES.length, 3]);
    let image = tf.oneHot(colourMap.reshape([-1]), COLOUR_NAMES.length).toFloat().matMul(palette).reshape([m, size, size, 3]);
    if (noise > 0) {
      image = image.add(tf.randomUniform([CHUNK, size, size, 3], -noise, noise, 'float32', chunkSeed(seed, 2)).slice(0, m)).clipByValue(0, 1);
    }
    const objectMap = inside.mul(col(params, (p) => p.shape + 1)).round().toInt();
    const textureMap = inside.mul(col(params, (p) => p.texture + 1)).round().toInt();
    return [image, colourMap.add(1), objectMap, textureMap];
  });
}

/**
 * Generates `n` deterministic procedural scenes (see {@link ShapesDataset}): one object per
 * image (the class: one of {@link SHAPE_NAMES}), in one of Broden's colours, plain or textured in
 * a second colour, on a two-colour scene, with uniform pixel noise. 10 000 64x64 images take a few
 * seconds. The caller owns the returned tensors (`dispose()`).
 *
 * @example const ds = await shapesDataset({ n: 1000, seed: 1 }); ds.images; ds.labels; ds.conceptMask('texture', 'stripes'); ds.dispose();
 */
export async function shapesDataset(options: ShapesDatasetOptions = {}): Promise<ShapesDataset> {
  const n = options.n ?? 1000;
  const size = options.size ?? 64;
  const seed = options.seed ?? 0;
  const noise = options.noise ?? 0.03;
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`shapesDataset: n ${n} must be a positive integer.`);
  if (!(Number.isInteger(size) && size >= 16 && size <= 512)) throw new Error(`shapesDataset: size ${size} must be an integer in 16..512.`);
  if (!Number.isFinite(seed)) throw new Error(`shapesDataset: seed ${seed} must be a finite number.`);
  if (!(noise >= 0 && noise <= 0.1)) throw new Error(`shapesDataset: noise ${noise} must be in 0..0.1.`);
  await ensureBackend();
  const random = mulberry32(seed);
  const params = Array.from({ length: n }, () => drawParams(random, size));
  const pixels = size * size;
  const segmentation = { object: new Uint8Array(n * pixels), colour: new Uint8Array(n * pixels), texture: new Uint8Array(n * pixels) };
  // Chunks are read back into one buffer (rather than concatenated) so the backend holds a
  // single copy of the images at any time.
  const rgb = new Float32Array(n * pixels * 3);
  for (let start = 0, c = 0; start < n; start += CHUNK, c++) {
    const maps = await drawChunk(params.slice(start, start + CHUNK), size, noise, chunkSeed(seed, c));
    try {
      const [image, colour, object, texture] = await Promise.all(maps.map((t) => t.data()));
      rgb.set(image, start * pixels * 3);
      segmentation.colour.set(colour, start * pixels);
      segmentation.object.set(object, start * pixels);
      segmentation.texture.set(texture, start * pixels);
    } finally {
      tf.dispose(maps);
    }
  }
  const images = tf.tensor4d(rgb, [n, size, size, 3]);
  const labels = tf.tensor1d(params.map((p) => p.shape), 'int32');
  const scenes = Uint8Array.from(params.map((p) => p.scene));
  const info: ShapesImageInfo[] = params.map((p) => ({
    shape: SHAPE_NAMES[p.shape],
    colour: COLOUR_NAMES[p.colour],
    textureColour: p.texture < 0 ? null : COLOUR_NAMES[p.textureColour],
    texture: p.texture < 0 ? null : TEXTURE_NAMES[p.texture],
    scene: SCENE_NAMES[p.scene],
    sceneColours: SCENE_COLOURS[p.scene],
    cx: p.cx,
    cy: p.cy,
    radius: p.radius,
  }));

  const checkCategory = (category: string): ConceptCategory => {
    if (!(CONCEPT_CATEGORIES as readonly string[]).includes(category)) {
      throw new Error(`shapesDataset: unknown concept category ${JSON.stringify(category)}; categories: ${CONCEPT_CATEGORIES.join(', ')}.`);
    }
    return category as ConceptCategory;
  };
  const labelMap = (category: ConceptCategory, start: number, count: number): tf.Tensor3D =>
    category === 'scene'
      ? tf.tidy(() => tf.tensor3d(Int32Array.from(scenes.subarray(start, start + count), (s) => s + 1), [count, 1, 1], 'int32').tile<tf.Tensor3D>([1, size, size]))
      : tf.tensor3d(Int32Array.from(segmentation[category].subarray(start * pixels, (start + count) * pixels)), [count, size, size], 'int32');

  return {
    images,
    labels,
    classNames: SHAPE_NAMES,
    concepts: SHAPES_CONCEPTS,
    segmentation,
    scenes,
    info,
    n,
    size,
    seed,
    conceptMasks(category, start = 0, count = n - start) {
      checkCategory(category);
      if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count > 0 && start + count <= n)) {
        throw new Error(`conceptMasks: range start ${start}, count ${count} must lie within the ${n} images.`);
      }
      return tf.tidy(() => tf.oneHot(labelMap(category, start, count).sub(1).toInt(), SHAPES_CONCEPTS[category].length).toFloat() as tf.Tensor4D);
    },
    conceptMask(category, concept) {
      const names = SHAPES_CONCEPTS[checkCategory(category)];
      const k = names.indexOf(concept);
      if (k < 0) throw new Error(`conceptMask: unknown ${category} concept ${JSON.stringify(concept)}; known: ${names.join(', ')}.`);
      return tf.tidy(() => labelMap(category, 0, n).equal(k + 1).toFloat() as tf.Tensor3D);
    },
    conceptsIn(i) {
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new Error(`conceptsIn: image ${i} is not in 0..${n - 1}.`);
      const colours = new Set(segmentation.colour.subarray(i * pixels, (i + 1) * pixels));
      const texture = info[i].texture;
      return {
        object: [info[i].shape],
        colour: COLOUR_NAMES.filter((_, k) => colours.has(k + 1)),
        texture: texture ? [texture] : [],
        scene: [info[i].scene],
      };
    },
    dispose() {
      images.dispose();
      labels.dispose();
    },
  };
}
