/// <reference lib="dom" />
/**
 * Notebook code shared by the browser tests, and in-page checks of what the FilterGrid drew.
 */
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './chromium';

/** A small conv net (3 input channels → RGB tiles) and a FilterGrid of its first layer, as `grid`. */
export const FILTER_GRID_CELL = `import * as lens from "convlens";
await lens.initBackend();
const model = lens.tf.sequential({ layers: [lens.tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 5, name: 'conv1' })] });
const grid = await lens.filterGrid(model, 'conv1', { tileSize: 40 });
grid`;

/** An IntSlider with value 7, as `slider`. */
export const SLIDER_CELL = `const slider = new lens.IntSlider({ value: 7, min: 0, max: 20, description: "k" });
slider`;

/** Pixel statistics of each FilterGrid tile canvas under `grid`. */
export async function tileCanvasStats(grid: Locator): Promise<Array<{ width: number; height: number; distinct: number; variance: number }>> {
  return grid.locator('.cl-tile canvas').evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const values: number[] = [];
      for (let i = 0; i < data.length; i += 4) values.push(data[i], data[i + 1], data[i + 2]);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      return { width: canvas.width, height: canvas.height, distinct: new Set(values).size, variance };
    }),
  );
}

/** Expect 8 drawn 5×5 tiles that are not blank, each showing its filter index. */
export async function expectDrawnGrid(grid: Locator): Promise<void> {
  expect(await grid.locator('.cl-tile .cl-tile-index').allTextContents()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  const stats = await tileCanvasStats(grid);
  expect(stats).toHaveLength(8);
  for (const s of stats) {
    expect([s.width, s.height]).toEqual([5, 5]);
    expect(s.distinct).toBeGreaterThan(10);
    expect(s.variance).toBeGreaterThan(100);
  }
}

/** Wait for the 8 tiles of the FilterGrid `grid`, check they are drawn, and save a non-blank screenshot of `shotOf`. */
export async function expectFilterGridShown(grid: Locator, shotOf: Locator | Page, file: string): Promise<void> {
  await grid.locator('.cl-tile').nth(7).waitFor({ timeout: 30_000 });
  await expectDrawnGrid(grid);
  const shot = await screenshot(shotOf, file);
  expect(shot.variance).toBeGreaterThan(10);
}
