/// <reference lib="dom" />
/**
 * The attribution widgets live (JupyterLab's widget manager in the test page, the convlens kernel
 * over ZeroMQ, chromium): moving the OcclusionExplorer's sliders recomputes the map on the kernel
 * latest-wins and the view shows the new map; the class dropdown and hover work; the
 * AttributionView recomputes its panels for the class picked in its dropdown. The
 * DissectionHistogram (same session, saving a page build; the lazily loaded Plotly chunk): the
 * bars sum to the kernel's detector count; the IoU slider recounts them in the page and reaches
 * the kernel; a bar click renders its units' masked top images; a unit click its IoU profile.
 */
import * as path from 'path';
import { launchBrowser, Browser, screenshot } from './support/chromium';
import { buildLabPage } from './support/build';
import { makeJupyterEnv, tearDown, startLabPageServer, JupyterEnv, Server } from './support/jupyter';

let jenv: JupyterEnv;
let server: Server;
let browser: Browser;

async function run(code: string): Promise<{ index: number; text: string }> {
  const r = await browser.page.evaluate((c) => (window as any).convlensPage.run(c), code);
  if (r.status !== 'ok') throw new Error(`cell ${r.index} failed: ${JSON.stringify(r.error)}\n${code}\n${r.text}`);
  return r;
}

const cell = (index: number) => browser.page.locator(`.convlens-test-cell[data-cell="${index}"]`);

/** Poll a kernel-side expression until it prints `expected` (returns what it printed last). */
async function kernelValue(expression: string, expected: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await run(`console.log(String(${expression}))`)).text.trim();
    if (text === expected || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A fingerprint of the pixels of the first canvas matching `selector` inside `root`. */
function canvasSum(root: ReturnType<typeof cell>, selector: string): Promise<number> {
  return root.evaluate((el, sel) => {
    const c = el.querySelector(sel) as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < data.length; i++) s = (s * 31 + data[i]) % 1_000_000_007;
    return s;
  }, selector);
}

beforeAll(async () => {
  jenv = makeJupyterEnv('attribution-live');
  const pageDir = path.join(jenv.dir, 'page');
  buildLabPage(pageDir);
  server = await startLabPageServer(jenv, pageDir);
  browser = await launchBrowser();
  await browser.page.goto(`${server.baseUrl}/convlens-test?token=${server.token}`);
  await browser.page.waitForFunction(() => (window as any).convlensPage, null, { timeout: 30_000 });
  await browser.page.evaluate(() => (window as any).convlensPage.start('convlens'));
  await run(`import * as lens from "convlens";
const model = await lens.loadModel("fashion-cnn");
const test = await lens.loadFashionMnist({ split: "test", limit: 1 });
const classNames: string[] = [...lens.zoo.entry("fashion-cnn").classNames];
`);
}, 240_000);

afterAll(async () => {
  try {
    await browser?.page.evaluate(() => (window as any).convlensPage.shutdown()).catch(() => undefined);
  } finally {
    await tearDown(jenv, browser, server);
  }
}, 60_000);

afterEach(() => {
  expect(browser.externalRequests).toEqual([]);
  browser.expectNoErrors();
});

test('OcclusionExplorer: slider moves recompute on the kernel (latest wins) and the view shows the new map', async () => {
  const shown = await run(`const explorer = await lens.occlusionExplorer(model, test.images, { patchSize: 6, stride: 4, classNames: classNames });
await explorer.ready();
explorer`);
  const root = cell(shown.index).locator('.convlens-occlusion-explorer');
  await root.locator('canvas.cl-overlay-heat').waitFor({ timeout: 20_000 });
  await browser.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('.convlens-occlusion-explorer canvas.cl-overlay-heat')?.width, null, { timeout: 20_000 });
  const before = await canvasSum(cell(shown.index), 'canvas.cl-overlay-heat');

  // A burst of key presses on the patch slider: 6 → 9; the kernel ends up showing patch 9.
  const patch = root.locator('input[aria-label="Patch"]');
  await patch.focus();
  for (let i = 0; i < 3; i++) await browser.page.keyboard.press('ArrowRight');
  expect(await kernelValue('explorer.get("patch_size")', '9')).toBe('9');
  expect(await kernelValue('explorer.get("shown_patch") + "/" + explorer.get("busy")', '9/false')).toBe('9/false');
  await browser.page.waitForFunction(
    ([sel, old]) => {
      const c = document.querySelector(sel as string) as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < data.length; i++) s = (s * 31 + data[i]) % 1_000_000_007;
      return s !== old;
    },
    ['.convlens-occlusion-explorer canvas.cl-overlay-heat', before],
    { timeout: 20_000 },
  );
  // The map drawn is the one for the new setting.
  const expected = (await run(`const check = await lens.occlusion(model, test.images, { patchSize: 9, stride: 4, target: explorer.get("class_index") });
console.log(JSON.stringify(Array.from(await check.map.data()).map((v) => v.toFixed(4)))); check.dispose();`)).text.trim();
  expect((await run('console.log(JSON.stringify(Array.from(new Float32Array(explorer.get("values").slice().buffer)).map((v) => v.toFixed(4))))')).text.trim()).toBe(expected);

  // Another class from the dropdown, then the drop view.
  await root.locator('select[aria-label="Class"]').selectOption('3');
  expect(await kernelValue('explorer.get("class_index")', '3')).toBe('3');
  await root.locator('select[aria-label="Show"]').selectOption('drop');
  expect(await kernelValue('explorer.get("value_label")', `drop in P(${'Dress'})`)).toBe('drop in P(Dress)');

  // Hovering shows the value and the patch outline.
  const box = (await root.locator('.cl-overlay').boundingBox())!;
  await browser.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await browser.page.locator('.convlens-tooltip').filter({ hasText: 'drop in P(Dress) at' }).waitFor({ timeout: 5_000 });
  expect(await root.locator('.cl-occluder').evaluate((el) => getComputedStyle(el).display)).toBe('block');
  // Another class while the pointer rests on the map: the tooltip follows the new map at once.
  await root.locator('select[aria-label="Class"]').selectOption('4');
  expect(await kernelValue('explorer.get("value_label")', 'drop in P(Coat)')).toBe('drop in P(Coat)');
  await browser.page.locator('.convlens-tooltip').filter({ hasText: 'drop in P(Coat) at' }).waitFor({ timeout: 10_000 });
  const shot = await screenshot(cell(shown.index), 'live-occlusion-explorer.png');
  expect(shot.variance).toBeGreaterThan(10);
});

test('AttributionView: panels for every method, recomputed for the class picked in the dropdown', async () => {
  const shown = await run(`const view = await lens.attributionView(model, test.images, { classNames: classNames, methods: ["saliency", "guidedBackprop", "gradCam", "occlusion"] });
await view.ready();
view`);
  const root = cell(shown.index).locator('.convlens-attribution-view');
  await root.locator('.cl-panel').nth(3).waitFor({ timeout: 20_000 });
  expect(await root.locator('.cl-panel figcaption').allTextContents()).toEqual(['Saliency |∂S/∂x|', 'Guided backprop', 'Grad-CAM', 'Occlusion (drop)']);
  const before = await canvasSum(root.locator('.cl-panel').nth(2), 'canvas.cl-overlay-heat');
  await root.locator('select[aria-label="Class"]').selectOption('5');
  expect(await kernelValue('view.get("class_index") + "/" + view.get("busy")', '5/false')).toBe('5/false');
  await browser.page.waitForFunction(
    (old) => {
      const c = document.querySelectorAll('.convlens-attribution-view .cl-panel')[2].querySelector('canvas.cl-overlay-heat') as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < data.length; i++) s = (s * 31 + data[i]) % 1_000_000_007;
      return s !== old;
    },
    before,
    { timeout: 20_000 },
  );
  const shot = await screenshot(cell(shown.index), 'live-attribution-view.png');
  expect(shot.variance).toBeGreaterThan(10);
});

test('DissectionHistogram: the threshold slider recounts the bars; a bar click shows its units with masked top images; a unit click its IoU profile', async () => {
  const page = browser.page;
  await run(`const shapesModel = await lens.loadModel("shapes-cnn");
const concepts = await lens.shapesDataset({ n: 64, seed: 3 });
const d = await lens.dissect(shapesModel, "conv3", concepts);
const detectors = (t: number) => lens.dissection.summary(d, t).detectors;`);
  const shown = await run('const hist = lens.dissectionHistogram(d, { model: shapesModel, dataset: concepts, topImages: 3 });\nhist');
  const root = cell(shown.index).locator('.convlens-dissection-histogram');
  /** Sum of the bar heights Plotly drew from (the chart element's `data`). */
  const barTotal = () => root.locator('.cl-dh-chart').evaluate((el: any) => (el.data ?? []).reduce((s: number, t: any) => s + (t.y ?? []).reduce((a: number, b: number) => a + b, 0), 0));
  await root.locator('.cl-dh-chart .main-svg').first().waitFor({ timeout: 60_000 });
  const kernelCount = async (t: number) => Number((await run(`console.log(detectors(${t}))`)).text.trim());
  expect(await barTotal()).toBe(await kernelCount(0.04));
  expect(await root.locator('.cl-dh-headline').textContent()).toContain(`${await kernelCount(0.04)}/64 units with IoU > 0.04`);

  // Lower the threshold from the page: more detectors, counted in the page, then on the kernel.
  await root.locator('input[aria-label="IoU >"]').fill('0.01');
  const at01 = await kernelCount(0.01);
  expect(at01).toBeGreaterThan(await kernelCount(0.04));
  await page.waitForFunction((n) => {
    const el: any = document.querySelector('.convlens-dissection-histogram .cl-dh-chart');
    return (el?.data ?? []).reduce((s: number, t: any) => s + t.y.reduce((a: number, b: number) => a + b, 0), 0) === n;
  }, at01, { timeout: 10_000 });
  expect(await root.locator('.cl-dh-headline').textContent()).toContain(`${at01}/64 units with IoU > 0.01`);
  expect(await kernelValue('hist.get("iou_threshold")', '0.01')).toBe('0.01');

  // Click the first bar: the kernel selects its concept and renders its units' top images.
  // (Plotly's drag layer takes the pointer: click where the bar is, as a user does.)
  const bar = (await root.locator('.cl-dh-chart .bars .point path').first().boundingBox())!;
  await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
  const concept = await kernelValue('hist.get("selected_concept") >= 0', 'true');
  expect(concept).toBe('true');
  await root.locator('.cl-dh-row canvas').first().waitFor({ timeout: 30_000 });
  const units = await root.locator('.cl-dh-units button.cl-dh-unit').count();
  expect(units).toBeGreaterThan(0);
  const rows = Number((await run('console.log(hist.get("shown_units").length)')).text.trim());
  expect(rows).toBe(Math.min(units, 6));
  expect(await root.locator('.cl-dh-row canvas').count()).toBe(3 * rows);

  // Click a unit: its IoU with each concept.
  await root.locator('.cl-dh-units button.cl-dh-unit').first().click();
  await root.locator('.cl-dh-profile').filter({ hasText: 'IoU with each concept' }).waitFor({ timeout: 10_000 });
  const shot = await screenshot(cell(shown.index), 'live-dissection-histogram.png');
  expect(shot.variance).toBeGreaterThan(10);
});
