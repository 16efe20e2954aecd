/// <reference lib="dom" />
/**
 * notebooks/10-training-evolution.ipynb executes headless on the real convlens kernel
 * (`nbconvert --execute`), short (CONVLENS_CI=1: 200 images, 2 epochs per architecture): the ZF
 * 2014 study trains both first layers, prints its diagnostics table, the errors name what is
 * allowed, nothing leaks, and the saved widget state holds the two EpochSliders with their
 * snapshots. The executed notebook, exported to HTML with its widget state, renders offline in
 * chromium: the epoch slider scrubs and plays through the snapshots with its diagnostics chart
 * drawn, and the page logs no error.
 */
import { screenshot } from '../../browser/support/chromium';
import { openNotebookPage } from '../../browser/support/notebook-page';
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

test('10-training-evolution.ipynb executes, and its epoch sliders work offline in chromium', async () => {
  const { nb, outputs, text } = executeNotebook(prefix(), '10-training-evolution.ipynb', 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/^large: epoch 1 loss [\d.]+ val acc [\d.]+; epoch 2 /m);
  expect(text).toMatch(/^small: epoch 1 loss [\d.]+ val acc [\d.]+; epoch 2 /m);
  expect(text).toMatch(/after 2 epochs: aliased energy large/);
  expect(text).toMatch(/epochSlider: layer "conv2" was not recorded; recorded layers: conv1/);
  expect(text).toMatch(/everyBatches/);
  expect(text).toMatch(/nothing leaked/);
  const saved = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json'];
  const models = Object.values<any>(saved.state);
  const sliders = models.filter((m) => m.model_name === 'EpochSliderModel');
  expect(sliders.map((m) => m.state.labels)).toEqual([0, 1].map(() => ['epoch 0 (initial)', 'epoch 1', 'epoch 2']));
  expect(sliders[0].buffers.map((b: any) => b.path[0]).sort()).toEqual(['filters', 'maps']);
  expect(models.filter((m) => m.model_name === 'FilterGridModel')).toHaveLength(2);

  const { browser, close } = await openNotebookPage(nb, 'training');
  try {
    const page = browser.page;
    // The first epoch slider: starts at its last snapshot; scrubbing to 0 shows the initial filters.
    await page.locator('.convlens-epoch-slider .cl-tile').first().waitFor({ timeout: 60_000 }).catch(async (e) => {
      await screenshot(page, 'training-failed.png');
      throw new Error(`${e}\n${browser.errors.join('\n')}`);
    });
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
    await screenshot(page, 'training.png');
    browser.expectNoErrors();
    expect(browser.externalRequests).toEqual([]);
  } finally {
    await close();
  }
}, 600_000);
