/**
 * What the browser tests need built, built on demand (CI runs `npm ci && npm test` with no build
 * step): the library in dist/ (the kernel runs from there), the AMD widget bundles (nbextension/,
 * dist/embed/convlens.js), and the live-test page.
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

function ensureWidgetBundlesBuilt(): void {
  const sources = Math.max(newest(path.join(REPO, 'widgets')), fs.statSync(path.join(REPO, 'webpack.config.js')).mtimeMs);
  const stale = WIDGET_BUNDLES.some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < sources);
  if (!stale) return;
  const lock = path.join(os.tmpdir(), 'convlens-widgets-build.lock');
  const r = spawnSync('flock', [lock, 'npm', 'run', 'build:widgets'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
  const missing = WIDGET_BUNDLES.filter((f) => !fs.existsSync(f));
  if (r.status !== 0 || missing.length) throw new Error(`npm run build:widgets failed (${missing.join(', ')}):\n${r.stdout}\n${r.stderr}`);
}

/** Build the library and the widget bundles when they are missing or stale. */
export function ensureBuilt(): void {
  ensureLibraryBuilt();
  ensureWidgetBundlesBuilt();
}

/** Build the live-test page bundle (webpack, with a filesystem cache: a few seconds when warm). */
export function buildLabPage(): void {
  execFileSync(
    process.execPath,
    [path.join(REPO, 'node_modules/webpack-cli/bin/cli.js'), '--config', path.join(REPO, 'test/browser/lab-page/webpack.config.js')],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 },
  );
}
