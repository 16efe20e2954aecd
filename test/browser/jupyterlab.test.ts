/// <reference lib="dom" />
/**
 * The real JupyterLab 4.5 application (test/browser/lab-app: the core @jupyterlab/*-extension
 * plugins and @jupyter-widgets/jupyterlab-manager, built by webpack, served by a LabServerApp
 * subclass on Debian's jupyter_server), with the *installed* convlens labextension loaded from
 * PREFIX/share/jupyter/labextensions as a federated extension, in Debian's chromium. Opens
 * notebooks/02 in Lab's notebook panel, runs it with Run ▸ Run All Cells, and checks what a user
 * sees: every convlens widget drawn, a slider drag recomputed by the kernel, a FilterGrid in a new
 * cell showing the real weights with a click reaching the kernel, the dark theme redrawing the
 * widgets, the widgets back after a reload, no console or page error, no request leaving 127.0.0.1.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { launchBrowser, Browser, screenshot } from './support/chromium';
import { makeJupyterEnv, tearDown, JupyterEnv, REPO, Server } from './support/jupyter';
import { ensureLabApp, startJupyterLab } from './support/lab-app';

const NOTEBOOK = '04-which-pixels-matter.ipynb';

let jenv: JupyterEnv | undefined;
let server: Server | undefined;
let browser: Browser;

/** A hash of the pixels of the first canvas matching `selector` under `root`. */
function canvasHash(root: Locator, selector: string): Promise<number> {
  return root.locator(selector).first().evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < data.length; i++) s = (s * 31 + data[i]) % 1_000_000_007;
    return s;
  });
}

/** Standard deviation of the RGB values of every canvas matching `selector` under `root`. */
function canvasSpreads(root: Locator, selector: string): Promise<number[]> {
  return root.locator(selector).evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let sq = 0;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        for (let k = 0; k < 3; k++) {
          sum += data[i + k];
          sq += data[i + k] * data[i + k];
          n++;
        }
      }
      return Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
    }),
  );
}

/** Drag a range input's thumb with the mouse from `from` to `to` (fractions of its width). */
async function drag(slider: Locator, from: number, to: number): Promise<void> {
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await browser.page.mouse.move(box.x + box.width * from, y);
  await browser.page.mouse.down();
  await browser.page.mouse.move(box.x + box.width * to, y, { steps: 8 });
  await browser.page.mouse.up();
}

/** Run `code` in the notebook's kernel (not as a cell) and return what it printed. */
async function kernelPrint(code: string): Promise<string> {
  return browser.page.evaluate(async (c) => {
    const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    let text = '';
    const future = kernel.requestExecute({ code: c, silent: false, store_history: false });
    future.onIOPub = (msg: any) => {
      if (msg.header.msg_type === 'stream') text += msg.content.text;
      if (msg.header.msg_type === 'error') text += `${msg.content.ename}: ${msg.content.evalue}`;
    };
    await future.done;
    return text.trim();
  }, code);
}

/** Poll a kernel-side expression until it prints `expected`; return what it printed last. */
async function kernelValue(expression: string, expected: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await kernelPrint(`console.log(String(${expression}))`);
    if (text === expected || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const build = ensureLabApp();
  jenv = makeJupyterEnv('jupyterlab');
  fs.copyFileSync(path.join(REPO, 'notebooks', NOTEBOOK), path.join(jenv.notebookDir, NOTEBOOK));
  server = await startJupyterLab(jenv, build);
  browser = await launchBrowser();
  await browser.page.goto(`${server.baseUrl}/lab?token=${server.token}`);
  await browser.page.waitForSelector('body[data-convlens-lab-ready="true"]', { state: 'attached', timeout: 120_000 }).catch((e) => {
    throw new Error(`JupyterLab did not start: ${e}\n${browser.errors.join('\n')}\n${server!.log()}`);
  });
}, 900_000);

afterAll(async () => {
  await tearDown(jenv, browser, server);
}, 60_000);

afterEach(() => {
  expect(browser.externalRequests).toEqual([]);
  browser.expectNoErrors();
});

test('the convlens labextension is loaded from share/jupyter/labextensions as a federated extension', async () => {
  expect(await browser.page.evaluate(() => (window as any).jupyterappFederated)).toEqual(['convlens']);
  const plugins: string[] = await browser.page.evaluate(() => (window as any).jupyterapp.listPlugins());
  expect(plugins).toEqual(expect.arrayContaining(['convlens:widgets', '@jupyter-widgets/jupyterlab-manager:plugin', '@jupyterlab/notebook-extension:factory']));
  expect(await browser.page.evaluate(() => (window as any).jupyterapp.isPluginActivated('convlens:widgets'))).toBe(true);
});

test('notebooks/02 runs from Run ▸ Run All Cells in the notebook panel and every convlens widget draws', async () => {
  const page = browser.page;
  await page.evaluate((p) => (window as any).jupyterapp.commands.execute('docmanager:open', { path: p, factory: 'Notebook' }), NOTEBOOK);
  const panel = page.locator('.jp-NotebookPanel').first();
  await panel.waitFor({ timeout: 60_000 });
  // The convlens kernel (from the notebook's metadata) starts and goes idle.
  await page.waitForFunction(() => (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle', null, { timeout: 120_000 });
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.name)).toBe('convlens');

  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  // Every code cell ran (an execution count), without an error output, and the kernel is idle.
  await page.waitForFunction(
    () => {
      const nb = (window as any).jupyterapp.shell.currentWidget;
      const cells = nb.content.widgets.filter((c: any) => c.model.type === 'code');
      return nb.sessionContext.session.kernel.status === 'idle' && cells.every((c: any) => c.model.executionCount !== null && !c.hasClass('jp-mod-running'));
    },
    null,
    { timeout: 400_000, polling: 500 },
  );
  const errors = await page.evaluate(() => {
    const nb = (window as any).jupyterapp.shell.currentWidget;
    return nb.content.widgets.flatMap((c: any) => (c.model.type === 'code' ? c.model.outputs.toJSON() : [])).filter((o: any) => o.output_type === 'error');
  });
  expect(errors).toEqual([]);

  // The OcclusionExplorer and the AttributionView draw heatmaps with real structure.
  const explorer = panel.locator('.convlens-occlusion-explorer');
  const view = panel.locator('.convlens-attribution-view');
  await explorer.locator('canvas.cl-overlay-heat').first().waitFor({ timeout: 60_000 });
  await view.locator('.cl-panel canvas.cl-overlay-heat').first().waitFor({ timeout: 60_000 });
  for (const spread of await canvasSpreads(explorer, 'canvas.cl-overlay-heat')) expect(spread).toBeGreaterThan(5);
  const spreads = await canvasSpreads(view, '.cl-panel canvas.cl-overlay-heat');
  expect(spreads.length).toBeGreaterThanOrEqual(3);
  for (const spread of spreads) expect(spread).toBeGreaterThan(5);
  // The ipywidgets of the notebook's figures (PNG images in boxes) render too.
  expect(await panel.locator('.widget-image').count()).toBeGreaterThan(4);
  await explorer.scrollIntoViewIfNeeded();
  expect((await screenshot(explorer, 'jupyterlab-occlusion-explorer.png')).variance).toBeGreaterThan(10);
  await view.scrollIntoViewIfNeeded();
  expect((await screenshot(view, 'jupyterlab-attribution-view.png')).variance).toBeGreaterThan(10);
});

test('dragging the OcclusionExplorer patch slider recomputes on the kernel and redraws', async () => {
  const page = browser.page;
  const explorer = page.locator('.convlens-occlusion-explorer').first();
  await explorer.scrollIntoViewIfNeeded();
  const before = await canvasHash(explorer, 'canvas.cl-overlay-heat');
  const slider = explorer.locator('input[aria-label="Patch"]');
  await drag(slider, 0.25, 0.6);
  const patch = Number(await slider.inputValue());
  expect(patch).not.toBe(6);
  expect(await kernelValue('explorer.get("shown_patch") + "/" + explorer.get("busy")', `${patch}/false`)).toBe(`${patch}/false`);
  await page.waitForFunction(
    (old) => {
      const c = document.querySelector('.convlens-occlusion-explorer canvas.cl-overlay-heat') as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < data.length; i++) s = (s * 31 + data[i]) % 1_000_000_007;
      return s !== old;
    },
    before,
    { timeout: 30_000 },
  );
});

test('a FilterGrid added as a new cell shows fashion-cnn’s real conv1 weights, and a click selects a filter in the kernel', async () => {
  const page = browser.page;
  // A new cell at the end of the notebook, typed and run the way Lab's commands do it.
  await page.evaluate(async (code) => {
    const app = (window as any).jupyterapp;
    const nb = app.shell.currentWidget.content;
    nb.activeCellIndex = nb.widgets.length - 1;
    await app.commands.execute('notebook:insert-cell-below');
    nb.activeCell.model.sharedModel.setSource(code);
    await app.commands.execute('notebook:run-cell');
  }, 'const grid = await lens.filterGrid(model, "conv1", { tileSize: 40 });\ngrid');
  const grid = page.locator('.convlens-filter-grid').last();
  await grid.locator('.cl-tile').first().waitFor({ timeout: 60_000 });
  // Each filter min-max stretched on its own (the grid's default), one grey value per pixel.
  const expected: number[][] = JSON.parse(
    await kernelPrint(`const w = (await model.getLayer("conv1").getWeights()[0].array()) as number[][][][];
const n = w[0][0][0].length;
const out: number[][] = [];
for (let f = 0; f < n; f++) {
  const v: number[] = [];
  for (const row of w) for (const px of row) v.push(px.reduce((a, ch) => a + ch[f], 0) / px.length);
  const lo = Math.min(...v), hi = Math.max(...v);
  out.push(v.map((x) => Math.round(((x - lo) / (hi - lo)) * 255)));
}
console.log(JSON.stringify(out));`),
  );
  const drawn: number[][] = await grid.locator('.cl-tile canvas').evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const grey: number[] = [];
      for (let i = 0; i < data.length; i += 4) grey.push(data[i]);
      return grey;
    }),
  );
  expect(drawn).toHaveLength(expected.length);
  expect(expected.length).toBeGreaterThan(4);
  drawn.forEach((tile, f) => {
    expect(tile).toHaveLength(expected[f].length);
    expect(Math.max(...tile.map((v, i) => Math.abs(v - expected[f][i])))).toBeLessThanOrEqual(1);
  });
  expect(await grid.locator('.cl-tile .cl-tile-index').allTextContents()).toEqual(expected.map((_, i) => String(i)));
  await grid.locator('.cl-tile[data-index="3"]').click();
  expect(await kernelValue('grid.selected', '3')).toBe('3');
  await grid.scrollIntoViewIfNeeded();
  expect((await screenshot(grid, 'jupyterlab-filter-grid.png')).variance).toBeGreaterThan(10);
});

test('switching to JupyterLab Dark redraws the convlens widgets in the dark theme', async () => {
  const page = browser.page;
  const view = page.locator('.convlens-attribution-view').first();
  /** Luminance (0..1) of the captions' text colour and of the widget's background. */
  const colours = () =>
    view.evaluate((el) => {
      const lum = (css: string) => {
        const probe = document.createElement('div');
        probe.style.color = css;
        document.body.appendChild(probe);
        const [r, g, b] = getComputedStyle(probe).color.match(/[\d.]+/g)!.map(Number);
        probe.remove();
        return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      };
      const caption = el.querySelector('.cl-title')!;
      return { text: lum(getComputedStyle(caption).color), background: lum(getComputedStyle(el).getPropertyValue('--cl-bg').trim()) };
    });
  const light = await colours();
  expect(light.text).toBeLessThan(0.5);
  expect(light.background).toBeGreaterThan(0.5);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }));
  await page.waitForSelector('body[data-jp-theme-light="false"]', { state: 'attached', timeout: 30_000 });
  // The widgets' colours follow the theme (the CSS variables they draw with are Lab's).
  let dark = await colours();
  for (const deadline = Date.now() + 30_000; dark.text < 0.5 && Date.now() < deadline; dark = await colours()) {
    await page.waitForTimeout(200);
  }
  expect(dark.text).toBeGreaterThan(0.5);
  expect(dark.background).toBeLessThan(0.5);
  await view.scrollIntoViewIfNeeded();
  const shot = await screenshot(view, 'jupyterlab-dark-attribution-view.png');
  expect(shot.variance).toBeGreaterThan(10);
  for (const spread of await canvasSpreads(view, '.cl-panel canvas.cl-overlay-heat')) expect(spread).toBeGreaterThan(5);
});

test('after saving and reloading the page, the widgets come back from the running kernel', async () => {
  const page = browser.page;
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('docmanager:save'));
  await page.waitForFunction(() => !(window as any).jupyterapp.shell.currentWidget.context.model.dirty, null, { timeout: 30_000 });
  await page.reload();
  await page.waitForSelector('body[data-convlens-lab-ready="true"]', { state: 'attached', timeout: 120_000 });
  // Lab reopens the notebook (its workspace) and reconnects to the same kernel.
  const panel = page.locator('.jp-NotebookPanel').first();
  await panel.waitFor({ timeout: 60_000 });
  const explorer = panel.locator('.convlens-occlusion-explorer');
  await explorer.locator('canvas.cl-overlay-heat').first().waitFor({ timeout: 60_000 });
  for (const spread of await canvasSpreads(explorer, 'canvas.cl-overlay-heat')) expect(spread).toBeGreaterThan(5);
  // Still live: the restored view talks to the kernel's widget.
  const slider = explorer.locator('input[aria-label="Patch"]');
  const before = await slider.inputValue();
  expect(await kernelValue('explorer.get("patch_size")', before)).toBe(before);
  await explorer.scrollIntoViewIfNeeded();
  await drag(slider, 0.6, 0.3);
  const after = await slider.inputValue();
  expect(after).not.toBe(before);
  expect(await kernelValue('explorer.get("shown_patch") + "/" + explorer.get("busy")', `${after}/false`)).toBe(`${after}/false`);
});
