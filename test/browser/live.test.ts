/// <reference lib="dom" />
/**
 * Live browser test: JupyterLab's own widget manager (@jupyter-widgets/jupyterlab-manager 5) in a
 * page built from @jupyterlab/services + outputarea + rendermime (lab-page/), served by Debian's
 * jupyter_server through a LabServerApp subclass, talking to the convlens kernel over real
 * ZeroMQ, rendered by Debian's chromium. Cells run in one kernel, in order.
 */
import { screenshot } from './support/chromium';
import { expectFilterGridShown, FILTER_GRID_CELL } from './support/cells';
import { leftoverKernels } from './support/jupyter';
import { openLabSession, LabSession } from './support/lab-session';

let session: LabSession;
const run = (code: string) => session.run(code);
const cell = (index: number) => session.cell(index);
const kernelValue = (expression: string, expected: string) => session.kernelValue(expression, expected);

beforeAll(async () => {
  session = await openLabSession('live');
  expect(session.convlensModule).toMatch(/^convlens@\d+\.\d+\.\d+$/);
  // The leftover-kernel check at the end sees this running kernel now.
  expect(await leftoverKernels(session.jenv, 0)).toHaveLength(1);
}, 240_000);

afterAll(async () => {
  await session?.close();
}, 60_000);

afterEach(() => {
  expect(session.browser.externalRequests).toEqual([]);
  session.browser.expectNoErrors();
});

test('cells run in the convlens kernel: stdout and the last expression', async () => {
  const r = await run('import * as lens from "convlens";\nconst x = 1 + 2;\nconsole.log(x * 7);\nx * 2');
  expect(r.text).toBe('21\n');
  expect(r.outputs.find((o) => o.output_type === 'execute_result')?.data['text/plain']).toBe('6');
});

test('a slider moved by keyboard changes the kernel value; a kernel-side update moves the view', async () => {
  const shown = await run('const slider = new lens.IntSlider({ value: 3, min: 0, max: 10, description: "k" });\nslider');
  const view = cell(shown.index).locator('.widget-slider');
  await view.waitFor({ timeout: 20_000 });
  const readout = view.locator('.widget-readout');
  expect(await readout.textContent()).toBe('3');

  await view.locator('.noUi-handle').focus();
  await session.browser.page.keyboard.press('ArrowRight');
  await session.browser.page.keyboard.press('ArrowRight');
  expect(await kernelValue('slider.get("value")', '5')).toBe('5');
  expect(await readout.textContent()).toBe('5');

  await run('slider.set({ value: 9 });');
  await session.browser.page.waitForFunction((el) => el?.textContent === '9', await readout.elementHandle(), { timeout: 10_000 });
  const shot = await screenshot(cell(shown.index), 'live-slider.png');
  expect(shot.variance).toBeGreaterThan(10);
});

/** Filter f of a [kh, kw, 3, n] kernel, min-max stretched on its own to bytes, in y, x, channel order. */
const EXPECTED_BYTES_CELL = `
const kernel = (await model.getLayer('conv1').getWeights()[0].array()) as number[][][][];
const expected: number[][] = [];
for (let f = 0; f < 8; f++) {
  const values: number[] = [];
  for (const row of kernel) for (const px of row) for (const ch of px) values.push(ch[f]);
  const lo = Math.min(...values), hi = Math.max(...values);
  expected.push(values.map((v) => Math.round(((v - lo) / (hi - lo)) * 255)));
}
console.log(JSON.stringify(expected));`;

describe('FilterGrid', () => {
  let gridCell: number;

  test('tile pixels are the conv layer’s real weights, each filter normalized on its own', async () => {
    gridCell = (await run(FILTER_GRID_CELL)).index;
    const tiles = cell(gridCell).locator('.convlens-filter-grid .cl-tile');
    await tiles.nth(7).waitFor({ timeout: 20_000 });
    expect(await tiles.count()).toBe(8);
    const expected: number[][] = JSON.parse((await run(EXPECTED_BYTES_CELL)).text);
    const drawn: Array<{ width: number; height: number; rgb: number[] }> = await tiles.evaluateAll((els) =>
      els.map((tile) => {
        const canvas = tile.querySelector('canvas')!;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const rgb: number[] = [];
        for (let i = 0; i < data.length; i += 4) rgb.push(data[i], data[i + 1], data[i + 2]);
        return { width: canvas.width, height: canvas.height, rgb };
      }),
    );
    drawn.forEach((tile, f) => {
      expect([tile.width, tile.height]).toEqual([5, 5]);
      const worst = Math.max(...tile.rgb.map((v, i) => Math.abs(v - expected[f][i])));
      expect(worst).toBeLessThanOrEqual(1);
      expect(new Set(tile.rgb).size).toBeGreaterThan(10);
    });
    const shot = await screenshot(cell(gridCell), 'live-filter-grid.png');
    expect(shot.variance).toBeGreaterThan(10);
  });

  test('hovering a tile shows it magnified, pixel for pixel', async () => {
    await cell(gridCell).locator('.cl-tile[data-index="3"]').hover();
    const zoom = cell(gridCell).locator('.cl-zoom');
    await zoom.waitFor({ state: 'visible', timeout: 5_000 });
    const compared = await cell(gridCell).evaluate((root) => {
      const tile = root.querySelector('.cl-tile[data-index="3"] canvas') as HTMLCanvasElement;
      const big = root.querySelector('.cl-zoom canvas') as HTMLCanvasElement;
      const small = tile.getContext('2d')!.getImageData(0, 0, tile.width, tile.height).data;
      const large = big.getContext('2d')!.getImageData(0, 0, big.width, big.height).data;
      const scale = big.width / tile.width;
      let mismatches = 0;
      for (let y = 0; y < tile.height; y++) {
        for (let x = 0; x < tile.width; x++) {
          const at = (Math.floor((y + 0.5) * scale) * big.width + Math.floor((x + 0.5) * scale)) * 4;
          for (let c = 0; c < 3; c++) if (large[at + c] !== small[(y * tile.width + x) * 4 + c]) mismatches++;
        }
      }
      return { scale, mismatches };
    });
    expect(compared.scale).toBeGreaterThan(1);
    expect(compared.mismatches).toBe(0);
    await screenshot(session.browser.page, 'live-filter-grid-hover.png');
  });

  test('clicking a tile selects that filter in the kernel', async () => {
    await cell(gridCell).locator('.cl-tile[data-index="5"]').click();
    expect(await kernelValue('grid.selected', '5')).toBe('5');
    expect(await cell(gridCell).locator('.cl-tile.cl-selected').getAttribute('data-index')).toBe('5');
  });

  test('a kernel-side selection moves the highlight in the view', async () => {
    await run('grid.selected = 2;');
    await cell(gridCell).locator('.cl-tile.cl-selected[data-index="2"]').waitFor({ timeout: 10_000 });
    expect(await cell(gridCell).locator('.cl-tile.cl-selected').count()).toBe(1);
    await session.browser.page.mouse.move(0, 0);
    await screenshot(cell(gridCell), 'live-filter-grid-selected.png');
  });
});

describe('the installed JupyterLab 4 labextension', () => {
  test('loads like JupyterLab loads it and renders the FilterGrid', async () => {
    const page = await session.browser.context.newPage();
    try {
      await page.goto(`${session.server.baseUrl}/convlens-test?token=${session.server.token}`);
      await page.waitForFunction(() => (window as any).convlensPage, null, { timeout: 30_000 });
      const started = await page.evaluate(() => (window as any).convlensPage.start('convlens', 'labextension'));
      expect(started.convlensModule).toMatch(/^convlens@\d+\.\d+\.\d+ \(labextension\)$/);
      const r = await page.evaluate((c) => (window as any).convlensPage.run(c), FILTER_GRID_CELL);
      expect(r.status).toBe('ok');
      const grid = page.locator(`.convlens-test-cell[data-cell="${r.index}"] .convlens-filter-grid`);
      await expectFilterGridShown(grid, grid, 'live-labextension-filter-grid.png');
    } finally {
      await page.evaluate(() => (window as any).convlensPage.shutdown()).catch(() => undefined);
      await page.close();
    }
  });
});
