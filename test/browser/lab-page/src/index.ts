/**
 * The live-test page: a minimal JupyterLab-like frontend built from @jupyterlab/services,
 * @jupyterlab/outputarea, @jupyterlab/rendermime and JupyterLab's own widget manager
 * (@jupyter-widgets/jupyterlab-manager 5), with @jupyter-widgets/controls and the convlens
 * widgets registered. Browser tests drive it through `window.convlensPage`.
 */
import { KernelManager, KernelMessage, Kernel, ServerConnection } from '@jupyterlab/services';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import { ObservableList } from '@jupyterlab/observables';
import * as base from '@jupyter-widgets/base';
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

// package.json's overrides pin @jupyterlab/observables to ~4.5.0 (the JupyterLab 2-era 4.x line,
// built on lumino 1), while @jupyterlab/outputarea 4.5 wants ^5.5 and iterates its ObservableList
// with for...of. Until the pin is corrected, give the old list the iterator the new one has.
const listProto = ObservableList.prototype as any;
if (!listProto[Symbol.iterator]) {
  listProto[Symbol.iterator] = function* (this: ObservableList<unknown>) {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  };
}

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

let kernel: Kernel.IKernelConnection | undefined;
let manager: KernelWidgetManager | undefined;
let rendermime: RenderMimeRegistry | undefined;
let cellCount = 0;
const log: string[] = [];

function serverSettings(): ServerConnection.ISettings {
  const query = new URLSearchParams(window.location.search);
  const config = JSON.parse(document.getElementById('jupyter-config-data')!.textContent || '{}');
  const baseUrl = new URL(config.baseUrl || '/', window.location.href).href;
  const wsUrl = baseUrl.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({ baseUrl, wsUrl, token: query.get('token') || '', appendToken: true });
}

function registerModules(m: KernelWidgetManager): void {
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
    } as any,
  });
  m.register({
    name: '@jupyter-widgets/controls',
    version: JUPYTER_CONTROLS_VERSION,
    exports: () => import('@jupyter-widgets/controls') as any,
  });
  m.register({
    name: '@jupyter-widgets/output',
    version: OUTPUT_WIDGET_VERSION,
    exports: { OutputModel, OutputView } as any,
  });
  const c = convlens as any;
  if (c.MODULE_NAME) {
    m.register({ name: c.MODULE_NAME, version: c.PACKAGE_VERSION, exports: c as any });
  }
}

/** Start a kernel of the given kernelspec and attach the widget manager to it. */
async function start(kernelName: string): Promise<{ kernelId: string; convlensModule: string | null }> {
  const kernelManager = new KernelManager({ serverSettings: serverSettings() });
  kernel = await kernelManager.startNew({ name: kernelName });
  await kernel.info;
  rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  manager = new KernelWidgetManager(kernel, rendermime);
  registerModules(manager);
  const m = manager;
  rendermime.addFactory(
    { safe: false, mimeTypes: [WIDGET_VIEW_MIMETYPE], createRenderer: (options) => new WidgetRenderer(options, m) },
    -10,
  );
  kernel.iopubMessage.connect((_, msg) => {
    if (msg.header.msg_type === 'error') log.push(`kernel error: ${JSON.stringify(msg.content)}`);
  });
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
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  const outputs = model.toJSON();
  let text = '';
  for (const o of outputs) {
    if (o.output_type === 'stream') text += Array.isArray(o.text) ? o.text.join('') : String(o.text);
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
