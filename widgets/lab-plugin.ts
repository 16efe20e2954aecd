/**
 * The JupyterLab 4 / Notebook 7 plugin: registers the `convlens` widget module with the
 * ipywidgets registry of @jupyter-widgets/jupyterlab-manager. The module itself is loaded lazily,
 * the first time a convlens widget is shown.
 */
import { ExportMap, IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import { MODULE_NAME, PACKAGE_VERSION } from './version';

/** The plugin object JupyterLab loads from the federated extension. */
const convlensPlugin = {
  id: 'convlens:widgets',
  description: 'convlens widgets: filter grids, heatmaps and charts for looking inside CNNs.',
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate: (_app: unknown, registry: IJupyterWidgetRegistry): void => {
    registry.registerWidget({
      name: MODULE_NAME,
      version: PACKAGE_VERSION,
      exports: async () => (await import('./index')) as unknown as ExportMap,
    });
  },
};

export default convlensPlugin;
