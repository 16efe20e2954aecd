/**
 * Import rules of convlens (`npm run check:imports`, run by `npm test` and CI). Every folder of
 * kernel-lib/ may import only the folders below it; docs/architecture.md draws the layers:
 *
 *   tf.ts
 *   core/        value checks, run control, tensor helpers, the package root
 *   render/      colour maps, stretch, RGBA, PNG/JPEG, heatmaps, tiling (no model knowledge)
 *   comm/        the kernel <-> widget contract (comm transport, rich display, offline transport)
 *   data/        image files, resizing, datasets
 *   models/      loading, layers, activations, training, the zoo
 *   backend.ts, wasm-*.ts, webgpu-*.ts, kernel-fixes/   backend choice and kernel repairs (tf and core only)
 *   techniques/  common/ (shared types, targets) < attribution/ (one file per method, smooth)
 *                < cam/ (the CAM family); registry.ts and index.ts on top; later families
 *                (feature vis, feature space, units, dissection) beside them, on common/
 *   ipywidgets/  the widget protocol and the standard controls       (entry convlens/widgets)
 *   widgets/     convlens's own widgets, kernel side; widgets/state/ is shared with the browser
 *   kernel/      the Jupyter kernel                                 (entry convlens/kernel)
 *   install/, start/, index.ts   the command line and the notebook namespace (entry convlens)
 *
 * The browser bundle (widgets/ at the repository root) may import only the shared widget state
 * (kernel-lib/widgets/state/) and the colour maps (kernel-lib/render/colormaps.ts).
 */
const lib = '^kernel-lib/';
const tf = `${lib}tf\\.ts$`;
const backendFiles = `${lib}(backend|(wasm|webgpu)-[^/]+)\\.ts$`;
const folder = (name) => `${lib}${name}/`;
const any = (...paths) => `(${paths.join('|')})`;

/** `from` may import nothing in kernel-lib but `allowed` (and itself). */
function layer(name, from, allowed) {
  return {
    name: `${name}-imports-only-below`,
    comment: `${name} may import only ${allowed.length ? allowed.join(', ') : 'nothing of kernel-lib'} (see .dependency-cruiser.cjs)`,
    severity: 'error',
    from: { path: from },
    to: { path: lib, pathNot: any(from, ...allowed) },
  };
}

const core = folder('core');
const render = folder('render');
const comm = folder('comm');
const data = folder('data');
const models = folder('models');
const techniques = folder('techniques');
const ipywidgets = folder('ipywidgets');
const widgets = folder('widgets');
const state = folder('widgets/state');
const kernel = folder('kernel');
const kernelFixes = folder('kernel-fixes');
const install = folder('install');
const start = folder('start');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, between files or between folders.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('tf', tf, []),
    layer('core', core, [tf]),
    layer('render', render, [core, tf]),
    layer('comm', comm, []),
    layer('data', data, [render, core, tf]),
    layer('kernel-fixes', kernelFixes, [tf, core]),
    layer('backend', backendFiles, [kernelFixes, tf, core]),
    layer('models', models, [data, render, core, tf]),
    layer('techniques', techniques, [models, data, render, core, tf]),
    layer('techniques-common', `${techniques}common/`, [models, data, render, core, tf]),
    layer('techniques-attribution', `${techniques}attribution/`, [`${techniques}common/`, models, data, render, core, tf]),
    layer('techniques-cam', `${techniques}cam/`, [`${techniques}(common|attribution)/`, models, data, render, core, tf]),
    {
      name: 'techniques-families-below-registry',
      comment: 'A technique family (a folder of techniques/) never imports the registry or the index on top of them.',
      severity: 'error',
      from: { path: `${techniques}[^/]+/` },
      to: { path: `${techniques}[^/]+\\.ts$` },
    },
    layer('ipywidgets', ipywidgets, [comm, render, core, tf]),
    layer('widget-state', state, [`${render}colormaps\\.ts$`]),
    layer('widgets', widgets, [ipywidgets, techniques, models, data, render, comm, core, tf]),
    layer('kernel', kernel, [ipywidgets, comm, core]),
    layer('install', install, [kernel, core]),
    layer('start', start, [install, kernel, backendFiles, kernelFixes, techniques, models, data, render, core, tf]),
    {
      name: 'browser-imports-only-shared-state',
      comment: 'The browser bundle may import only kernel-lib/widgets/state/ and kernel-lib/render/colormaps.ts of kernel-lib.',
      severity: 'error',
      from: { path: '^widgets/' },
      to: { path: lib, pathNot: any(state, `${render}colormaps\\.ts$`) },
    },
    {
      name: 'kernel-lib-not-browser',
      comment: 'kernel-lib never imports the browser bundle.',
      severity: 'error',
      from: { path: lib },
      to: { path: '^widgets/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(kernel-lib|widgets)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
