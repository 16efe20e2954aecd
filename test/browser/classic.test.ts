/// <reference lib="dom" />
/**
 * Classic browser test: Debian's Jupyter Notebook 6.4 with the convlens nbextension (installed by
 * `convlens install --prefix`; it brings its own ipywidgets 8 manager) renders an IntSlider and a
 * FilterGrid from the convlens kernel in chromium.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectFilterGridShown, FILTER_GRID_CELL, SLIDER_CELL } from './support/cells';
import { CLASSIC_NOTEBOOK_NOISE, launchBrowser, Browser, screenshot } from './support/chromium';
import { makeJupyterEnv, tearDown, notebookJson, shutdownKernels, startClassicNotebook, JupyterEnv, Server } from './support/jupyter';

let jenv: JupyterEnv;
let server: Server;
let browser: Browser;

const CELLS = [FILTER_GRID_CELL, SLIDER_CELL];

beforeAll(async () => {
  jenv = makeJupyterEnv('classic');
  fs.writeFileSync(path.join(jenv.notebookDir, 'classic.ipynb'), JSON.stringify(notebookJson(CELLS)));
  server = await startClassicNotebook(jenv);
  browser = await launchBrowser();
}, 120_000);


afterEach(() => {
  browser.expectNoErrors(CLASSIC_NOTEBOOK_NOISE);
});

afterAll(async () => {
  try {
    if (server) await shutdownKernels(server);
  } finally {
    await tearDown(jenv, browser, server);
  }
}, 60_000);

test('the nbextension renders a FilterGrid and an IntSlider in Notebook 6', async () => {
  const page = browser.page;
  await page.goto(`${server.baseUrl}/notebooks/classic.ipynb?token=${server.token}`);
  await page
    .waitForFunction(() => {
      const nb = (window as any).Jupyter?.notebook;
      return nb?.kernel?.is_connected() && nb.kernel.info_reply?.status === 'ok';
    }, null, { timeout: 60_000 })
    .catch((e) => {
      throw new Error(`kernel did not connect: ${e}\n${browser.errors.join('\n')}`);
    });
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
  const slider = page.locator('.output_area .widget-slider').first();
  await slider.waitFor({ timeout: 60_000 }).catch(async (e) => {
    await screenshot(page, 'classic-failed.png');
    throw new Error(`${e}\n${browser.errors.join('\n')}\n${browser.consoleLines.join('\n')}`);
  });
  expect(await page.locator('.output_area .widget-readout').first().textContent()).toBe('7');
  await expectFilterGridShown(page.locator('.output_area .convlens-filter-grid').first(), page, 'classic.png');
  expect(browser.externalRequests).toEqual([]);
});
