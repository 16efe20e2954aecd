// Builds the test JupyterLab app (bootstrap.js → index.js) in the folder where its packages are
// installed ($CONVLENS_LAB_APP_DIR, see test/browser/support/lab-app.ts), into its build/ folder,
// which server.py serves. Like JupyterLab's examples/app, plus JupyterLab's module federation host
// setup so prebuilt (federated) extensions such as convlens's labextension share its singletons.
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const { Build } = require('@jupyterlab/builder');
const svgToMiniDataURI = require('mini-svg-data-uri');

const appDir = process.env.CONVLENS_LAB_APP_DIR;
if (!appDir) throw new Error('CONVLENS_LAB_APP_DIR (the folder the app packages are installed in) is not set');
const app = require(path.join(appDir, 'package.json'));
const modulesDir = path.join(appDir, 'node_modules');
const buildDir = path.join(appDir, 'build');

// Schemas, themes and build/style.js (the CSS of every extension) for the core extensions.
const assets = Build.ensureAssets({
  packageNames: [],
  packagePaths: app.jupyterlab.extensions.map((name) => path.join(modulesDir, name)),
  output: buildDir,
});

/** Installed packages JupyterLab shares as singletons with federated extensions. */
function sharedPackages() {
  const names = [];
  for (const scope of ['@jupyterlab', '@lumino', '@jupyter']) {
    for (const name of fs.readdirSync(path.join(modulesDir, scope))) names.push(`${scope}/${name}`);
  }
  names.push('@jupyter-widgets/base', '@jupyter-widgets/controls', 'react', 'react-dom', 'yjs');
  const shared = {};
  for (const name of names) {
    const { version } = require(path.join(modulesDir, name, 'package.json'));
    shared[name] = { singleton: true, requiredVersion: `~${version}`, version };
  }
  return shared;
}

module.exports = [
  {
    mode: 'development',
    devtool: false,
    context: appDir,
    entry: './bootstrap.js',
    output: { path: buildDir, filename: 'bundle.js', chunkFilename: '[name].[contenthash:8].js' },
    bail: true,
    resolve: {
      fallback: { url: false, buffer: false, crypto: false, path: false, process: false },
    },
    resolveLoader: { modules: [path.resolve(__dirname, '../../../node_modules'), 'node_modules'] },
    module: {
      rules: [
        { test: /\.raw\.css$/, type: 'asset/source' },
        { test: /(?<!\.raw)\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(txt|md)$/, type: 'asset/source' },
        { test: /\.(jpg|png|gif|woff2?|ttf|eot)(\?v=\d+\.\d+\.\d+)?$/, type: 'asset/resource' },
        {
          test: /\.svg(\?v=\d+\.\d+\.\d+)?$/,
          issuer: /\.css$/,
          type: 'asset',
          generator: { dataUrl: (content) => svgToMiniDataURI(content.toString()) },
        },
        { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.[jt]sx?$/, type: 'asset/source' },
        { test: /\.m?js$/, type: 'javascript/auto' },
        { test: /\.[mc]?js/, resolve: { fullySpecified: false } },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({ process: { cwd: () => '/', env: {} } }),
      new webpack.container.ModuleFederationPlugin({ name: 'CORE_FEDERATION', shared: sharedPackages() }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  },
].concat(assets.map((config) => ({ ...config, stats: 'errors-warnings' })));
