#!/usr/bin/env node
// Build only what is missing or older than its sources, quietly: the library (tsc -> dist/), the
// AMD widget bundles (webpack -> nbextension/, dist/embed/) and the JupyterLab labextension.
// `npm start` runs it, and the tests do before they need a build. Prints one line per part built
// (or that all is up to date); a failing build prints its output and exits 1.
//
//   node bin/build-if-stale.js [--check] [lib] [widgets] [labextension]     (default: all three)
//
// --check only prints what it would build.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const at = (...p) => path.join(ROOT, ...p);

/** Newest modification time of the files under `dir` whose name passes `keep`. */
function newest(dir, keep = () => true) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(p, keep));
    else if (keep(entry.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

/** Newest change to what the browser bundles are built from. */
function widgetSources() {
  return Math.max(
    newest(at('widgets')),
    newest(at('kernel-lib', 'widgets', 'state')),
    mtime(at('kernel-lib', 'render', 'colormaps.ts')),
    mtime(at('webpack.config.js')),
    mtime(at('package.json')),
  );
}

/** The labextension's remoteEntry (named in labextension/package.json), or undefined. */
function labExtensionEntry() {
  const manifest = at('labextension', 'package.json');
  if (!fs.existsSync(manifest)) return undefined;
  const load = JSON.parse(fs.readFileSync(manifest, 'utf8')).jupyterlab?._build?.load;
  return load ? at('labextension', load) : undefined;
}

/** When each part was last built by this script (webpack leaves unchanged outputs untouched). */
const STAMPS = at('node_modules', '.cache', 'convlens-build');

const PARTS = {
  lib: {
    script: 'build:lib',
    outputs: () => [at('dist', 'kernel-lib', 'install', 'cli.js')],
    sources: () => Math.max(newest(at('kernel-lib'), (n) => n.endsWith('.ts')), mtime(at('tsconfig.json'))),
  },
  widgets: {
    script: 'build:widgets',
    outputs: () => ['nbextension/extension.js', 'nbextension/index.js', 'dist/embed/convlens.js'].map((f) => at(f)),
    sources: widgetSources,
  },
  labextension: {
    script: 'build:labextension',
    outputs: () => [labExtensionEntry() ?? at('labextension', 'package.json', 'no-remote-entry')],
    sources: widgetSources,
  },
};

/** Missing outputs, or sources newer than the last build (its stamp, else its oldest output). */
function isStale(name) {
  const outputs = PARTS[name].outputs();
  if (outputs.some((f) => !fs.existsSync(f))) return true;
  const stamp = path.join(STAMPS, name);
  const builtAt = fs.existsSync(stamp) ? mtime(stamp) : Math.min(...outputs.map(mtime));
  return builtAt < PARTS[name].sources();
}

const check = process.argv.includes('--check');
const asked = process.argv.slice(2).filter((a) => a !== '--check');
for (const name of asked) {
  if (!(name in PARTS)) {
    console.error(`build-if-stale: unknown part '${name}'; choose from ${Object.keys(PARTS).join(', ')}`);
    process.exit(1);
  }
}
let built = 0;
for (const name of asked.length ? asked : Object.keys(PARTS)) {
  const part = PARTS[name];
  if (!isStale(name)) continue;
  if (check) {
    console.log(`convlens: would build ${name} (npm run ${part.script})`);
    built++;
    continue;
  }
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', part.script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || part.outputs().some((f) => !fs.existsSync(f))) {
    console.error(`convlens: npm run ${part.script} failed (${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ?? ''}`);
    process.exit(1);
  }
  fs.mkdirSync(STAMPS, { recursive: true });
  fs.writeFileSync(path.join(STAMPS, name), new Date(started).toISOString());
  fs.utimesSync(path.join(STAMPS, name), new Date(started), new Date(started));
  built++;
  console.log(`convlens: built ${name} (npm run ${part.script}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
if (!built) console.log('convlens: build up to date');
