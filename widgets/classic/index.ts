/**
 * Entry of `nbextensions/convlens/extension.js`, the classic Notebook extension bundle: the
 * ipywidgets 8 manager (with base, controls, output and convlens inside) and its loader.
 */
export { load_ipython_extension, widgetManager, WIDGET_VIEW_MIMETYPE } from './extension';
export { ClassicWidgetManager } from './manager';
