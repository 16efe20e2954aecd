/**
 * Constants of the Jupyter widgets message protocol (ipywidgets 8) and the module versions of the
 * standard models (@jupyter-widgets/base 2.0.0, controls 2.0.0, output 1.0.0).
 */

/** Version of the widget message protocol spoken, sent in `comm_open` metadata. */
export const WIDGET_PROTOCOL_VERSION = '2.1.0';
/** Version of the control protocol (`jupyter.widget.control`, `request_states`). */
export const WIDGET_CONTROL_PROTOCOL_VERSION = '1.0.0';
/** Comm target of widget models. */
export const WIDGET_TARGET = 'jupyter.widget';
/** Comm target through which a frontend fetches all widget states at once. */
export const WIDGET_CONTROL_TARGET = 'jupyter.widget.control';
/** MIME type that displays a widget view. */
export const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
/** MIME type of saved widget state (notebook `metadata.widgets`). */
export const WIDGET_STATE_MIMETYPE = 'application/vnd.jupyter.widget-state+json';
/** Prefix that turns a model id into a reference inside another model's state. */
export const MODEL_REF_PREFIX = 'IPY_MODEL_';

/** npm module and semver of the base models (LayoutModel, DOMWidgetModel). */
export const BASE_MODULE = { module: '@jupyter-widgets/base', version: '2.0.0' } as const;
/** npm module and semver of the controls models (sliders, buttons, boxes...). */
export const CONTROLS_MODULE = { module: '@jupyter-widgets/controls', version: '2.0.0' } as const;
/** npm module and semver of the Output model. */
export const OUTPUT_MODULE = { module: '@jupyter-widgets/output', version: '1.0.0' } as const;

/** The six identity keys every widget state carries; fixed at creation. */
export interface ModelIdentity {
  _model_module: string;
  _model_module_version: string;
  _model_name: string;
  _view_module: string | null;
  _view_module_version: string;
  _view_name: string | null;
}

/** Names of the identity keys. */
export type IdentityKey = keyof ModelIdentity;

/**
 * Build the identity keys of a model. Custom widgets use it with their own module, e.g.
 * `modelIdentity({ module: 'convlens', version: '0.1.0' }, 'FilterGridModel', 'FilterGridView')`.
 * `viewModule` defaults to `module` (pass `null` view for models without a view, e.g. styles).
 */
export function modelIdentity(
  module: { module: string; version: string },
  modelName: string,
  viewName: string | null,
  viewModule: { module: string; version: string } = module,
): ModelIdentity {
  return {
    _model_module: module.module,
    _model_module_version: module.version,
    _model_name: modelName,
    _view_module: viewModule.module,
    _view_module_version: viewModule.version,
    _view_name: viewName,
  };
}

/** True for the identity keys (which are immutable after creation). */
export function isIdentityKey(key: string): key is IdentityKey {
  return key.startsWith('_model_') || key.startsWith('_view_');
}
