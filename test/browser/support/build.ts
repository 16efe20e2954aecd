/**
 * What the browser tests need built, built on demand (CI runs `npm ci && npm test` with no build
 * step): the library in dist/ (the kernel runs from there), the AMD widget bundles (nbextension/,
 * dist/embed/convlens.js), the JupyterLab labextension (labextension/), and the live-test page.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureLibraryBuilt } from '../../kernel/python-harness';

const REPO = path.resolve(__dirname, '../../..');

/** Newest modification time of the files under `dir` (recursively). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** The AMD bundles `npm run build:widgets` makes, rebuilt when missing or older than widgets/. */
export const WIDGET_BUNDLES = ['nbextension/extension.js', 'nbextension/index.js', 'dist/embed/convlens.js'].map((f) =>
  path.join(REPO, f),
);

/** Newest change to the browser-side sources (widgets/, the state and colour maps shared with the kernel, the webpack config). */
function widgetSources(): number {
  return Math.max(
    newest(path.join(REPO, 'widgets')),
    newest(path.join(REPO, 'kernel-lib', 'widgets', 'state')),
    fs.statSync(path.join(REPO, 'kernel-lib', 'render', 'colormaps.ts')).mtimeMs,
    fs.statSync(path.join(REPO, 'webpack.config.js')).mtimeMs,
  );
}

function ensureWidgetBundlesBuilt(): void {
  const sources = widgetSources();
  const stale = WIDGET_BUNDLES.some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < sources);
  if (!stale) return;
  const lock = path.join(os.tmpdir(), 'convlens-widgets-build.lock');
  const r = spawnSync('flock', [lock, 'npm', 'run', 'build:widgets'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
  const missing = WIDGET_BUNDLES.filter((f) => !fs.existsSync(f));
  if (r.status !== 0 || missing.length) throw new Error(`npm run build:widgets failed (${missing.join(', ')}):\n${r.stdout}\n${r.stderr}`);
}

/** The labextension's remoteEntry (from labextension/package.json), or undefined when not built. */
function labExtensionEntry(): string | undefined {
  const manifest = path.join(REPO, 'labextension/package.json');
  if (!fs.existsSync(manifest)) return undefined;
  const load = JSON.parse(fs.readFileSync(manifest, 'utf8')).jupyterlab?._build?.load;
  const entry = load && path.join(REPO, 'labextension', load);
  return entry && fs.existsSync(entry) ? entry : undefined;
}

function ensureLabExtensionBuilt(): void {
  const entry = labExtensionEntry();
  if (entry && fs.statSync(entry).mtimeMs >= widgetSources()) return;
  const lock = path.join(os.tmpdir(), 'convlens-labextension-build.lock');
  const r = spawnSync('flock', [lock, 'npm', 'run', 'build:labextension'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0 || !labExtensionEntry()) throw new Error(`npm run build:labextension failed:\n${r.stdout}\n${r.stderr}`);
}

/** Build the library, the widget bundles and the labextension when they are missing or stale. */
export function ensureBuilt(): void {
  ensureLibraryBuilt();
  ensureWidgetBundlesBuilt();
  ensureLabExtensionBuilt();
}

/**
 * Build the live-test page bundle into `outDir` (webpack, with a filesystem cache: a few seconds
 * when warm). Each test run builds its own copy, so runs side by side do not serve each other's
 * half-written files.
 */
export function buildLabPage(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      path.join(REPO, 'node_modules/webpack-cli/bin/cli.js'),
      '--config', path.join(REPO, 'test/browser/lab-page/webpack.config.js'),
      '--output-path', outDir,
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 },
  );
}
