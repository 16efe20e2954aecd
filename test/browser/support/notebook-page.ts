/**
 * An executed notebook (with its saved widget state) exported to HTML by nbconvert as in the
 * static recipe, served from a local folder and opened in chromium: the widgets render offline
 * from the saved state, with the convlens AMD bundle (dist/embed/convlens.js) next to the page.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuiltParts } from '../../kernel/python-harness';
import { launchBrowser, type Browser } from './chromium';
import { REPO, SYSTEM_PYTHON } from './jupyter';
import { serveStatic } from './static-server';

/** A notebook page open in chromium; `close()` closes the browser and server and removes the folder. */
export interface NotebookPage {
  browser: Browser;
  close: () => Promise<void>;
}

/** Export `nb` (an executed notebook's JSON) to `<name>.html` with its widget state and open it in a fresh chromium. */
export async function openNotebookPage(nb: unknown, name: string): Promise<NotebookPage> {
  ensureBuiltParts(['widgets']);
  const site = fs.mkdtempSync(path.join(os.tmpdir(), `convlens-${name}-html-`));
  fs.writeFileSync(path.join(site, `${name}.ipynb`), JSON.stringify(nb));
  execFileSync(SYSTEM_PYTHON, ['-m', 'nbconvert', '--to', 'html', '--HTMLExporter.widget_renderer_url=embed-amd.js', '--HTMLExporter.require_js_url=require.min.js',
    '--HTMLExporter.mathjax_url=no-mathjax.js', `--output-dir=${site}`, `--output=${name}`, path.join(site, `${name}.ipynb`)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  fs.cpSync(path.join(REPO, 'node_modules/@jupyter-widgets/html-manager/dist'), site, { recursive: true });
  fs.copyFileSync('/usr/share/javascript/requirejs/require.min.js', path.join(site, 'require.min.js'));
  fs.copyFileSync(path.join(REPO, 'dist/embed/convlens.js'), path.join(site, 'convlens.js'));
  fs.writeFileSync(path.join(site, 'no-mathjax.js'), '// no MathJax offline: an empty stand-in (for notebooks without math)\n');
  const browser = await launchBrowser();
  const server = await serveStatic({ '/': site });
  const close = async () => {
    await browser.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  };
  try {
    await browser.page.goto(`${server.baseUrl}/${name}.html`);
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, close };
}
