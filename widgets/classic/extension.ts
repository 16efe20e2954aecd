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
import { ClassicKernel, ClassicNotebook, ClassicWidgetManager, setCommClass } from './manager';
import { setOutputAreaClass } from './output';
import { addSaveStateMenu } from './save-state';

/** The mime type of a widget view output. */
export const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
const WIDGET_STATE_MIMETYPE = 'application/vnd.jupyter.widget-state+json';

let manager: ClassicWidgetManager | undefined;
let managerReady: Promise<ClassicWidgetManager> | undefined;
let firstManagerReady: (m: ClassicWidgetManager) => void;
/** Resolves with the first connected manager (outputs may render before the kernel is known). */
const firstManager = new Promise<ClassicWidgetManager>((resolve) => (firstManagerReady = resolve));

/** The current manager once connected; waits up to `timeoutMs` for a kernel. */
function currentManager(timeoutMs = 120000): Promise<ClassicWidgetManager> {
  if (managerReady) return managerReady;
  return Promise.race([
    firstManager,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no kernel connected')), timeoutMs)),
  ]);
}

function amdRequire(modules: string[]): Promise<any[]> {
  const req = (window as any).requirejs;
  return new Promise((resolve, reject) => req(modules, (...m: any[]) => resolve(m), reject));
}

/**
 * Classic Notebook 6 loads `widgets/notebook/js/extension` (the pre-ipywidgets-7 location) itself
 * when no `jupyter-js-widgets/extension` was loaded, which convlens's install switches off: answer
 * that require with an empty extension, since this one's manager serves the page (otherwise a 404
 * and a "Widgets are not available" warning on every page). Runs when this module is evaluated, so
 * before the Notebook's fallback asks for it.
 */
function claimOldWidgetsExtension(): void {
  const w = window as any;
  const name = 'nbextensions/widgets/notebook/js/extension';
  if (typeof w.define === 'function' && !w.requirejs?.specified?.(name)) {
    w.define(name, [], () => ({ load_ipython_extension: () => undefined }));
  }
}
claimOldWidgetsExtension();

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
function connectKernel(notebook: ClassicNotebook & { metadata?: any }, kernel: ClassicKernel): Promise<ClassicWidgetManager> {
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
  void managerReady.then(firstManagerReady);
  return managerReady;
}

function renderWidgetOutput(this: any, json: any, md: any, element: any): any {
  const toinsert = this.create_output_subarea(md, 'output_widget_view', WIDGET_VIEW_MIMETYPE);
  this.keyboard_manager?.register_events(toinsert);
  element.append(toinsert);
  const node: HTMLElement = toinsert[0];
  const modelId = json?.model_id;
  currentManager()
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

/**
 * Redraw widget outputs that the notebook drew (as text) before this extension was loaded:
 * opening a saved notebook renders its outputs first, then loads nbextensions.
 */
function redrawWidgetOutputs(notebook: any): void {
  for (const cell of notebook.get_cells?.() ?? []) {
    const area = cell.output_area;
    const hasWidget = area?.outputs?.some((o: any) => o.data?.[WIDGET_VIEW_MIMETYPE]);
    if (!hasWidget || area.element?.[0]?.querySelector('.output_widget_view')) continue;
    const outputs = area.toJSON();
    area.clear_output(false, true);
    area.fromJSON(outputs);
  }
}

/** Entry point the classic Notebook calls when it loads the nbextension. */
export async function load_ipython_extension(): Promise<void> {
  const [Jupyter, events, outputarea, comm] = await amdRequire([
    'base/js/namespace',
    'base/js/events',
    'notebook/js/outputarea',
    'services/kernels/comm',
  ]);
  setOutputAreaClass(outputarea.OutputArea);
  setCommClass(comm.Comm);
  defineAmdModules();
  registerRenderer(outputarea.OutputArea);
  const notebook = Jupyter.notebook;
  // The kernel object exists (on the session) before notebook.kernel is set, and its events may
  // have fired before this extension loaded: take it from the event, the notebook or the session.
  const connect = (_event?: unknown, data?: { kernel?: ClassicKernel }) => {
    const kernel = data?.kernel ?? notebook.kernel ?? notebook.session?.kernel;
    if (kernel) void connectKernel(notebook, kernel);
  };
  // kernel_created fires before an older extension's handler on the same event; kernel_ready
  // after it, so connecting on both leaves the `jupyter.widget` target with this manager.
  events.on('kernel_created.Kernel kernel_created.Session kernel_connected.Kernel kernel_ready.Kernel', connect);
  events.on('kernel_restarting.Kernel', () => void manager?.clear_state());
  addSaveStateMenu(Jupyter, () => manager);
  events.on('notebook_loaded.Notebook', () => redrawWidgetOutputs(notebook));
  redrawWidgetOutputs(notebook);
  connect();
}

/** The widget manager of the current kernel, once connected (for tests and debugging). */
export function widgetManager(): ClassicWidgetManager | undefined {
  return manager;
}
