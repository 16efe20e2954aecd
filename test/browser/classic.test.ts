/// <reference lib="dom" />
/**
 * Classic browser test: Debian's Jupyter Notebook 6.4 with the convlens nbextension (installed by
 * `convlens install --prefix`; it brings its own ipywidgets 8 manager) renders an IntSlider, a
 * FilterGrid, labels and a progress bar from the convlens kernel in chromium, with convlens's
 * manager the only one on the page (Debian's ipywidgets 6 extension, when installed, is switched
 * off by convlens's configuration), no clipped label, and the widgets restored from the state
 * saved in the notebook when it is opened again with a fresh kernel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectDrawnGrid, expectFilterGridShown, FILTER_GRID_CELL, SLIDER_CELL } from './support/cells';
import { launchBrowser, Browser, screenshot } from './support/chromium';
import { makeJupyterEnv, tearDown, notebookJson, shutdownKernels, startClassicNotebook, JupyterEnv, Server } from './support/jupyter';

let jenv: JupyterEnv;
let server: Server;
let browser: Browser;

/** The texts that Debian's ipywidgets 6 CSS cut to 72 px, and a progress bar's status line. */
const LABELS = ['receptive field', 'Integrated Gradients', 'P(class) with patch'];
const LABEL_CELL = `new lens.HBox(${JSON.stringify(LABELS)}.map((value) => new lens.VBox([new lens.Label({ value })])))`;
const PROGRESS_CELL = `for await (const _ of lens.progress(40, { description: "optimizing", display: "widget" })) await new Promise((r) => setTimeout(r, 1));`;
const CELLS = [FILTER_GRID_CELL, SLIDER_CELL, LABEL_CELL, PROGRESS_CELL];

beforeAll(async () => {
  jenv = makeJupyterEnv('classic');
  fs.writeFileSync(path.join(jenv.notebookDir, 'classic.ipynb'), JSON.stringify(notebookJson(CELLS)));
  server = await startClassicNotebook(jenv);
  browser = await launchBrowser();
}, 120_000);

afterEach(() => {
  expect(browser.externalRequests).toEqual([]);
  browser.expectNoErrors();
  // One widget manager: neither Debian's ipywidgets 6 extension nor its version check ran.
  const other = browser.consoleLines.filter((l) => /jupyter-js-widgets|cross validate|Widgets are not available/.test(l));
  expect(other).toEqual([]);
});

afterAll(async () => {
  try {
    if (server) await shutdownKernels(server);
  } finally {
    await tearDown(jenv, browser, server);
  }
}, 60_000);

/** Open the notebook and wait until its (fresh) kernel is connected. */
async function openNotebook(): Promise<void> {
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
}

test('the nbextension renders a FilterGrid, an IntSlider, labels and a progress bar in Notebook 6, nothing clipped', async () => {
  const page = browser.page;
  await openNotebook();
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
  const slider = page.locator('.output_area .widget-slider').first();
  await slider.waitFor({ timeout: 60_000 }).catch(async (e) => {
    await screenshot(page, 'classic-failed.png');
    throw new Error(`${e}\n${browser.errors.join('\n')}\n${browser.consoleLines.join('\n')}`);
  });
  expect(await page.locator('.output_area .widget-readout').first().textContent()).toBe('7');
  await expectFilterGridShown(page.locator('.output_area .convlens-filter-grid').first(), page, 'classic.png');
  await page.locator('.output_area .widget-label', { hasText: /^40\/40/ }).waitFor({ timeout: 60_000 });
  // Every label shows its whole text (the old CSS cut them to 72 px).
  const labels = await page.locator('.output_area .widget-label').evaluateAll((els) =>
    els.map((el) => ({ text: el.textContent, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth })),
  );
  expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining([...LABELS, expect.stringMatching(/^40\/40 · /)]));
  for (const l of labels) expect(`${l.text}: ${l.scrollWidth}`).toBe(`${l.text}: ${Math.min(l.scrollWidth, l.clientWidth)}`);
  await screenshot(page, 'classic-labels.png');
});

test('saved with its widget state, the notebook shows the widgets when opened again with a fresh kernel', async () => {
  const page = browser.page;
  await page.locator('#convlens_save_widget_state a').evaluate((a: HTMLElement) => a.click());
  await page.waitForFunction(() => {
    const nb = (window as any).Jupyter.notebook;
    return !nb.dirty && Object.keys(nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {}).length > 0;
  }, null, { timeout: 30_000 });
  await shutdownKernels(server);
  await openNotebook();
  // Nothing was run in the new kernel: the views come from the notebook's saved state.
  expect(await page.evaluate(() => (window as any).Jupyter.notebook.get_cells().map((c: any) => c.input_prompt_number ?? null))).toEqual([1, 2, 3, 4]);
  const grid = page.locator('.output_area .convlens-filter-grid').first();
  await grid.locator('.cl-tile').nth(7).waitFor({ timeout: 30_000 });
  await expectDrawnGrid(grid);
  expect(await page.locator('.output_area .widget-readout').first().textContent()).toBe('7');
  expect(await page.locator('.output_area .widget-label').allTextContents()).toEqual(expect.arrayContaining(LABELS));
  const shot = await screenshot(page, 'classic-restored.png');
  expect(shot.variance).toBeGreaterThan(10);
});
