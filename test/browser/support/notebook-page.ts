/**
 * An executed notebook (with its saved widget state) exported to HTML by nbconvert as in the
 * static recipe, served from a local folder and opened in chromium: the widgets render offline
 * from the saved state, with the convlens AMD bundle (dist/embed/convlens.js) next to the page
 * (exported and copied by scripts/lectures/site.ts, as `npm run lectures` does).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuiltParts } from '../../kernel/python-harness';
import { copyAssets, exportHtml } from '../../../scripts/lectures/site';
import { launchBrowser, type Browser } from './chromium';
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
  // The page and its offline assets as `npm run lectures` writes them.
  exportHtml(site, name);
  copyAssets(site);
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
