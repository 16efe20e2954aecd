/**
 * Fashion-MNIST loader: the four idx `.gz` files of Zalando's dataset (70k 28x28 grey images of
 * clothing, 10 classes), read from disk or downloaded from the dataset's official location.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { tf } from '../tf';
import { ensureBackend } from '../core/backend-choice';

/** The ten Fashion-MNIST class names, indexed by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

/** The dataset's official download location (Zalando Research's S3 bucket). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

const FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz', count: 10000 },
} as const;

/** Which half of Fashion-MNIST to load. */
export type FashionMnistSplit = 'train' | 'test';

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /** `'train'` (60 000 images) or `'test'` (10 000 images). Default `'train'`. */
  split?: FashionMnistSplit;
  /** Keep only the first `limit` examples (a positive integer). Default: all. */
  limit?: number;
  /** Look in this folder first (overrides `CONVLENS_DATA`). */
  dir?: string;
  /** Search only these folders (replaces the default search path of {@link fashionMnistSearchPath}). */
  dirs?: string[];
  /** Allow downloading when no local copy is found. Default true. */
  download?: boolean;
  /** Base URL to download from. Default {@link FASHION_MNIST_URL}. */
  url?: string;
  /** Folder downloads are stored in. Default `$CONVLENS_DATA/fashion-mnist` or `~/.cache/convlens/fashion-mnist`. */
  cacheDir?: string;
}

/**
 * A loaded split. The caller owns `images` and `labels` and must `dispose()` them (or call
 * {@link FashionMnist.dispose}) when done; they are not tracked by any `tf.tidy` scope that was
 * open when the promise resolved.
 */
export interface FashionMnist {
  /** `[n, 28, 28, 1]` float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** `[n]` int32 class indices into `classNames`. */
  labels: tf.Tensor1D;
  /** The ten class names (see {@link FASHION_MNIST_CLASSES}). */
  classNames: readonly string[];
  /** The folder the files were read from. */
  source: string;
  /** Disposes `images` and `labels`. */
  dispose(): void;
}

/** Raw decoded idx bytes of one split, before conversion to tensors. */
export interface FashionMnistRaw {
  /** n*28*28 bytes, row-major, 0 = background. */
  pixels: Uint8Array;
  /** n label bytes. */
  labels: Uint8Array;
  count: number;
  source: string;
}

/** Candidate folders in search order: `dir`, `$CONVLENS_DATA` (and its `fashion-mnist/`), the Debian folder, the download cache. */
export function fashionMnistSearchPath(dir?: string): string[] {
  const out: string[] = [];
  if (dir) out.push(dir);
  const env = process.env.CONVLENS_DATA;
  if (env) out.push(env, path.join(env, 'fashion-mnist'));
  out.push(FASHION_MNIST_SYSTEM_DIR, fashionMnistCacheDir());
  return out;
}

function fashionMnistCacheDir(): string {
  const base = process.env.CONVLENS_DATA || path.join(os.homedir(), '.cache', 'convlens');
  return path.join(base, 'fashion-mnist');
}

function parseIdx(gz: Buffer, magic: number, count: number, itemBytes: number, file: string): Uint8Array {
  const raw = zlib.gunzipSync(gz);
  const headerBytes = magic === 2051 ? 16 : 8;
  const expected = headerBytes + count * itemBytes;
  if (raw.length !== expected) {
    throw new Error(`Fashion-MNIST file ${file} has ${raw.length} bytes once decompressed; expected ${expected} (${count} items).`);
  }
  const gotMagic = raw.readUInt32BE(0);
  if (gotMagic !== magic) throw new Error(`Fashion-MNIST file ${file} has idx magic ${gotMagic}; expected ${magic}.`);
  if (raw.readUInt32BE(4) !== count) throw new Error(`Fashion-MNIST file ${file} holds ${raw.readUInt32BE(4)} items; expected ${count}.`);
  return new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, count * itemBytes);
}

/** Downloads `url` to `dest` after checking its decompressed size (a partial or wrong file is never kept). */
async function download(url: string, dest: string, expectedBytes: number): Promise<void> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  let size: number;
  try {
    size = zlib.gunzipSync(body).length;
  } catch (e) {
    throw new Error(`GET ${url}: not a gzip file (${(e as Error).message})`);
  }
  if (size !== expectedBytes) throw new Error(`GET ${url}: ${size} bytes once decompressed; expected ${expectedBytes}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.part${process.pid}`;
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, dest);
}

/**
 * Reads one split as raw bytes (no tensors). Searches {@link fashionMnistSearchPath}; when no
 * folder holds both files and `download` is not false, downloads them into the cache folder
 * (`$CONVLENS_DATA/fashion-mnist` or `~/.cache/convlens/fashion-mnist`) and checks their sizes.
 */
export async function readFashionMnistRaw(options: FashionMnistOptions = {}): Promise<FashionMnistRaw> {
  const split = options.split ?? 'train';
  const spec = (FILES as Record<string, (typeof FILES)[FashionMnistSplit]>)[split];
  if (!spec) throw new Error(`loadFashionMnist: split ${JSON.stringify(split)} is not one of 'train', 'test'.`);
  const cache = options.cacheDir ?? fashionMnistCacheDir();
  const candidates = options.dirs ? [...options.dirs] : fashionMnistSearchPath(options.dir);
  if (options.cacheDir && !candidates.includes(cache)) candidates.push(cache);
  let folder = candidates.find((d) => fs.existsSync(path.join(d, spec.images)) && fs.existsSync(path.join(d, spec.labels)));
  let downloadError: string | undefined;
  if (!folder && options.download !== false) {
    const base = (options.url ?? FASHION_MNIST_URL).replace(/\/?$/, '/');
    try {
      for (const f of [spec.images, spec.labels]) {
        const expected = f === spec.images ? 16 + spec.count * 784 : 8 + spec.count;
        if (!fs.existsSync(path.join(cache, f))) await download(base + f, path.join(cache, f), expected);
      }
      folder = cache;
    } catch (e) {
      downloadError = (e as Error).message;
    }
  }
  if (!folder) {
    throw new Error(
      `Fashion-MNIST ${split} files (${spec.images}, ${spec.labels}) not found. Looked in: ${candidates.join(', ')}` +
        (options.download === false ? '; download disabled.' : `; download from ${options.url ?? FASHION_MNIST_URL} failed: ${downloadError}.`) +
        ' Set CONVLENS_DATA to a folder holding the four idx .gz files, or install Debian\'s dataset-fashion-mnist.',
    );
  }
  const imagesFile = path.join(folder, spec.images);
  const labelsFile = path.join(folder, spec.labels);
  const pixels = parseIdx(fs.readFileSync(imagesFile), 2051, spec.count, 28 * 28, imagesFile);
  const labels = parseIdx(fs.readFileSync(labelsFile), 2049, spec.count, 1, labelsFile);
  return { pixels, labels, count: spec.count, source: folder };
}

/**
 * Loads a Fashion-MNIST split as tensors: images `[n, 28, 28, 1]` float32 in [0, 1] and labels
 * `[n]` int32, plus the class names. The caller owns the tensors (call `dispose()`).
 *
 * @example const { images, labels, classNames, dispose } = await loadFashionMnist({ split: 'test', limit: 100 });
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<FashionMnist> {
  const { limit } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error(`loadFashionMnist: limit ${limit} must be a positive integer.`);
  }
  const raw = await readFashionMnistRaw(options);
  await ensureBackend();
  const n = Math.min(limit ?? raw.count, raw.count);
  const images = tf.tidy(() =>
    tf.tensor4d(Float32Array.from(raw.pixels.subarray(0, n * 784)), [n, 28, 28, 1]).div<tf.Tensor4D>(255),
  );
  const labels = tf.tensor1d(Int32Array.from(raw.labels.subarray(0, n)), 'int32');
  return {
    images,
    labels,
    classNames: FASHION_MNIST_CLASSES,
    source: raw.source,
    dispose: () => {
      images.dispose();
      labels.dispose();
    },
  };
}
