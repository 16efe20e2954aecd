/// <reference lib="dom" />
/**
 * notebooks/02-max-patches-and-neighbours.ipynb executes headless on the real convlens kernel
 * (`nbconvert --execute`) on the shipped models, short (CONVLENS_CI=1: small datasets): its printed
 * checks hold (top-9 equals a brute-force sort, feature-space neighbours share the query's shape
 * more often than pixel-space ones, which share its background instead; clear errors, no leaks) and the saved widget state holds the
 * two UnitExplorers and the NeighborsView. The executed notebook, exported to HTML with its widget
 * state, then renders offline in chromium: clicking a unit selects it, hovering an activation map
 * outlines that position's receptive field on the probe, the neighbours view draws the query and
 * its neighbours in both spaces, and the page logs no error.
 */
import { screenshot } from '../../browser/support/chromium';
import { openNotebookPage } from '../../browser/support/notebook-page';
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('02-max-patches-and-neighbours.ipynb executes on the shipped models, and its widgets work offline in chromium', async () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '02-max-patches-and-neighbours.ipynb', 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/conv2 top-9 positions equal a brute-force sort: true/);
  expect(text).toMatch(/same shape among 8 neighbours: .*features better: true/);
  // Pixel neighbours share the background scene, which covers most of a shapes image; feature neighbours much less.
  const [scenePixels, sceneFeatures] = /same background scene among 8 neighbours: pixels ([\d.]+)%, gap features ([\d.]+)%/.exec(text)!.slice(1).map(Number);
  expect(scenePixels).toBeGreaterThan(sceneFeatures);
  expect(text).toMatch(/Unknown layer "conv9"/);
  expect(text).toMatch(/unit 16 is not a channel of the layer: allowed 0..15/);
  expect(text).toMatch(/nothing leaked/);
  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const explorers = models.filter((m) => m.model_name === 'UnitExplorerModel');
  expect(explorers.map((m) => m.state.unit_indices.length)).toEqual([16, 16]);
  expect(explorers.map((m) => m.state.patch_shape[0])).toEqual([9, 9]);
  const neighbours = models.filter((m) => m.model_name === 'NeighborsModel');
  expect(neighbours.map((m) => [m.state.query, m.state.feature_indices.length, m.state.pixel_indices.length])).toEqual([[3, 8, 8]]);

  // The executed notebook as HTML with its widget state, served offline.
  const { browser, close } = await openNotebookPage(nb, 'units');
  try {
    const page = browser.page;
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
    // The neighbours view: the query and 8 neighbours in each space, drawn from the saved state.
    const nv = page.locator('.convlens-neighbors-view');
    await nv.locator('.cl-fs-query-image').waitFor({ timeout: 30_000 });
    expect(await nv.locator('.cl-caption').first().textContent()).toMatch(/^query #3: /);
    expect(await Promise.all(['pixel', 'feature'].map((s) => nv.locator(`.cl-fs-${s} .cl-tile`).count()))).toEqual([8, 8]);
    await screenshot(page, 'units.png');
    browser.expectNoErrors();
    expect(browser.externalRequests).toEqual([]);
  } finally {
    await close();
  }
}, 600_000);
