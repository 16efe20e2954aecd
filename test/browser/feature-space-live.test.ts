/// <reference lib="dom" />
/**
 * The feature-space widgets live (JupyterLab's widget manager in the test page, the convlens
 * kernel over ZeroMQ, chromium with WebGL): Start on the TsneScatter runs t-SNE on the kernel and
 * the plotted positions change while it runs; hovering a point shows its thumbnail; a lasso drawn
 * with the mouse reaches the kernel as `selected`; clicking a neighbour in the NeighborsView makes
 * it the query on the kernel; Start on a scatter made with `algorithm: 'umap'` runs UMAP on the
 * kernel, streaming its epochs into the plot until it finishes.
 */
import type { Locator } from 'playwright-core';
import { screenshot } from './support/chromium';
import { openLabSession, LabSession } from './support/lab-session';

let session: LabSession;

beforeAll(async () => {
  session = await openLabSession('feature-space');
  await session.run(`import * as lens from "convlens";
const model = await lens.loadModel("fashion-cnn");
const test = await lens.loadFashionMnist({ split: "test", limit: 300 });
const labels = Array.from(await test.labels.data());
const feats = await lens.featureSpace.datasetFeatures(model, "fc1", test.images);`);
}, 300_000);

afterAll(async () => {
  await session?.run('model.dispose();').catch(() => undefined);
  await session?.close();
}, 60_000);

afterEach(() => {
  expect(session.browser.externalRequests).toEqual([]);
  session.browser.expectNoErrors();
});

/** The plotted x of every trace of the scatter in `root`, joined (a fingerprint of the positions on the page). */
function plotted(root: Locator): Promise<string> {
  return root.evaluate((el) => {
    const gd = el.querySelector('.cl-fs-plot') as HTMLElement & { data?: Array<{ x: number[] }> };
    return (gd.data ?? []).map((t) => t.x.map((v) => v.toFixed(4)).join(',')).join(';');
  });
}

/** Resolves once the scatter in `root` plots other positions than `was`. */
async function positionsChange(root: Locator, was: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await plotted(root)) === was) {
    if (Date.now() > deadline) throw new Error('the scatter kept its positions for 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('t-SNE streams into the scatter, hover shows a thumbnail, a lasso selection reaches the kernel, a clicked neighbour becomes the query', async () => {
  const { browser } = session;
  const page = browser.page;
  const run = (code: string) => session.run(code);
  const shown = await run(`const sc = await lens.tsneScatter(feats, { labels, classNames: [...test.classNames], images: test.images, iterations: 2000, every: 2, minFrameMs: 50, perplexity: 20 });
sc`);
  const root = session.cell(shown.index).locator('.convlens-tsne-scatter');
  await root.locator('.cl-fs-plot .main-svg').first().waitFor({ timeout: 60_000 });
  expect(await root.locator('.legendtext').count()).toBe(10);

  // Start from the page: frames stream in while the kernel runs.
  await root.locator('button.cl-fs-start').click();
  await page.waitForFunction(() => /running · t-SNE iteration (\d+)/.test(document.querySelector('.convlens-tsne-scatter .cl-fs-status')?.textContent ?? ''), null, { timeout: 60_000 });
  await positionsChange(root, await plotted(root));
  expect(await session.kernelValue('sc.get("running")', 'true')).toBe('true');
  await root.locator('button.cl-fs-stop').click();
  expect(await session.kernelValue('sc.get("running")', 'false', 30_000)).toBe('false');
  // Let the last frame land before interacting.
  await page.waitForTimeout(500);

  // Hover a point: its thumbnail shows in the corner.
  const point = await page.evaluate(() => {
    const gd = document.querySelector('.convlens-tsne-scatter .cl-fs-plot') as HTMLElement & { data: Array<{ x: number[]; y: number[] }>; _fullLayout: any };
    const L = gd._fullLayout;
    const r = gd.getBoundingClientRect();
    const x = gd.data[0].x[0], y = gd.data[0].y[0];
    return { x: r.left + L._size.l + L.xaxis.d2p(x), y: r.top + L._size.t + L.yaxis.d2p(y) };
  });
  await page.mouse.move(point.x, point.y);
  await root.locator('.cl-fs-thumb canvas').waitFor({ timeout: 10_000 });
  expect(await root.locator('.cl-fs-thumb').textContent()).toMatch(/^#\d+ /);

  // A lasso around the left half of the plot area, drawn with the mouse.
  const area = await root.locator('.cl-fs-plot .nsewdrag').first().boundingBox();
  const [x0, y0, w, h] = [area!.x, area!.y, area!.width, area!.height];
  const path = [[0.02, 0.02], [0.5, 0.02], [0.5, 0.98], [0.02, 0.98], [0.02, 0.03]];
  await page.mouse.move(x0 + w * path[0][0], y0 + h * path[0][1]);
  await page.mouse.down();
  for (const [px, py] of path.slice(1)) await page.mouse.move(x0 + w * px, y0 + h * py, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => / (\d+) selected/.test(document.querySelector('.convlens-tsne-scatter .cl-fs-status')?.textContent ?? '') && !/ 0 selected/.test(document.querySelector('.convlens-tsne-scatter .cl-fs-status')?.textContent ?? ''), null, { timeout: 20_000 });
  const onPage = Number(/ (\d+) selected/.exec((await root.locator('.cl-fs-status').textContent()) ?? '')![1]);
  expect(onPage).toBeGreaterThan(0);
  expect(onPage).toBeLessThan(300);
  expect(Number(await session.kernelValue('sc.selected.length', String(onPage), 20_000))).toBe(onPage);
  const shot = await screenshot(session.cell(shown.index), 'live-tsne-scatter.png');
  expect(shot.variance).toBeGreaterThan(10);

  // NeighborsView: click the third feature-space neighbour; the kernel takes it as the query.
  const nv = await run(`const nv = await lens.neighborsView(test.images, feats, { k: 6, labels, classNames: [...test.classNames], featureName: "fc1" });
nv`);
  const view = session.cell(nv.index).locator('.convlens-neighbors-view');
  await view.locator('.cl-fs-feature canvas').nth(5).waitFor({ timeout: 30_000 });
  const third = (await run('console.log(nv.get("feature_indices")[2])')).text.trim();
  await view.locator('.cl-fs-feature .cl-tile').nth(2).click();
  expect(await session.kernelValue('nv.get("query")', third, 20_000)).toBe(third);
  await run('sc.close(); nv.close();');
}, 240_000);

test('Start on a UMAP scatter runs UMAP on the kernel and streams its epochs until it finishes', async () => {
  const page = session.browser.page;
  const shown = await session.run(`const us = await lens.tsneScatter(feats, { algorithm: "umap", umap: { nEpochs: 3000, nNeighbors: 10 }, labels, classNames: [...test.classNames], every: 5, minFrameMs: 50 });
us`);
  const root = session.cell(shown.index).locator('.convlens-tsne-scatter');
  await root.locator('.cl-fs-plot .main-svg').first().waitFor({ timeout: 60_000 });
  const status = root.locator('.cl-fs-status');
  expect(await status.textContent()).toMatch(/^UMAP · 300 points · 0 selected$/);
  const before = await plotted(root);

  await root.locator('button.cl-fs-start').click();
  await page.waitForFunction((el) => /^running · UMAP epoch \d+\/3000 · 300 points/.test(el?.textContent ?? ''), await status.elementHandle(), { timeout: 60_000 });
  await positionsChange(root, before);
  const midway = await plotted(root);
  // It finishes by itself; the last frame is the final layout, the kernel's `positions`.
  expect(await session.kernelValue('us.get("running")', 'false', 120_000)).toBe('false');
  await page.waitForFunction((el) => /^UMAP epoch 3000\/3000 · 300 points/.test(el?.textContent ?? ''), await status.elementHandle(), { timeout: 30_000 });
  const final = await plotted(root);
  expect(final).not.toBe(midway);
  const kernelX = (await session.run('console.log(Array.from(new Float32Array(us.get("positions").slice().buffer)).filter((_, i) => i % 2 === 0).slice(0, 5).map((v) => v.toFixed(4)).join(","))')).text.trim();
  const pageX = await root.evaluate((el) => {
    const gd = el.querySelector('.cl-fs-plot') as HTMLElement & { data: Array<{ x: number[]; customdata?: number[] }> };
    const byIndex = new Map<number, number>();
    for (const t of gd.data) (t.customdata ?? []).forEach((index, j) => byIndex.set(index, t.x[j]));
    return [0, 1, 2, 3, 4].map((i) => byIndex.get(i)?.toFixed(4)).join(',');
  });
  expect(pageX).toBe(kernelX);
  await session.run('us.close();');
}, 240_000);
