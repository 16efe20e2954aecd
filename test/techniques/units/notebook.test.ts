/// <reference lib="dom" />
/**
 * notebooks/02-max-patches-and-neighbours.ipynb executes headless on the real convlens kernel (`nbconvert --execute`)
 * on the shipped models, short (CONVLENS_CI=1: small datasets, 2 training epochs): its printed
 * checks hold (top-9 equals a brute-force sort, clear errors, no leaks) and the saved widget state
 * holds the two UnitExplorers and the two EpochSliders. The executed notebook, exported to HTML with
 * its widget state, then renders offline in chromium: clicking a unit selects it, hovering an
 * activation map outlines that position's receptive field on the probe, the epoch slider scrubs
 * and plays through the snapshots with its diagnostics chart drawn, and the page logs no error.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchBrowser, screenshot } from '../../browser/support/chromium';
import { REPO, SYSTEM_PYTHON } from '../../browser/support/jupyter';
import { serveStatic } from '../../browser/support/static-server';
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('02-max-patches-and-neighbours.ipynb executes on the shipped models, and its widgets work offline in chromium', async () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '02-max-patches-and-neighbours.ipynb', 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/conv2 top-9 positions equal a brute-force sort: true/);
  expect(text).toMatch(/Unknown layer "conv9"/);
  expect(text).toMatch(/unit 16 is not a channel of the layer: allowed 0..15/);
  expect(text).toMatch(/after 2 epochs: aliased energy large/);
  expect(text).toMatch(/nothing leaked/);
  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const explorers = models.filter((m) => m.model_name === 'UnitExplorerModel');
  expect(explorers.map((m) => m.state.unit_indices.length)).toEqual([16, 16]);
  expect(explorers.map((m) => m.state.patch_shape[0])).toEqual([9, 9]);
  const sliders = models.filter((m) => m.model_name === 'EpochSliderModel');
  expect(sliders.map((m) => m.state.labels)).toEqual([0, 1].map(() => ['epoch 0 (initial)', 'epoch 1', 'epoch 2']));
  expect(sliders[0].buffers.map((b: any) => b.path[0]).sort()).toEqual(['filters', 'maps']);

  // The executed notebook as HTML with its widget state, served offline.
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-units-html-'));
  const browser = await launchBrowser();
  const server = await serveStatic({ '/': site });
  try {
    fs.writeFileSync(path.join(site, 'units.ipynb'), JSON.stringify(nb));
    execFileSync(SYSTEM_PYTHON, ['-m', 'nbconvert', '--to', 'html', '--HTMLExporter.widget_renderer_url=embed-amd.js', '--HTMLExporter.require_js_url=require.min.js',
      '--HTMLExporter.mathjax_url=no-mathjax.js', `--output-dir=${site}`, '--output=units', path.join(site, 'units.ipynb')], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    fs.cpSync(path.join(REPO, 'node_modules/@jupyter-widgets/html-manager/dist'), site, { recursive: true });
    fs.copyFileSync('/usr/share/javascript/requirejs/require.min.js', path.join(site, 'require.min.js'));
    fs.copyFileSync(path.join(REPO, 'dist/embed/convlens.js'), path.join(site, 'convlens.js'));
    fs.writeFileSync(path.join(site, 'no-mathjax.js'), '// the notebook has no math: an empty stand-in for MathJax\n');
    const page = browser.page;
    await page.goto(`${server.baseUrl}/units.html`);
    const explorer = page.locator('.convlens-unit-explorer').first();
    await explorer.locator('.cl-tile').first().waitFor({ timeout: 60_000 }).catch(async (e) => {
      await screenshot(page, 'units-failed.png');
      throw new Error(`${e}\n${browser.errors.join('\n')}`);
    });
    // conv1's explorer: 16 unit tiles, 9 patches and 9 sources of unit 0, 16 maps of the probe.
    const grids = explorer.locator('.cl-tile-grid');
    expect(await grids.count()).toBe(4);
    expect(await Promise.all([0, 1, 2, 3].map((i) => grids.nth(i).locator('.cl-tile').count()))).toEqual([16, 9, 9, 16]);
    // No kernel in a static page: a unit's patches come from the kernel, so clicking a unit selects
    // nothing and the view says to run the notebook (widgets/convlens-view.ts kernelOnly).
    await grids.nth(0).locator('.cl-tile').nth(4).click();
    expect(await grids.nth(0).locator('.cl-tile').nth(4).getAttribute('class')).not.toMatch(/cl-selected/);
    expect(await explorer.locator('.cl-needs-kernel').textContent()).toContain('run the notebook to recompute');
    // Hover the middle of map tile 2: position (16, 16) of conv1's 32x32 map; its field is outlined on the probe.
    const conv1 = explorers.find((m) => m.state.title.startsWith('conv1:')).state;
    const [o, s, z] = [conv1.field_origin, conv1.field_stride, conv1.field_size];
    const box = await grids.nth(3).locator('.cl-tile canvas').nth(2).boundingBox();
    // Mouse events carry whole CSS pixels: aim just past the start of cell 16 so rounding stays in it.
    const at = (start: number, size: number) => Math.ceil(start + (16.05 * size) / 32);
    await page.mouse.move(at(box!.x, box!.width), at(box!.y, box!.height));
    const y0 = o[0] + 16 * s[0];
    const x0 = o[1] + 16 * s[1];
    expect(await explorer.locator('.cl-unit-probe').getAttribute('data-box')).toBe([y0, x0, y0 + z[0], x0 + z[1]].join(','));
    // The first epoch slider: starts at its last snapshot; scrubbing to 0 shows the initial filters.
    const slider = page.locator('.convlens-epoch-slider').first();
    expect(await slider.locator('.cl-frame-label').textContent()).toBe('epoch 2 (3 of 3)');
    await slider.locator('input[type=range]').fill('0');
    expect(await slider.locator('.cl-frame-label').textContent()).toBe('epoch 0 (initial) (1 of 3)');
    expect(await slider.locator('.cl-tile-grid').first().locator('.cl-tile').count()).toBe(16);
    await slider.locator('.cl-epoch-chart .main-svg').first().waitFor({ timeout: 30_000 });
    // Play advances the snapshots in the page (500 ms a frame); pause stops it.
    await slider.locator('.cl-play').click();
    await page.waitForFunction((el) => el?.textContent?.startsWith('epoch 1 (2 of 3)'), await slider.locator('.cl-frame-label').elementHandle(), { timeout: 10_000 });
    await slider.locator('.cl-play').click();
    expect(await slider.locator('.cl-play').textContent()).toBe('▶ play');
    await screenshot(page, 'units.png');
    browser.expectNoErrors();
    expect(browser.externalRequests).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
}, 600_000);
