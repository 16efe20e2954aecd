/**
 * The PyTorch reference harness: writes a request (model folder, images, targets, cases) to a
 * temporary folder, runs test/reference/torch_reference.py with Debian's /usr/bin/python3 (its
 * python3-torch), and reads back the logits and the maps in float64. A later technique with a
 * closed definition adds a method to the Python script and a case to its test.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { tf } from '../../kernel-lib/tf';
import { correlation } from '../techniques/models';

const run = promisify(execFile);

/** The Python that has Debian's torch. */
export const REFERENCE_PYTHON = process.env.CONVLENS_REFERENCE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'torch_reference.py');

/** One map to compute: `method` is a key of the script's METHODS, `options` as convlens takes them. */
export interface ReferenceCase {
  id: string;
  method: string;
  options?: Record<string, unknown>;
}

/** Where the images come from: Fashion-MNIST read by the script itself, or a tensor from the caller. */
export type ReferenceImages = { fashionMnist: { dir: string; split: 'train' | 'test'; indices: number[] } } | { tensor: tf.Tensor4D };

/** What to compute. */
export interface ReferenceRequest {
  /** Folder holding model.json and weights.bin. */
  model: string;
  images: ReferenceImages;
  /** The class explained, per image. */
  targets: number[];
  cases: ReferenceCase[];
}

/** A map from the reference, float64. */
export interface ReferenceMap {
  shape: number[];
  values: Float64Array;
}

/** What the reference computed. */
export interface ReferenceResult {
  /** Scores before the final softmax, per image. */
  logits: number[][];
  maps: Record<string, ReferenceMap>;
  /** Seconds the Python side took (torch import excluded). */
  seconds: number;
}

/** True when the reference Python can import torch (`reason` says why not). */
export async function referenceAvailable(): Promise<{ ok: boolean; reason: string }> {
  try {
    const { stdout } = await run(REFERENCE_PYTHON, ['-c', 'import torch; print(torch.__version__)']);
    return { ok: true, reason: `${REFERENCE_PYTHON} with torch ${stdout.trim()}` };
  } catch (e) {
    return { ok: false, reason: `${REFERENCE_PYTHON} cannot import torch (Debian: apt-get install python3-torch): ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Compute `request` with PyTorch. */
export async function torchReference(request: ReferenceRequest): Promise<ReferenceResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-reference-'));
  try {
    let images: unknown;
    if ('tensor' in request.images) {
      const t = request.images.tensor;
      fs.writeFileSync(path.join(dir, 'images.f32'), Buffer.from((await t.data()).buffer as ArrayBuffer));
      images = { file: 'images.f32', shape: t.shape };
    } else {
      images = request.images;
    }
    const requestFile = path.join(dir, 'request.json');
    fs.writeFileSync(requestFile, JSON.stringify({ model: path.resolve(request.model), images, targets: request.targets, cases: request.cases }));
    try {
      await run(REFERENCE_PYTHON, [SCRIPT, requestFile], { maxBuffer: 16 << 20, env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' } });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      throw new Error(`torch_reference.py failed: ${err.stderr?.trim().split('\n').slice(-5).join('\n') ?? err.message}`);
    }
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as { logits: number[][]; seconds: number; maps: Record<string, { shape: number[]; file: string }> };
    const maps: Record<string, ReferenceMap> = {};
    for (const [id, m] of Object.entries(result.maps)) {
      const bytes = fs.readFileSync(path.join(dir, m.file));
      maps[id] = { shape: m.shape, values: new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
    }
    return { logits: result.logits, maps, seconds: result.seconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Per image: Pearson r and max |a - b| / max |b| of a map `[N, ...]` against the reference's. */
export function mapAgreement(got: ArrayLike<number>, ref: ReferenceMap): Array<{ r: number; relErr: number }> {
  const n = ref.shape[0];
  const per = ref.values.length / n;
  return Array.from({ length: n }, (_, i) => {
    const a = Array.from({ length: per }, (_, j) => got[i * per + j]);
    const b = Array.from(ref.values.subarray(i * per, (i + 1) * per));
    const scale = Math.max(...b.map(Math.abs));
    const maxDiff = Math.max(...a.map((v, j) => Math.abs(v - b[j])));
    // A constant reference (an all-zero Grad-CAM) has no correlation: then it must be matched exactly.
    const constant = b.every((v) => v === b[0]);
    return { r: constant ? (maxDiff === 0 ? 1 : 0) : correlation(a, b), relErr: scale === 0 ? maxDiff : maxDiff / scale };
  });
}
