/**
 * Loading tfjs models (LayersModel and GraphModel) from `file://` paths, plain paths and
 * `http(s)://` URLs, with the format detected from `model.json`.
 */
import { tf } from '../tf';
import { ensureBackend } from '../core/backend-choice';
import { artifactsFromModelJson, fileSystem } from './file-io';

/** True for `http://` and `https://` URLs. */
export function isHttpUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

function checkLocation(location: unknown, where: string): string {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new Error(`${where}: expected a file:// path, a plain path or an http(s):// URL of a model.json, got ${JSON.stringify(location)}.`);
  }
  return location.trim();
}

function httpModelJson(url: string): string {
  return /\.json(\?|#|$)/.test(url) ? url : url.replace(/\/?$/, '/model.json');
}

async function httpGet(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${res.statusText}`);
  return res;
}

/**
 * A tfjs IOHandler that loads model.json and its weight shards over HTTP(S) with Node's `fetch`
 * (shard paths are resolved against the model.json URL).
 */
export function httpModel(url: string): tf.io.IOHandler {
  const jsonUrl = httpModelJson(url);
  return {
    load: async () => {
      // JSON.parse here rather than res.json(): objects must come from this realm (tfjs checks `instanceof Array`).
      const json = JSON.parse(await (await httpGet(jsonUrl)).text()) as tf.io.ModelJSON;
      return artifactsFromModelJson(json, async (p) => new Uint8Array(await (await httpGet(new URL(p, jsonUrl).href)).arrayBuffer()));
    },
  };
}

async function withContext<T>(what: string, location: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new Error(`Could not load ${what} from ${location}: ${(e as Error).message}`);
  }
}

/**
 * Loads a tfjs LayersModel (Keras-style) from `file:///abs/dir`, `file://rel/dir`, a plain path
 * (folder or model.json) or an `http(s)://` URL (folder or model.json). Call `model.dispose()` when done.
 * @example const model = await loadLayersModel('https://example.org/mobilenet/model.json');
 */
export async function loadLayersModel(location: string): Promise<tf.LayersModel> {
  const loc = checkLocation(location, 'loadLayersModel');
  await ensureBackend();
  return withContext('a LayersModel', loc, () =>
    tf.loadLayersModel(isHttpUrl(loc) ? httpModel(loc) : fileSystem(loc)),
  );
}

/**
 * Loads a tfjs GraphModel (e.g. from `tensorflowjs_converter` of a SavedModel) from the same kinds
 * of locations as {@link loadLayersModel}. Call `model.dispose()` when done.
 */
export async function loadGraphModel(location: string): Promise<tf.GraphModel> {
  const loc = checkLocation(location, 'loadGraphModel');
  await ensureBackend();
  return withContext('a GraphModel', loc, () =>
    tf.loadGraphModel(isHttpUrl(loc) ? httpModel(loc) : fileSystem(loc)),
  );
}

/** `'layers-model'` or `'graph-model'`, read from the model.json at `location`. */
export async function modelFormat(location: string): Promise<'layers-model' | 'graph-model'> {
  const loc = checkLocation(location, 'modelFormat');
  const json = await withContext('model.json', loc, async () => {
    if (isHttpUrl(loc)) {
      return JSON.parse(await (await httpGet(httpModelJson(loc))).text()) as tf.io.ModelJSON;
    }
    const artifacts = await fileSystem(loc).load!();
    return { modelTopology: artifacts.modelTopology, format: artifacts.format } as tf.io.ModelJSON;
  });
  const topology = json.modelTopology as { class_name?: string; node?: unknown } | undefined;
  if (json.format === 'graph-model' || (topology && 'node' in topology)) return 'graph-model';
  if (json.format === 'layers-model' || (topology && topology.class_name) || (topology && 'model_config' in topology)) return 'layers-model';
  throw new Error(`${loc}: model.json has neither a layers-model nor a graph-model topology.`);
}

/** Loads a model from a location, as a LayersModel or GraphModel according to its model.json. */
export async function loadModelFrom(location: string): Promise<tf.LayersModel | tf.GraphModel> {
  return (await modelFormat(location)) === 'graph-model' ? loadGraphModel(location) : loadLayersModel(location);
}
