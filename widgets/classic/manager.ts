/**
 * An ipywidgets 8 widget manager for the classic Notebook (6.x / nbclassic), built on
 * @jupyter-widgets/base-manager. Debian's widgetsnbextension is ipywidgets 6 and cannot draw
 * @jupyter-widgets/base 6 models, so convlens brings this one: it speaks protocol 2.1 over the
 * classic kernel's comms and knows the base, controls, output and convlens modules; other modules
 * are loaded through requirejs (as classic widget libraries expect).
 */
import * as base from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as controls from '@jupyter-widgets/controls';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as convlens from '../index';
import { attachWhenConnected } from './attach';
import type { ClassicKernel, ClassicNotebook } from './classic-types';
import * as output from './output';

let CommClass: (new (target: string, commId?: string) => any) | undefined;

/** Give the manager the classic `Comm` class (from requirejs `services/kernels/comm`). */
export function setCommClass(cls: new (target: string, commId?: string) => any): void {
  CommClass = cls;
}

let controlsCssLoaded = false;

function loadControlsCss(): void {
  if (controlsCssLoaded) return;
  controlsCssLoaded = true;
  /* eslint-disable @typescript-eslint/no-require-imports -- CSS, injected by webpack's style-loader when required */
  require('@jupyter-widgets/base/css/index.css');
  require('@jupyter-widgets/controls/css/widgets-base.css');
  // Classic Notebook has no JupyterLab CSS variables: define them (unless a theme already did).
  if (getComputedStyle(document.documentElement).getPropertyValue('--jp-layout-color0') === '') {
    require('@jupyter-widgets/controls/css/labvariables.css');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** requirejs as the classic Notebook defines it on window. */
function requirejsLoad(moduleName: string): Promise<any> {
  const req = (window as any).requirejs ?? (window as any).require;
  if (!req) return Promise.reject(new Error(`convlens: cannot load module ${moduleName}: no requirejs on the page`));
  return new Promise((resolve, reject) => req([moduleName], resolve, reject));
}

export type { ClassicKernel, ClassicNotebook };

/** The ipywidgets 8 manager of one classic notebook (one kernel). */
export class ClassicWidgetManager extends ManagerBase {
  private views = new Set<base.DOMWidgetView>();

  constructor(
    readonly kernel: ClassicKernel,
    readonly notebook: ClassicNotebook,
  ) {
    super();
    window.addEventListener('resize', () => {
      this.views.forEach((v) => MessageLoop.postMessage(v.luminoWidget, Widget.ResizeMessage.UnknownSize));
    });
  }

  /** Take over the `jupyter.widget` comm target of this kernel and restore widgets already open. */
  async connect(): Promise<void> {
    this.takeCommTarget();
    try {
      await this._loadFromKernel();
    } catch (err) {
      console.warn('convlens: could not restore widgets from the kernel', err);
    }
  }

  /** Handle `comm_open` on `jupyter.widget` (again, if another extension registered since). */
  takeCommTarget(): void {
    this.kernel.comm_manager.register_target(this.comm_target_name, (comm: any, msg: any) => {
      void this.handle_comm_open(comm, msg);
    });
  }

  /** Draw the view of `modelId` into `el` (used by the output-area renderer). */
  async displayModel(modelId: string, el: HTMLElement): Promise<base.DOMWidgetView> {
    const model = await this.get_model(modelId);
    const view = await this.create_view<base.DOMWidgetView>(model, {});
    await attachWhenConnected(view.luminoWidget, el);
    this.views.add(view);
    view.once('remove', () => this.views.delete(view));
    return view;
  }

  /** Load a model or view class by module name and version. */
  protected async loadClass(className: string, moduleName: string, moduleVersion: string): Promise<any> {
    const module = await this.loadModule(moduleName, moduleVersion);
    const cls = module[className];
    if (!cls) throw new Error(`convlens: class ${className} not found in module ${moduleName}@${moduleVersion}`);
    return cls;
  }

  private async loadModule(moduleName: string, moduleVersion: string): Promise<any> {
    switch (moduleName) {
      case '@jupyter-widgets/base':
        return base;
      case '@jupyter-widgets/controls':
        loadControlsCss();
        return controls;
      case '@jupyter-widgets/output':
        return output;
      case convlens.MODULE_NAME:
        return convlens;
      default:
        return requirejsLoad(moduleName).catch(() => {
          throw new Error(`convlens: cannot load widget module ${moduleName}@${moduleVersion}`);
        });
    }
  }

  /** Open a comm from the frontend (a widget created in the browser). */
  // ManagerBase declares this async; the classic comm manager answers synchronously.
  // eslint-disable-next-line @typescript-eslint/require-await
  protected async _create_comm(
    target: string,
    modelId?: string,
    data?: any,
    metadata?: any,
    buffers?: ArrayBuffer[] | ArrayBufferView[],
  ): Promise<any> {
    if (data === undefined && metadata === undefined && modelId && CommClass) {
      // A comm the kernel already has (restoring widgets): register it without a new comm_open.
      const comm = new CommClass(target, modelId);
      this.kernel.comm_manager.register_comm(comm);
      return comm;
    }
    return this.kernel.comm_manager.new_comm(target, data, {}, metadata, modelId, buffers);
  }

  /** The open `jupyter.widget` comms of the kernel: `{comm_id: {target_name}}`. */
  protected _get_comm_info(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.kernel.comm_info(this.comm_target_name, (msg: any) => resolve(msg?.content?.comms ?? {}));
    });
  }
}
