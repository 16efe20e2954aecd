/**
 * `file://` model storage for Node: reads and writes the tfjs model format (a `model.json` plus
 * binary weight shards) without `@tensorflow/tfjs-node`, which cannot be installed here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { tf } from '../tf';

/** Turns `file:///a/b`, `file://./rel` or a plain path into a file-system path. */
export function fileUrlToPath(url: string): string {
  if (url.startsWith('file:///')) return fileURLToPath(url);
  if (url.startsWith('file://')) return path.resolve(url.slice('file://'.length));
  return path.resolve(url);
}

function modelJsonPath(location: string): string {
  const p = fileUrlToPath(location);
  return p.endsWith('.json') ? p : path.join(p, 'model.json');
}

/**
 * A tfjs IOHandler for a folder or `model.json` on disk: `save` writes `model.json` and
 * `weights.bin`; `load` reads `model.json` and its weight shards (works for LayersModel and
 * GraphModel files, e.g. those of `tensorflowjs_converter`).
 *
 * @example await model.save(fileSystem('file:///tmp/my-model'));
 */
export function fileSystem(location: string): tf.io.IOHandler {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new Error(`fileSystem: location must be a folder or a model.json path; got ${JSON.stringify(location) ?? String(location)}`);
  }
  const jsonPath = modelJsonPath(location);
  return {
    // tfjs's IOHandler is async; this one works synchronously.
    // eslint-disable-next-line @typescript-eslint/require-await
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('fileSystem: saving binary model topologies is not supported.');
      }
      const dir = path.dirname(jsonPath);
      fs.mkdirSync(dir, { recursive: true });
      const weightsFile = 'weights.bin';
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      const data = artifacts.weightData;
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      fs.writeFileSync(path.join(dir, weightsFile), Buffer.concat(buffers.map((b) => Buffer.from(b))));
      fs.writeFileSync(jsonPath, JSON.stringify(json));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(json.modelTopology).length,
          weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
          weightDataBytes: buffers.reduce((s, b) => s + b.byteLength, 0),
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      if (!fs.existsSync(jsonPath)) throw new Error(`No model file at ${jsonPath} (from ${location}).`);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
      }
      if (!json || typeof json !== 'object' || !json.modelTopology) {
        throw new Error(`${jsonPath} is not a tfjs model.json (no modelTopology).`);
      }
      const dir = path.dirname(jsonPath);
      return artifactsFromModelJson(json, (p) => {
        const file = path.join(dir, p);
        if (!fs.existsSync(file)) return Promise.reject(new Error(`Weight file ${file} named in ${jsonPath} is missing.`));
        return Promise.resolve(fs.readFileSync(file));
      });
    },
  };
}

/**
 * Model artifacts from a parsed model.json, reading each weight shard (paths relative to the
 * model.json) with `readShard`; shared by the file and HTTP loaders.
 */
export async function artifactsFromModelJson(json: tf.io.ModelJSON, readShard: (relativePath: string) => Promise<Uint8Array>): Promise<tf.io.ModelArtifacts> {
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new Error('not a tfjs model.json (no modelTopology).');
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: Uint8Array[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const p of group.paths) buffers.push(await readShard(p));
    }
    const all = Buffer.concat(buffers);
    return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
  });
}
