// Bundles the live-test page (src/index.ts → src/page.ts) into build/page.js, served by server.py.
// It contains JupyterLab's services, output area, rendermime and widget manager, the
// @jupyter-widgets controls and the convlens widgets module (resolved as 'convlens-widgets').
const path = require('path');
const fs = require('fs');
const webpack = require('webpack');
const svgToMiniDataURI = require('mini-svg-data-uri');

const root = path.resolve(__dirname, '../../..');
const { version } = require(path.join(root, 'package.json'));

/** The browser entry of the convlens widgets (B1's widgets/), or a stand-in while it is missing. */
function convlensWidgetsEntry() {
  const candidates = ['widgets/index.ts', 'widgets/src/index.ts', 'widgets/index.js'];
  for (const c of candidates) {
    const p = path.join(root, c);
    if (fs.existsSync(p)) return p;
  }
  return path.join(__dirname, 'src/no-convlens.ts');
}

module.exports = {
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: './src/index.ts',
  output: { path: path.join(__dirname, 'build'), filename: 'page.js', chunkFilename: '[name].page.js', clean: true },
  cache: { type: 'filesystem', cacheDirectory: path.join(root, 'node_modules/.cache/convlens-lab-page') },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    alias: { 'convlens-widgets$': convlensWidgetsEntry() },
    fallback: {
      url: false,
      buffer: false,
      crypto: false,
      path: require.resolve('path-browserify'),
      process: require.resolve('process/browser'),
    },
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        loader: 'ts-loader',
        options: { transpileOnly: true, configFile: path.join(__dirname, 'tsconfig.json') },
      },
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
  // The convlens widgets read their version from this constant (as in the main webpack config).
  plugins: [
    new webpack.DefinePlugin({ CONVLENS_VERSION: JSON.stringify(version) }),
    // Like JupyterLab's own page: provide @jupyter-widgets/base as a shared singleton, so the
    // installed (prebuilt, federated) convlens labextension can be loaded into this page.
    new webpack.container.ModuleFederationPlugin({
      name: 'convlens_test_page',
      shared: {
        '@jupyter-widgets/base': {
          singleton: true,
          requiredVersion: require(path.join(root, 'node_modules/@jupyter-widgets/base/package.json')).version,
        },
      },
    }),
  ],
  performance: { hints: false },
  stats: 'errors-warnings',
};
