/**
 * The widget state a notebook saves (`metadata.widgets["application/vnd.jupyter.widget-state+json"]`,
 * @jupyter-widgets/schema's state format 2.0): every live widget's state with its binary buffers
 * as base64, which `@jupyter-widgets/html-manager` (static HTML) renders without a kernel.
 */
import { liveWidgets } from './registry';

/** One model of the saved state. */
export interface SavedModel {
  model_name: unknown;
  model_module: unknown;
  model_module_version: unknown;
  state: Record<string, unknown>;
  buffers: Array<{ path: Array<string | number>; encoding: 'base64'; data: string }>;
}

/** Saved widget state, format 2.0. */
export interface SavedWidgetState {
  version_major: 2;
  version_minor: 0;
  state: Record<string, SavedModel>;
}

/** The saved-state form of every live widget (what `nbconvert --to html` embeds in a page). */
export function savedWidgetState(): SavedWidgetState {
  const state: Record<string, SavedModel> = {};
  for (const w of liveWidgets()) {
    const enc = w.serializedState();
    state[w.modelId] = {
      model_name: enc.state._model_name,
      model_module: enc.state._model_module,
      model_module_version: enc.state._model_module_version,
      state: enc.state,
      buffers: enc.bufferPaths.map((p, i) => ({
        path: p,
        encoding: 'base64',
        data: Buffer.from(enc.buffers[i].buffer, enc.buffers[i].byteOffset, enc.buffers[i].byteLength).toString('base64'),
      })),
    };
  }
  return { version_major: 2, version_minor: 0, state };
}
