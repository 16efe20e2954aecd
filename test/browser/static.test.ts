/// <reference lib="dom" />
/**
 * Static browser test: `nbconvert --to html --execute` of a notebook run in the convlens kernel
 * (widget state saved in the page), opened offline in chromium. @jupyter-widgets/html-manager's
 * prebuilt embed-amd.js, Debian's require.js and MathJax and convlens's AMD bundle
 * (dist/embed/convlens.js) are served from 127.0.0.1; every other request is blocked and fails the test.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectFilterGridShown, FILTER_GRID_CELL, SLIDER_CELL } from './support/cells';
import { launchBrowser, Browser, screenshot } from './support/chromium';
import { makeJupyterEnv, tearDown, notebookJson, JupyterEnv, REPO, SYSTEM_PYTHON } from './support/jupyter';
import { serveStatic, StaticServer } from './support/static-server';

const HTML_MANAGER_DIST = path.join(REPO, 'node_modules/@jupyter-widgets/html-manager/dist');
const CONVLENS_AMD = path.join(REPO, 'dist/embed/convlens.js');
const REQUIRE_JS = '/usr/share/javascript/requirejs/require.min.js';
const MATHJAX_DIR = '/usr/share/javascript/mathjax';

/** A small 3-class classifier and an AttributionView of one image: its class dropdown needs the kernel. */
const ATTRIBUTION_CELL = `const classifier = lens.tf.sequential({ layers: [
  lens.tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: "relu", name: "c1" }),
  lens.tf.layers.flatten(),
  lens.tf.layers.dense({ units: 3, activation: "softmax" }),
] });
const view = await lens.attributionView(classifier, lens.tf.randomUniform([1, 16, 16, 3], 0, 1, "float32", 1) as any, { classNames: ["cat", "dog", "bird"], methods: ["saliency", "gradCam"] });
await view.ready();
view`;

/** Tiny feature-space data: a TsneScatter (Start and Stop need the kernel) and a NeighborsView (k, metric, clicks). */
const TSNE_CELL = `const feats = lens.tf.randomNormal([12, 4], 0, 1, "float32", 2) as any;
const pics = lens.tf.randomUniform([12, 8, 8, 3], 0, 1, "float32", 3) as any;
const sc = await lens.tsneScatter(feats, { iterations: 5, perplexity: 3 });
sc`;
/** A TsneScatter whose Start runs UMAP, run once on the kernel: its saved state shows the UMAP layout. */
const UMAP_SCATTER_CELL = `const usc = await lens.tsneScatter(feats, { algorithm: "umap", umap: { nNeighbors: 4, nEpochs: 20, seed: 1 }, every: 5, minFrameMs: 0 });
(await usc.run())?.dispose();
usc`;
const NEIGHBORS_CELL = `const nv = await lens.neighborsView(pics, feats, { k: 3 });
await nv.ready();
nv`;
/** A UnitExplorer of the classifier's conv layer: picking a unit asks the kernel for its patches. */
const UNIT_CELL = `const ex = await lens.unitExplorer(classifier, "c1", lens.tf.randomUniform([4, 16, 16, 3], 0, 1, "float32", 4) as any);
await ex.ready();
ex`;

const CELLS = [FILTER_GRID_CELL, SLIDER_CELL, ATTRIBUTION_CELL, TSNE_CELL, UMAP_SCATTER_CELL, NEIGHBORS_CELL, UNIT_CELL];

let jenv: JupyterEnv;
let site: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  jenv = makeJupyterEnv('static');
  site = path.join(jenv.dir, 'site');
  fs.mkdirSync(site);
  const notebook = path.join(jenv.notebookDir, 'static.ipynb');
  fs.writeFileSync(notebook, JSON.stringify(notebookJson(CELLS)));
  // Relative URLs: the page finds embed-amd.js, require.js, MathJax and convlens.js next to itself.
  execFileSync(
    SYSTEM_PYTHON,
    [
      '-m', 'nbconvert', '--to', 'html', '--execute',
      '--ExecutePreprocessor.kernel_name=convlens',
      '--ExecutePreprocessor.timeout=180',
      '--ExecutePreprocessor.store_widget_state=True',
      '--HTMLExporter.widget_renderer_url=embed-amd.js',
      '--HTMLExporter.require_js_url=require.min.js',
      '--HTMLExporter.mathjax_url=mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe',
      `--output-dir=${site}`, '--output=static',
      notebook,
    ],
    { cwd: jenv.notebookDir, env: jenv.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 },
  );
  fs.cpSync(HTML_MANAGER_DIST, site, { recursive: true });
  fs.copyFileSync(REQUIRE_JS, path.join(site, 'require.min.js'));
  fs.copyFileSync(CONVLENS_AMD, path.join(site, 'convlens.js'));
  server = await serveStatic({ '/': site, '/mathjax/': MATHJAX_DIR });
  browser = await launchBrowser();
}, 300_000);


afterEach(() => {
  browser.expectNoErrors();
});

afterAll(async () => {
  await tearDown(jenv, browser, server);
});

test('the exported HTML carries the widget state of the executed notebook', () => {
  const html = fs.readFileSync(path.join(site, 'static.html'), 'utf8');
  const state = /<script type="application\/vnd\.jupyter\.widget-state\+json">([\s\S]*?)<\/script>/.exec(html);
  expect(state).not.toBeNull();
  const models = Object.values<any>(JSON.parse(state![1]).state);
  const names = models.map((m) => m.model_name);
  expect(names).toContain('IntSliderModel');
  const grid = models.find((m) => m.model_name === 'FilterGridModel');
  expect(grid?.model_module).toBe('convlens');
  expect(grid?.state.image_shape).toEqual([8, 5, 5]);
  expect(html).not.toMatch(/src="https?:\/\//);
});

test('the HTML renders the FilterGrid and the slider offline', async () => {
  const page = browser.page;
  await page.goto(`${server.baseUrl}/static.html`);
  const slider = page.locator('.widget-slider').first();
  await slider.waitFor({ timeout: 60_000 }).catch(async (e) => {
    await screenshot(page, 'static-failed.png');
    throw new Error(`${e}\n${browser.errors.join('\n')}\n${server.requests.join('\n')}`);
  });
  expect(await page.locator('.widget-readout').first().textContent()).toBe('7');
  await page.waitForFunction(() => {
    const message = document.getElementById('MathJax_Message');
    return (window as any).MathJax?.isReady && (!message || message.style.display === 'none');
  }, null, { timeout: 30_000 });
  expect(server.requests.filter((r) => r.startsWith('404') && !r.endsWith('/favicon.ico'))).toEqual([]);
  expect(server.requests).toContain('200 /convlens.js');
  await expectFilterGridShown(page.locator('.convlens-filter-grid').first(), page, 'static.png');
  expect(browser.externalRequests).toEqual([]);
});

test('offline, the AttributionView shows its saved panels and says that the class dropdown needs the kernel', async () => {
  const page = browser.page;
  const view = page.locator('.convlens-attribution-view').first();
  await view.locator('.cl-panel canvas.cl-overlay-heat').first().waitFor({ timeout: 30_000 });
  const select = view.locator('select[aria-label="Class"]');
  expect(await select.isDisabled()).toBe(true);
  const note = view.locator('.cl-needs-kernel');
  expect(await note.isVisible()).toBe(true);
  expect(await note.textContent()).toContain('run the notebook to recompute');
  // The page-side control still works: the opacity slider changes the heatmap's opacity.
  const opacity = view.locator('input[aria-label="Opacity"]');
  expect(await opacity.isDisabled()).toBe(false);
  await opacity.fill('0.2');
  expect(await view.locator('canvas.cl-overlay-heat').first().evaluate((c) => (c as HTMLElement).style.opacity)).toBe('0.2');
  await view.scrollIntoViewIfNeeded();
  expect((await screenshot(view, 'static-attribution-view.png')).variance).toBeGreaterThan(10);
  expect(browser.externalRequests).toEqual([]);
});


test('offline, TsneScatter, NeighborsView and UnitExplorer disable what needs the kernel and say so', async () => {
  const page = browser.page;
  const scatter = page.locator('.convlens-tsne-scatter').first();
  await scatter.locator('.cl-fs-plot').waitFor({ timeout: 30_000 });
  expect(await scatter.locator('button.cl-fs-start').isDisabled()).toBe(true);
  expect(await scatter.locator('button.cl-fs-stop').isDisabled()).toBe(true);
  expect(await scatter.locator('.cl-needs-kernel').isVisible()).toBe(true);
  // The UMAP scatter keeps its finished run: its button and status speak of UMAP epochs, no KL.
  const umapScatter = page.locator('.convlens-tsne-scatter').nth(1);
  await umapScatter.locator('.cl-fs-plot').waitFor({ timeout: 30_000 });
  expect(await umapScatter.locator('button.cl-fs-start').textContent()).toBe('Start UMAP');
  expect(await umapScatter.locator('.cl-fs-status').textContent()).toMatch(/^UMAP epoch 20\/20 · 12 points · 0 selected$/);
  const neighbors = page.locator('.convlens-neighbors-view').first();
  await neighbors.locator('.cl-tile').first().waitFor({ timeout: 30_000 });
  expect(await neighbors.locator('input[aria-label="k"]').isDisabled()).toBe(true);
  expect(await neighbors.locator('select[aria-label="metric"]').isDisabled()).toBe(true);
  expect(await neighbors.locator('.cl-needs-kernel').isVisible()).toBe(true);
  // Clicking a neighbour does not make it the query (the kernel would recompute the rows).
  const caption = await neighbors.locator('.cl-fs-query .cl-caption').textContent();
  await neighbors.locator('.cl-fs-feature .cl-tile').first().click();
  expect(await neighbors.locator('.cl-fs-query .cl-caption').textContent()).toBe(caption);
  const explorer = page.locator('.convlens-unit-explorer').first();
  const tiles = explorer.locator('.cl-unit-section').first().locator('.cl-tile');
  await tiles.nth(1).waitFor({ timeout: 30_000 });
  expect(await explorer.locator('.cl-needs-kernel').isVisible()).toBe(true);
  const pressed = await tiles.evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-pressed')));
  await tiles.nth(1).click();
  expect(await tiles.evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-pressed')))).toEqual(pressed);
  expect(browser.externalRequests).toEqual([]);
});
