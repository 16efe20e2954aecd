/**
 * The one webpack configuration of convlens's browser bundles.
 *
 * `webpack` (npm run build:widgets) builds the AMD bundles:
 *   nbextension/extension.js  classic Notebook 6 / nbclassic extension: its own ipywidgets 8
 *                             manager with @jupyter-widgets/base, controls, output and convlens
 *   nbextension/index.js      the `convlens` widget module as an anonymous AMD module, for
 *                             requirejs loaders (VS Code looks here); @jupyter-widgets/base external
 *   dist/embed/convlens.js    the same module as the named AMD module `convlens`, for
 *                             @jupyter-widgets/html-manager's embed-amd.js (static HTML export)
 *
 * `build-labextension` (npm run build:labextension) builds the JupyterLab 4 / Notebook 7
 * federated extension into labextension/; it requires this file through package.json's
 * `jupyterlab.webpackConfig` and merges in {@link labExtras} (TypeScript, the version constant,
 * and the widget module as the package's shared entry instead of the kernel library).
 */
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const TerserPlugin = require('terser-webpack-plugin');
// Read afresh: build-labextension edits its own require()d copy (it deletes unshared packages).
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));

const root = __dirname;
const widgetModule = path.join(root, 'widgets', 'index.ts');

const typescript = {
  test: /\.ts$/,
  loader: 'ts-loader',
  // Type checking is `npm run check:widgets` (tsc); the bundles only transpile, which is 5x faster.
  options: { configFile: path.join(root, 'widgets', 'tsconfig.json'), transpileOnly: true },
};
const css = { test: /\.css$/, use: ['style-loader', 'css-loader'] };
const assets = { test: /\.(woff2?|ttf|eot|svg|png|gif)$/, type: 'asset/inline' };
const version = new webpack.DefinePlugin({ CONVLENS_VERSION: JSON.stringify(pkg.version) });
const resolve = { extensions: ['.ts', '.js'] };
// esbuild minifies the Plotly-sized bundles far faster than terser, for nearly the same size.
const optimization = { minimizer: [new TerserPlugin({ minify: TerserPlugin.esbuildMinify, terserOptions: {} })] };
const jupyterWidgetsBase = { '@jupyter-widgets/base': '@jupyter-widgets/base' };

/** An AMD bundle in one file (requirejs loaders cannot be relied on to find extra chunks). */
function amdBundle({ entry, outDir, filename, name, externals = {} }) {
  return {
    name: `${path.basename(outDir)}/${filename}`,
    mode: 'production',
    entry,
    output: {
      path: path.join(root, outDir),
      filename,
      library: name ? { type: 'amd', name } : { type: 'amd' },
      publicPath: '',
      clean: false,
    },
    externals,
    resolve,
    module: { rules: [typescript, css, assets] },
    plugins: [version, new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    optimization,
    devtool: false,
    performance: { hints: false },
    // One line per bundle on success (the module-by-module report was ~150 lines per build).
    stats: { preset: 'errors-warnings', timings: true },
  };
}

const amdBundles = [
  amdBundle({ entry: path.join(root, 'widgets', 'classic', 'index.ts'), outDir: 'nbextension', filename: 'extension.js' }),
  amdBundle({ entry: widgetModule, outDir: 'nbextension', filename: 'index.js', externals: jupyterWidgetsBase }),
  amdBundle({ entry: widgetModule, outDir: 'dist/embed', filename: 'convlens.js', name: 'convlens', externals: jupyterWidgetsBase }),
];

/**
 * What build-labextension merges into its federated config. Its `./index` expose and the shared
 * `convlens` module point at package.json's `main` (the kernel library); in the browser they
 * must be the widget module.
 */
function labExtras() {
  const shared = (pkg.jupyterlab && pkg.jupyterlab.sharedPackages) || {};
  const unlisted = Object.keys(pkg.dependencies || {}).filter((d) => !(d in shared));
  if (unlisted.length) {
    throw new Error(
      `convlens labextension: package.json dependencies ${unlisted.join(', ')} are not in jupyterlab.sharedPackages; ` +
        `build-labextension would bundle them. Add each (false for kernel-only packages): ` +
        `npm pkg set 'jupyterlab.sharedPackages.NAME=false' --json`,
    );
  }
  const kernelMain = path.join(root, pkg.main);
  return {
    resolve,
    module: { rules: [typescript] },
    optimization,
    // The Plotly chunk is loaded lazily, when a chart is first shown: its size is expected.
    performance: { hints: false },
    plugins: [
      version,
      new webpack.NormalModuleReplacementPlugin(/\.js$/, (resource) => {
        if (path.resolve(resource.context || '', resource.request) === kernelMain) resource.request = widgetModule;
      }),
    ],
  };
}

const calledByLabBuilder = /build-labextension/.test((require.main && require.main.filename) || '');
module.exports = calledByLabBuilder ? labExtras() : amdBundles;
