/// <reference lib="dom" />
/**
 * The classic Notebook extension beyond first render (Debian's Notebook 6.4, convlens kernel):
 * File > Save Notebook Widget State stores the FilterGrid in the notebook with its tiles as a
 * binary buffer, and reloading the page brings the widgets back from the running kernel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, launchBrowser, screenshot } from '../browser/support/chromium';
import { FILTER_GRID_CELL } from '../browser/support/cells';
import { JupyterEnv, leftoverKernels, makeJupyterEnv, notebookJson, Server, shutdownKernels, startClassicNotebook } from '../browser/support/jupyter';

let jenv: JupyterEnv;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  jenv = makeJupyterEnv('classic');
  fs.writeFileSync(path.join(jenv.notebookDir, 'state.ipynb'), JSON.stringify(notebookJson([FILTER_GRID_CELL])));
  server = await startClassicNotebook(jenv);
  browser = await launchBrowser();
}, 180_000);


afterEach(() => {
  browser.expectNoErrors();
});

afterAll(async () => {
  try {
    if (server) await shutdownKernels(server);
  } finally {
    await browser?.close();
    await server?.stop();
    const left = jenv ? await leftoverKernels(jenv) : [];
    jenv?.cleanup();
    expect(left).toEqual([]);
  }
}, 60_000);

test('saves widget state into the notebook and restores widgets after a page reload', async () => {
  const page = browser.page;
  await page.goto(`${server.baseUrl}/notebooks/state.ipynb?token=${server.token}`);
  await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.info_reply?.status === 'ok', null, { timeout: 100_000 });
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
  await page.locator('.cl-tile').nth(7).waitFor({ timeout: 100_000 });
  expect(await page.locator('#file_menu #convlens_save_widget_state a').textContent()).toBe('Save Notebook Widget State');

  await page.evaluate(() => (window as any).Jupyter.actions.call('convlens:save-with-widget-state'));
  const file = path.join(jenv.notebookDir, 'state.ipynb');
  const saved = () => JSON.parse(fs.readFileSync(file, 'utf8')).metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  for (let waited = 0; !saved() && waited < 20_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
  const grid = Object.values(saved().state).find((m: any) => m.model_name === 'FilterGridModel') as any;
  expect(grid.model_module).toBe('convlens');
  // 8 filters of 5x5, RGBA: kept binary (base64), not JSON-stringified to {}.
  expect(grid.buffers.map((b: any) => [b.path, Buffer.from(b.data, 'base64').length])).toEqual([[['images'], 8 * 5 * 5 * 4]]);
  expect(grid.state.images).toBeUndefined();

  await page.reload();
  await page.locator('.cl-tile').nth(7).waitFor({ timeout: 60_000 });
  const shot = await screenshot(page, 'classic-reloaded.png');
  expect(shot.variance).toBeGreaterThan(10);
  expect(browser.externalRequests).toEqual([]);
}, 280_000);
