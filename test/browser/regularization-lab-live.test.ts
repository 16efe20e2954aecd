/// <reference lib="dom" />
/**
 * The RegularizationLab live (JupyterLab's widget manager in the test page, the convlens kernel
 * over ZeroMQ, chromium): Start from the page runs the optimization on the kernel and the canvas
 * is redrawn as frames arrive; a slider moved mid-run changes the next frames (clip norm 95 %:
 * from the next step nearly every pixel is the mean grey); Stop halts the run; Snapshot adds to the
 * strip; Export offers a download.
 */
import { screenshot } from './support/chromium';
import { openLabSession, LabSession } from './support/lab-session';

let session: LabSession;

beforeAll(async () => {
  session = await openLabSession('regularization-lab');
}, 240_000);

afterAll(async () => {
  await session?.close();
}, 60_000);

afterEach(() => {
  expect(session.browser.externalRequests).toEqual([]);
});

/** Share of the lab canvas's pixels that are exactly mid-grey (128, 128, 128), and a fingerprint. */
function canvasStats(root: ReturnType<LabSession['cell']>): Promise<{ grey: number; hash: number; width: number }> {
  return root.locator('canvas.cl-lab-image').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let grey = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 128 && d[i + 1] === 128 && d[i + 2] === 128) grey++;
      hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1_000_000_007;
    }
    return { grey: grey / (d.length / 4), hash, width: c.width };
  });
}

test('Start, a slider moved mid-run changes the next frames, Stop, Snapshot, Export', async () => {
  const { run, cell, kernelValue, browser } = session;
  await run(`import * as lens from "convlens";
const model = await lens.loadModel("fashion-cnn");
const classNames: string[] = [...lens.zooEntry("fashion-cnn").classNames];`);
  const shown = await run(`const lab = lens.regularizationLab(model, { classNames, steps: 1000, drawEvery: 2, decay: 0, blur_sigma: 0, jitter: 1, mean: 0.5, seed: 1 });
lab`);
  const root = cell(shown.index).locator('.convlens-regularization-lab');
  await root.locator('canvas.cl-lab-image').waitFor({ timeout: 30_000 });

  await root.locator('button.cl-lab-start').click();
  expect(await kernelValue('lab.get("running")', 'true', 20_000)).toBe('true');
  // Frames arrive and the canvas changes while it runs.
  await browser.page.waitForFunction(() => {
    const s = document.querySelector('.convlens-regularization-lab .cl-lab-status')?.textContent ?? '';
    return /running · step (\d+)/.test(s) && Number(/step (\d+)/.exec(s)![1]) >= 10;
  }, null, { timeout: 60_000 });
  const before = await canvasStats(root);
  expect(before.width).toBe(28);
  expect(before.grey).toBeLessThan(0.5);

  // Move the clip-norm slider to 95 % from the page while the run goes on.
  await root.locator('input[aria-label="clip norm %"]').fill('95');
  expect(await kernelValue('lab.get("norm_percentile")', '95', 20_000)).toBe('95');
  await browser.page.waitForFunction(() => {
    const c = document.querySelector('.convlens-regularization-lab canvas.cl-lab-image') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let grey = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 128 && d[i + 1] === 128 && d[i + 2] === 128) grey++;
    return grey / (d.length / 4) >= 0.9;
  }, null, { timeout: 30_000 });
  expect(await kernelValue('lab.get("running")', 'true')).toBe('true');

  // Stop from the page: the kernel's run ends and the step no longer moves.
  await root.locator('button.cl-lab-stop').click();
  expect(await kernelValue('lab.get("running")', 'false', 20_000)).toBe('false');
  const stoppedAt = (await run('console.log(lab.get("step"))')).text.trim();
  await new Promise((r) => setTimeout(r, 500));
  expect((await run('console.log(lab.get("step"))')).text.trim()).toBe(stoppedAt);
  expect(Number(stoppedAt)).toBeLessThan(1000);

  // Snapshot: one figure in the strip with the settings and score.
  await root.locator('button.cl-lab-snapshot').click();
  await root.locator('.cl-lab-snapshot figcaption').first().waitFor({ timeout: 20_000 });
  expect(await root.locator('.cl-lab-snapshot figcaption').first().textContent()).toMatch(/^T-shirt\/top · pixels · lr 0.02 · norm p95 · jitter 1 · score/);

  // Export: the kernel sends the PNG strip, the page offers it as a download.
  await root.locator('button.cl-lab-png').click();
  await root.locator('a.cl-lab-download').waitFor({ timeout: 20_000 });
  expect(await root.locator('a.cl-lab-download').getAttribute('download')).toBe('convlens-lab.png');
  const shot = await screenshot(cell(shown.index), 'live-regularization-lab.png');
  expect(shot.variance).toBeGreaterThan(10);
  await run('lab.close(); model.dispose();');
}, 240_000);
