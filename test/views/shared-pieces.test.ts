/// <reference lib="dom" />
/**
 * The shared drawing pieces of the `convlens` browser module, exercised in chromium from the
 * embed bundle (dist/embed/convlens.js, built by `npm run build`): themes from the JupyterLab CSS
 * variables, the heatmap overlay with opacity, colour bar and value tooltip, and the partial
 * Plotly build (bar and heatmap traces, themed layout, scattergl registered).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, launchBrowser, screenshot } from '../browser/support/chromium';
import { REPO, serveStatic, StaticServer } from './static-server';

const EMBED = path.join(REPO, 'dist/embed/convlens.js');
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(EMBED)) throw new Error('dist/embed/convlens.js is missing: run `npm run build` first');
  server = await serveStatic({ '/convlens.js': EMBED });
  browser = await launchBrowser();
  await browser.page.goto(server.url);
  await browser.page.evaluate(() => {
    (window as any).requirejs.config({ paths: { convlens: '/convlens' } });
  });
}, 60_000);


afterEach(() => {
  browser.expectNoErrors();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Run `fn(convlensModule)` in the page. */
function inPage<T, A>(fn: (cl: any, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
  return browser.page.evaluate(
    async ({ source, arg }) => {
      const cl = await new Promise((resolve, reject) => (window as any).requirejs(['convlens'], resolve, reject));
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the test's function, serialized, in the page
      return new Function('cl', 'arg', `return (${source})(cl, arg);`)(cl, arg);
    },
    { source: fn.toString(), arg },
  );
}

test('themes follow the JupyterLab variables and the light/dark flag', async () => {
  const result = await inPage((cl) => {
    const el = document.createElement('div');
    cl.applyThemeClass(el);
    document.body.appendChild(el);
    const plain = cl.themeColors(el);
    document.body.style.setProperty('--jp-layout-color0', '#111111');
    document.body.style.setProperty('--jp-ui-font-color1', '#eeeeee');
    document.body.setAttribute('data-jp-theme-light', 'false');
    const dark = cl.themeColors(el);
    document.body.removeAttribute('data-jp-theme-light');
    document.body.style.removeProperty('--jp-layout-color0');
    document.body.style.removeProperty('--jp-ui-font-color1');
    el.remove();
    return { plain, dark };
  });
  expect(result.plain).toMatchObject({ dark: false, background: '#ffffff', foreground: '#212121' });
  expect(result.dark).toMatchObject({ dark: true, background: '#111111', foreground: '#eeeeee' });
});

test('the heatmap overlay draws image, heatmap with opacity, colour bar and value tooltip', async () => {
  const result = await inPage((cl) => {
    const root = document.getElementById('out')!;
    root.innerHTML = '';
    cl.applyThemeClass(root);
    const image = cl.makeCanvas(4, 4);
    const ictx = image.getContext('2d');
    ictx.fillStyle = '#808080';
    ictx.fillRect(0, 0, 4, 4);
    const heat = cl.makeCanvas(2, 2);
    const hctx = heat.getContext('2d');
    hctx.fillStyle = '#ff0000';
    hctx.fillRect(1, 0, 1, 1);
    const overlay = new cl.HeatmapOverlay(200);
    root.appendChild(overlay.element);
    overlay.setImage(image);
    overlay.setHeatmap(heat, { colormap: 'viridis', min: -0.5, max: 2, label: 'drop in score', values: new Float32Array([0, 2, 0.25, -0.5]) }, false);
    overlay.setOpacity(0.4);
    const canvases: HTMLCanvasElement[] = Array.from(overlay.stack.querySelectorAll('canvas'));
    const [base, top] = canvases;
    const bar = overlay.element.querySelector('.cl-colorbar canvas') as HTMLCanvasElement;
    const px = (c: HTMLCanvasElement, x: number, y: number) => Array.from(c.getContext('2d')!.getImageData(x, y, 1, 1).data);
    const rect = top.getBoundingClientRect();
    top.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: rect.left + rect.width * 0.75, clientY: rect.top + rect.height * 0.25 }));
    const tooltip = (document.querySelector('.convlens-tooltip') as HTMLElement).textContent;
    return {
      size: [base.width, base.height, top.width, top.height],
      basePixel: px(base, 10, 10),
      heatRight: px(top, 150, 50),
      heatLeft: px(top, 50, 50),
      opacity: top.style.opacity,
      barTop: px(bar, 0, 0),
      barBottom: px(bar, 0, 255),
      ticks: Array.from(overlay.element.querySelectorAll('.cl-colorbar span')).map((s: any) => s.textContent),
      tooltip,
    };
  });
  expect(result.size).toEqual([200, 200, 200, 200]);
  expect(result.basePixel).toEqual([128, 128, 128, 255]);
  expect(result.heatRight).toEqual([255, 0, 0, 255]);
  expect(result.heatLeft[3]).toBe(0);
  expect(result.opacity).toBe('0.4');
  expect(result.barTop).toEqual([0xfd, 0xe7, 0x25, 255]); // viridis high end at the top
  expect(result.barBottom).toEqual([0x44, 0x01, 0x54, 255]);
  expect(result.ticks).toEqual(['2', '-0.5']);
  expect(result.tooltip).toBe('drop in score at (1, 0): 2');
  const shot = await screenshot(browser.page.locator('#out'), 'views-heatmap-overlay.png');
  expect(shot.variance).toBeGreaterThan(10);
});

test('the partial Plotly build draws bar and heatmap traces with the theme, and has scattergl', async () => {
  const result = await inPage(async (cl) => {
    const root = document.getElementById('out')!;
    root.innerHTML = '';
    cl.applyThemeClass(root);
    const div = document.createElement('div');
    div.style.width = '500px';
    div.style.height = '300px';
    root.appendChild(div);
    const chart = await cl.createChart(div, [
      { type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2] },
      { type: 'heatmap', z: [[1, 2], [3, 4]], colorscale: cl.plotlyColorscale('viridis'), xaxis: 'x2', yaxis: 'y2' },
    ], { title: { text: 'units' }, grid: { rows: 1, columns: 2, pattern: 'independent' } });
    const plotly = await cl.loadPlotly();
    const clicked: number[] = [];
    chart.onClick((points: any[]) => clicked.push(points[0].pointNumber));
    const out = {
      bars: div.querySelectorAll('.bars path').length,
      heatmaps: div.querySelectorAll('.hm image, .heatmaplayer image').length,
      paper: (div as any)._fullLayout.paper_bgcolor,
      font: (div as any)._fullLayout.font.color,
      traces: Object.keys(plotly.PlotSchema.get().traces).sort(),
    };
    chart.dispose();
    return { ...out, purged: div.querySelectorAll('.bars path').length };
  });
  expect(result.bars).toBe(3);
  expect(result.heatmaps).toBe(1);
  expect(result.paper).toBe('rgba(0, 0, 0, 0)');
  expect(result.font).toBe('#212121');
  expect(result.traces).toEqual(['bar', 'heatmap', 'scatter', 'scattergl']);
  expect(result.purged).toBe(0);
});
