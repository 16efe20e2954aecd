// The test JupyterLab 4.5 application: the core plugins of the packages in package.json
// (`jupyterlab.extensions`), the ipywidgets manager, and every federated (prebuilt) extension the
// server lists in its page config, loaded from share/jupyter/labextensions exactly as JupyterLab's
// own index.js does. Follows JupyterLab's examples/app ("application remix").
/* global document, window, __webpack_init_sharing__, __webpack_share_scopes__ */
import { JupyterLab } from '@jupyterlab/application';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';

import './build/style.js';

/** Plugins of a module (ES or CommonJS; one plugin or a list). */
function pluginsOf(module) {
  const exports = Object.prototype.hasOwnProperty.call(module, '__esModule') ? module.default : module;
  return Array.isArray(exports) ? exports : [exports];
}

/**
 * Plugins left out: language-server ones need jupyter-lsp on the server, and the news
 * announcements need JupyterLab's Python news handler (which fetches from jupyter.org); neither
 * runs on this offline test server.
 */
const LEFT_OUT = [/language-server/, /^@jupyterlab\/apputils-extension:announcements$/];
const without = (module) => pluginsOf(module).filter(({ id }) => !LEFT_OUT.some((r) => r.test(id)));

/** Load a federated extension's remoteEntry script and initialise its container with our share scope. */
async function loadFederated(data) {
  const url = URLExt.join(PageConfig.getOption('fullLabextensionsUrl'), data.name, data.load);
  await new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB[data.name];
  await container.init(__webpack_share_scopes__.default);
  const modules = [];
  for (const key of ['extension', 'mimeExtension', 'style']) {
    if (data[key]) modules.push([key, (await container.get(data[key]))()]);
  }
  return modules;
}

async function main() {
  const core = [
    import('@jupyterlab/application-extension'),
    import('@jupyterlab/apputils-extension'),
    import('@jupyterlab/codemirror-extension'),
    import('@jupyterlab/completer-extension'),
    import('@jupyterlab/docmanager-extension'),
    import('@jupyterlab/documentsearch-extension'),
    import('@jupyterlab/filebrowser-extension'),
    import('@jupyterlab/launcher-extension'),
    import('@jupyterlab/mainmenu-extension'),
    import('@jupyterlab/markedparser-extension'),
    import('@jupyterlab/metadataform-extension'),
    import('@jupyterlab/notebook-extension'),
    import('@jupyterlab/rendermime-extension'),
    import('@jupyterlab/shortcuts-extension'),
    import('@jupyterlab/statusbar-extension'),
    import('@jupyterlab/theme-dark-extension'),
    import('@jupyterlab/theme-light-extension'),
    import('@jupyterlab/toc-extension'),
    import('@jupyterlab/translation-extension'),
    import('@jupyterlab/ui-components-extension'),
    import('@jupyter-widgets/jupyterlab-manager'),
  ];
  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]');
  const loaded = await Promise.all(federated.map(loadFederated));
  const plugins = (await Promise.all(core)).map(without).flat();
  const mimeExtensions = [];
  for (const modules of loaded) {
    for (const [key, module] of modules) {
      if (key === 'extension') plugins.push(...pluginsOf(module));
      if (key === 'mimeExtension') mimeExtensions.push(module);
    }
  }
  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPlugins(plugins);
  await lab.start();
  await lab.restored;
  // What the browser tests drive (JupyterLab's exposeAppInBrowser option does the same).
  window.jupyterapp = lab;
  window.jupyterappFederated = federated.map((d) => d.name);
  document.body.dataset.convlensLabReady = 'true';
}

main().catch((e) => {
  console.error('JupyterLab test app failed to start', e);
  throw e;
});
