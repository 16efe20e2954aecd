/**
 * The classic Notebook 6 / nbclassic extension (`nbextensions/convlens/extension.js`): installs
 * convlens's own ipywidgets 8 manager. It
 * - creates a {@link ClassicWidgetManager} for each kernel and takes the `jupyter.widget` comm
 *   target (replacing any older widgets extension),
 * - renders `application/vnd.jupyter.widget-view+json` outputs in classic output areas, from the
 *   live kernel or from the widget state saved in the notebook,
 * - adds File > Save Notebook Widget State (widget state into the notebook metadata),
 * - defines `@jupyter-widgets/base`, `@jupyter-widgets/controls` and `convlens` for requirejs, so
 *   other AMD widget libraries resolve against the same ipywidgets 8 classes.
 */
import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import * as convlens from '../index';
import { ClassicNotebook, ClassicWidgetManager } from './manager';
import { setOutputAreaClass } from './output';
import { addSaveStateMenu } from './save-state';

/** The mime type of a widget view output. */
export const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
const WIDGET_STATE_MIMETYPE = 'application/vnd.jupyter.widget-state+json';

let manager: ClassicWidgetManager | undefined;
let managerReady: Promise<ClassicWidgetManager> | undefined;

function amdRequire(modules: string[]): Promise<any[]> {
  const req = (window as any).requirejs;
  return new Promise((resolve, reject) => req(modules, (...m: any[]) => resolve(m), reject));
}

function defineAmdModules(): void {
  const w = window as any;
  const modules: Record<string, unknown> = {
    '@jupyter-widgets/base': base,
    '@jupyter-widgets/controls': controls,
    [convlens.MODULE_NAME]: convlens,
  };
  for (const [name, module] of Object.entries(modules)) {
    if (!w.requirejs.specified(name)) w.define(name, [], () => module);
  }
}

/** Create a manager for the notebook's current kernel (again after a kernel restart/change). */
function connectKernel(notebook: ClassicNotebook & { metadata?: any }): Promise<ClassicWidgetManager> {
  const kernel = notebook.kernel;
  if (manager && manager.kernel === kernel) {
    manager.takeCommTarget();
    return managerReady!;
  }
  manager?.disconnect();
  const m = new ClassicWidgetManager(kernel, notebook);
  manager = m;
  managerReady = m.connect().then(async () => {
    const saved = notebook.metadata?.widgets?.[WIDGET_STATE_MIMETYPE];
    if (saved?.state) {
      // Widgets saved with the notebook: restore those the live kernel does not have.
      const missing = Object.keys(saved.state).filter((id) => !m.has_model(id));
      if (missing.length) await m.set_state({ ...saved, state: Object.fromEntries(missing.map((id) => [id, saved.state[id]])) });
    }
    return m;
  });
  return managerReady;
}

function renderWidgetOutput(this: any, json: any, md: any, element: any): any {
  const toinsert = this.create_output_subarea(md, 'output_widget_view', WIDGET_VIEW_MIMETYPE);
  this.keyboard_manager?.register_events(toinsert);
  element.append(toinsert);
  const node: HTMLElement = toinsert[0];
  const modelId = json?.model_id;
  (managerReady ?? Promise.reject(new Error('no kernel')))
    .then((m) => m.displayModel(modelId, node))
    .catch((err) => {
      node.textContent = `Widget ${modelId} cannot be shown: ${err?.message ?? err}. Run the cell again.`;
    });
  return toinsert;
}

function registerRenderer(OutputArea: any): void {
  const proto = OutputArea.prototype;
  if (!OutputArea.display_order.includes(WIDGET_VIEW_MIMETYPE)) {
    proto.register_mime_type(WIDGET_VIEW_MIMETYPE, renderWidgetOutput, { safe: true, index: 0 });
  } else {
    // Move it to the front, ahead of text/plain, in case an older extension placed it elsewhere.
    OutputArea.display_order.splice(OutputArea.display_order.indexOf(WIDGET_VIEW_MIMETYPE), 1);
    OutputArea.display_order.unshift(WIDGET_VIEW_MIMETYPE);
    OutputArea.safe_outputs[WIDGET_VIEW_MIMETYPE] = true;
  }
  // Keep ours even if an older widgets extension registers its renderer later.
  Object.defineProperty(OutputArea.append_map, WIDGET_VIEW_MIMETYPE, {
    get: () => renderWidgetOutput,
    set: () => undefined,
    configurable: true,
    enumerable: true,
  });
}

/** Entry point the classic Notebook calls when it loads the nbextension. */
export async function load_ipython_extension(): Promise<void> {
  const [Jupyter, events, outputarea] = await amdRequire(['base/js/namespace', 'base/js/events', 'notebook/js/outputarea']);
  setOutputAreaClass(outputarea.OutputArea);
  defineAmdModules();
  registerRenderer(outputarea.OutputArea);
  const notebook = Jupyter.notebook;
  const connect = () => {
    if (notebook.kernel) void connectKernel(notebook);
  };
  // kernel_created fires before an older extension's handler on the same event; kernel_ready
  // after it, so connecting on both leaves the `jupyter.widget` target with this manager.
  events.on('kernel_created.Kernel kernel_created.Session kernel_ready.Kernel', connect);
  events.on('kernel_restarting.Kernel', () => void manager?.clear_state());
  addSaveStateMenu(Jupyter, () => manager);
  connect();
}

/** The widget manager of the current kernel, once connected (for tests and debugging). */
export function widgetManager(): ClassicWidgetManager | undefined {
  return manager;
}
