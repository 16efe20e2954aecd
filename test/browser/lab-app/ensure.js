#!/usr/bin/env node
// Install and build the test JupyterLab app when its lock or sources changed; print the build
// folder. The packages go to node_modules/.cache/convlens-lab-app (git-ignored, kept between runs),
// not into the project's dependencies: `npm ci` runs there only when package-lock.json changes,
// webpack only when the app's sources change. Run it under `flock` when runs may overlap
// (test/browser/support/lab-app.ts does).
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const SOURCE = __dirname;
const REPO = path.resolve(__dirname, '../../..');
const APP_DIR = path.join(REPO, 'node_modules/.cache/convlens-lab-app');
const LOCKED = ['package.json', 'package-lock.json'];
const SOURCES = [...LOCKED, 'bootstrap.js', 'index.js', 'webpack.config.js'];

/** Hash of the files that decide a step's output. */
function digest(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(SOURCE, f)));
  return h.digest('hex');
}

/** Run `step` unless the stamp file `name` holds `key`; write the key after it succeeded. */
function once(name, key, step) {
  const stamp = path.join(APP_DIR, name);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key) return false;
  fs.rmSync(stamp, { force: true });
  step();
  fs.writeFileSync(stamp, key);
  return true;
}

/** Run a command in the app folder, its output to stderr; exit on failure. */
function run(what, command, args) {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd: APP_DIR,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, CONVLENS_LAB_APP_DIR: APP_DIR },
  });
  if (r.status !== 0) {
    console.error(`${what} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
  console.error(`${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

fs.mkdirSync(APP_DIR, { recursive: true });
once('.installed', digest(LOCKED), () => {
  for (const f of LOCKED) fs.copyFileSync(path.join(SOURCE, f), path.join(APP_DIR, f));
  run('npm ci (test JupyterLab app)', 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
});
once('.built', digest(SOURCES), () => {
  for (const f of ['bootstrap.js', 'index.js']) fs.copyFileSync(path.join(SOURCE, f), path.join(APP_DIR, f));
  fs.rmSync(path.join(APP_DIR, 'build'), { recursive: true, force: true });
  const cli = path.join(REPO, 'node_modules/webpack-cli/bin/cli.js');
  run('webpack (test JupyterLab app)', process.execPath, [cli, '--config', path.join(SOURCE, 'webpack.config.js')]);
});
process.stdout.write(path.join(APP_DIR, 'build'));
