/**
 * The live-test page: a minimal JupyterLab-like frontend built from @jupyterlab/services,
 * @jupyterlab/outputarea, @jupyterlab/rendermime and JupyterLab's own widget manager
 * (@jupyter-widgets/jupyterlab-manager 5), with @jupyter-widgets/controls and the convlens
 * widgets registered. Browser tests drive it through `window.convlensPage`.
 */
import { KernelManager, Kernel, ServerConnection } from '@jupyterlab/services';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import * as base from '@jupyter-widgets/base';
import { IJupyterWidgetRegistry, IWidgetRegistryData } from '@jupyter-widgets/base';
import { JUPYTER_CONTROLS_VERSION } from '@jupyter-widgets/controls/lib/version';
import { KernelWidgetManager, WIDGET_VIEW_MIMETYPE } from '@jupyter-widgets/jupyterlab-manager/lib/manager';
import { WidgetRenderer } from '@jupyter-widgets/jupyterlab-manager/lib/renderer';
import { OutputModel, OutputView, OUTPUT_WIDGET_VERSION } from '@jupyter-widgets/jupyterlab-manager/lib/output';
import * as convlens from 'convlens-widgets';

import '@lumino/widgets/style/index.css';
import '@jupyterlab/rendermime/style/index.css';
import '@jupyterlab/outputarea/style/index.css';
import '@jupyter-widgets/base/css/index.css';
import '@jupyter-widgets/controls/css/widgets.css';

/** What one executed cell produced. */
export interface CellResult {
  index: number;
  status: string;
  /** Concatenated stream output (stdout and stderr). */
  text: string;
  /** The cell's outputs as nbformat JSON. */
  outputs: unknown[];
  /** ename/evalue when the cell failed. */
  error?: { ename: string; evalue: string };
}

declare const __webpack_init_sharing__: (scope: string) => Promise<void>;
declare const __webpack_share_scopes__: Record<string, unknown>;

/** Where the convlens widget module comes from: bundled into this page, or the installed labextension. */
export type WidgetSource = 'bundled' | 'labextension';

/** A federated (prebuilt) labextension as jupyterlab_server lists it in the page config. */
interface FederatedExtension {
  name: string;
  load: string;
  extension?: string;
  style?: string;
}

let kernel: Kernel.IKernelConnection | undefined;
let manager: KernelWidgetManager | undefined;
let rendermime: RenderMimeRegistry | undefined;
let cellCount = 0;
const log: string[] = [];

function pageConfig(): Record<string, any> {
  return JSON.parse(document.getElementById('jupyter-config-data')!.textContent || '{}');
}

function serverSettings(): ServerConnection.ISettings {
  const query = new URLSearchParams(window.location.search);
  const config = pageConfig();
  const baseUrl = new URL(config.baseUrl || '/', window.location.href).href;
  const wsUrl = baseUrl.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({ baseUrl, wsUrl, token: query.get('token') || '', appendToken: true });
}

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

/**
 * Load the prebuilt labextension `name` the way JupyterLab 4 does (the server's
 * federated_extensions list, remoteEntry script, module federation container initialised with
 * this page's share scope) and activate its plugins with a widget registry.
 * @returns what the plugins registered.
 */
async function loadLabExtension(name: string): Promise<IWidgetRegistryData[]> {
  const config = pageConfig();
  const extensions: FederatedExtension[] = config.federated_extensions ?? [];
  const ext = extensions.find((e) => e.name === name);
  if (!ext || !ext.extension) {
    throw new Error(`the server lists no labextension "${name}"; it has: ${extensions.map((e) => e.name).join(', ') || 'none'}`);
  }
  await loadScript(`${config.fullLabextensionsUrl}/${ext.name}/${ext.load}`);
  await __webpack_init_sharing__('default');
  const container = (window as any)._JUPYTERLAB[ext.name];
  await container.init(__webpack_share_scopes__.default);
  if (ext.style) await (await container.get(ext.style))();
  const module = (await container.get(ext.extension))();
  const plugins = Array.isArray(module.default) ? module.default : [module.default];
  const registered: IWidgetRegistryData[] = [];
  const registry = { registerWidget: (data: IWidgetRegistryData) => void registered.push(data) };
  for (const plugin of plugins) {
    if (!(plugin.requires ?? []).includes(IJupyterWidgetRegistry)) {
      throw new Error(`plugin ${plugin.id} does not require the widget registry token this page provides`);
    }
    await plugin.activate({}, registry);
  }
  if (!registered.some((r) => r.name === 'convlens')) throw new Error(`labextension ${name} registered no convlens widget module`);
  return registered;
}

function registerModules(m: KernelWidgetManager, extensionModules: IWidgetRegistryData[] | undefined): void {
  m.register({
    name: '@jupyter-widgets/base',
    version: base.JUPYTER_WIDGETS_VERSION,
    exports: {
      WidgetModel: base.WidgetModel,
      WidgetView: base.WidgetView,
      DOMWidgetView: base.DOMWidgetView,
      DOMWidgetModel: base.DOMWidgetModel,
      LayoutModel: base.LayoutModel,
      LayoutView: base.LayoutView,
      StyleModel: base.StyleModel,
      StyleView: base.StyleView,
      ErrorWidgetView: base.ErrorWidgetView,
    },
  });
  m.register({
    name: '@jupyter-widgets/controls',
    version: JUPYTER_CONTROLS_VERSION,
    exports: () => import('@jupyter-widgets/controls') as any,
  });
  m.register({
    name: '@jupyter-widgets/output',
    version: OUTPUT_WIDGET_VERSION,
    exports: { OutputModel, OutputView },
  });
  if (extensionModules) {
    extensionModules.forEach((data) => m.register(data));
    return;
  }
  const c = convlens as any;
  if (c.MODULE_NAME) {
    m.register({ name: c.MODULE_NAME, version: c.PACKAGE_VERSION, exports: c });
  }
}

/**
 * Start a kernel of the given kernelspec and attach the widget manager to it, with the convlens
 * widget module from `widgets` (bundled into this page, or the installed labextension).
 */
async function start(kernelName: string, widgets: WidgetSource = 'bundled'): Promise<{ kernelId: string; convlensModule: string | null }> {
  const extensionModules = widgets === 'labextension' ? await loadLabExtension('convlens') : undefined;
  const kernelManager = new KernelManager({ serverSettings: serverSettings() });
  kernel = await kernelManager.startNew({ name: kernelName });
  await kernel.info;
  rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  manager = new KernelWidgetManager(kernel, rendermime);
  registerModules(manager, extensionModules);
  const m = manager;
  rendermime.addFactory(
    { safe: false, mimeTypes: [WIDGET_VIEW_MIMETYPE], createRenderer: (options) => new WidgetRenderer(options, m) },
    -10,
  );
  kernel.iopubMessage.connect((_, msg) => {
    if (msg.header.msg_type === 'error') log.push(`kernel error: ${JSON.stringify(msg.content)}`);
  });
  if (extensionModules) {
    const data = extensionModules.find((r) => r.name === 'convlens')!;
    return { kernelId: kernel.id, convlensModule: `${data.name}@${data.version} (labextension)` };
  }
  const c = convlens as any;
  return { kernelId: kernel.id, convlensModule: c.MODULE_NAME ? `${c.MODULE_NAME}@${c.PACKAGE_VERSION}` : null };
}

/** Run `code` as a new cell; its outputs render in a trusted output area at the page bottom. */
async function run(code: string): Promise<CellResult> {
  if (!kernel || !rendermime) throw new Error('convlensPage.start() first');
  const index = cellCount++;
  const model = new OutputAreaModel({ trusted: true });
  const area = new OutputArea({ model, rendermime });
  const cell = document.createElement('div');
  cell.className = 'convlens-test-cell';
  cell.dataset.cell = String(index);
  document.getElementById('cells')!.appendChild(cell);
  Widget.attach(area, cell);
  const future = kernel.requestExecute({ code, stop_on_error: true });
  area.future = future;
  const reply = (await future.done);
  const outputs = model.toJSON();
  let text = '';
  for (const o of outputs) {
    if (o.output_type === 'stream') text += Array.isArray(o.text) ? o.text.join('') : typeof o.text === 'string' ? o.text : '';
  }
  const content = reply.content as any;
  const result: CellResult = { index, status: content.status, text, outputs };
  if (content.status === 'error') result.error = { ename: content.ename, evalue: content.evalue };
  return result;
}

/** Shut the kernel down and dispose the widget manager. */
async function shutdown(): Promise<void> {
  manager?.dispose();
  if (kernel && !kernel.isDisposed) {
    await kernel.shutdown();
    kernel.dispose();
  }
  kernel = undefined;
}

(window as any).convlensPage = { start, run, shutdown, log };
document.body.dataset.ready = 'true';
