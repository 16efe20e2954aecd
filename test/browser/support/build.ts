/**
 * What the browser tests need built, built on demand (CI runs `npm ci && npm test` with no build
 * step): the library in dist/ (the kernel runs from there), the AMD widget bundles (nbextension/,
 * dist/embed/convlens.js), the JupyterLab labextension (labextension/), and the live-test page.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { ensureBuiltParts } from '../../kernel/python-harness';

const REPO = path.resolve(__dirname, '../../..');

/** Build the library, the widget bundles and the labextension when they are missing or stale (bin/build-if-stale.js). */
export function ensureBuilt(): void {
  ensureBuiltParts(['lib', 'widgets', 'labextension']);
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
