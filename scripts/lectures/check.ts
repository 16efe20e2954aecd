/// <reference lib="dom" />
/**
 * The browser pass of `npm run lectures`: the site is served from 127.0.0.1 and every page opened
 * in headless chromium (Debian's, locked to localhost: test/browser/support/chromium.ts). It checks
 * that every saved widget view rendered (every widget area has content, every canvas has drawn
 * pixels), that no request left 127.0.0.1 or missed, and that no page logged an error; and it
 * screenshots one figure per lecture (the output of the cell tagged "gallery", else the first
 * widget) into `<site>/thumbs/<name>.png`, a small palette PNG.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, pngVariance } from '../../test/browser/support/chromium';
import { serveStatic } from '../../test/browser/support/static-server';
import { toIndexedPng } from '../indexed-png';

/** Largest thumbnail kept, in bytes (README gallery images stay small: test/docs/readme.test.ts). */
export const THUMB_MAX_BYTES = 40_000;
/** Largest thumbnail size in CSS pixels; bigger figures are zoomed out to fit. */
const THUMB_MAX = { width: 420, height: 320 };
/** How long a page may take to draw all its widgets. */
const RENDER_TIMEOUT_MS = 120_000;

/** What the browser pass found on one page. */
export interface PageReport {
  name: string;
  /** Widget views the page holds, and how many of them rendered. */
  views: number;
  rendered: number;
  /** Canvases checked (with a drawn pixel), of all canvases on the page. */
  canvases: number;
  /** Plotly plots checked (their screenshot is not blank). */
  plots: number;
  /** Everything wrong with the page (empty when it is fine). */
  problems: string[];
  /** Where the thumbnail came from: the cell tagged "gallery", or the first widget. */
  thumbSource?: 'gallery' | 'first widget' | 'first output';
  thumbBytes?: number;
}

/** Count widget views and rendered widget areas: those with content that is not the manager's error widget. */
function renderedCounts(): { views: number; rendered: number; empty: string[] } {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const areas = Array.from(document.querySelectorAll<HTMLElement>('.widget-subarea'));
  const cellOf = (el: Element) => {
    const cell = el.closest('.jp-Cell');
    return cell ? Array.from(document.querySelectorAll('.jp-Cell')).indexOf(cell) + 1 : 0;
  };
  const empty = areas
    .filter((a) => a.childElementCount === 0 || a.getBoundingClientRect().height < 2 || a.querySelector('.jupyter-widgets-error-widget'))
    .map((a) => `cell ${cellOf(a)}${a.querySelector('.jupyter-widgets-error-widget') ? ' (the widget manager\'s error view)' : ''}`);
  return { views, rendered: areas.length - empty.length, empty };
}

/**
 * Shown canvases with no drawn pixel (2D ones read here; WebGL ones are returned by index for a
 * screenshot). Canvases not shown (e.g. a grid's zoom view before a hover) are not counted, nor
 * plotly's WebGL picking and selection layers (`gl-canvas-pick`, `gl-canvas-focus`: empty until
 * a hover or a selection; the plots are checked as a whole).
 */
function blankCanvases(): { total: number; blank: string[]; webgl: number[] } {
  const all = Array.from(document.querySelectorAll('canvas'));
  const shown = (c: HTMLCanvasElement) =>
    c.getClientRects().length > 0 && getComputedStyle(c).visibility !== 'hidden' && !/\bgl-canvas-(pick|focus)\b/.test(c.className);
  const canvases = all.filter(shown);
  const cells = Array.from(document.querySelectorAll('.jp-Cell'));
  const blank: string[] = [];
  const webgl: number[] = [];
  canvases.forEach((c) => {
    const i = all.indexOf(c);
    const cell = cells.indexOf(c.closest('.jp-Cell') as Element) + 1;
    const owner = (c.closest('[class*="convlens-"]')?.className.match(/convlens-[\w-]+/) ?? ['a widget'])[0];
    const where = `canvas ${i + 1} (${owner}, cell ${cell}, ${c.width}×${c.height})`;
    if (c.width === 0 || c.height === 0) {
      blank.push(`${where}: zero size`);
      return;
    }
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) {
      webgl.push(i);
      return;
    }
    const alpha = ctx.getImageData(0, 0, c.width, c.height).data;
    let drawn = false;
    for (let k = 3; k < alpha.length && !drawn; k += 4) drawn = alpha[k] !== 0;
    if (!drawn) blank.push(`${where}: nothing drawn`);
  });
  return { total: canvases.length, blank, webgl };
}

/**
 * The figure a lecture's thumbnail shows: the tagged cell's widget (or output); else the first
 * widget that shows a picture (a canvas, image or plot of 64 px or more: not a lone slider or
 * progress bar), else the first widget, else the first image output.
 */
async function thumbTarget(page: Page): Promise<{ target: Locator; source: PageReport['thumbSource'] } | undefined> {
  const pictured = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.widget-subarea')).findIndex((area) =>
      Array.from(area.querySelectorAll('canvas, img, svg.main-svg')).some((g) => {
        const r = g.getBoundingClientRect();
        return r.width >= 64 && r.height >= 64;
      })));
  const candidates: Array<[string, PageReport['thumbSource']]> = [
    ['.celltag_gallery .widget-subarea', 'gallery'],
    ['.celltag_gallery .jp-OutputArea-output', 'gallery'],
    [pictured >= 0 ? `.widget-subarea >> nth=${pictured}` : '.widget-subarea', 'first widget'],
    ['.jp-OutputArea-output img', 'first output'],
  ];
  for (const [selector, source] of candidates) {
    const target = page.locator(selector).first();
    if ((await target.count()) > 0) return { target, source };
  }
  return undefined;
}

/** Screenshot `target`, zoomed out to fit the thumbnail size and byte limit, as a palette PNG. */
async function thumbnail(target: Locator): Promise<Buffer> {
  // As wide as the pictures and controls it shows (an output area spans the page; captions wrap).
  await target.evaluate((el) => {
    const left = el.getBoundingClientRect().left;
    const graphics = Array.from(el.querySelectorAll('canvas, img, svg, input, select, button, table')).filter((g) => g.getClientRects().length > 0);
    const right = Math.max(320, ...graphics.map((g) => g.getBoundingClientRect().right - left));
    Object.assign((el as HTMLElement).style, { width: 'fit-content', maxWidth: `${Math.ceil(right) + 8}px` });
  });
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('the figure is not visible');
  let zoom = Math.min(1, THUMB_MAX.width / box.width, THUMB_MAX.height / box.height);
  for (let attempt = 0; ; attempt++) {
    await target.evaluate((el, z) => (el as HTMLElement).style.setProperty('zoom', String(z)), zoom);
    await target.page().waitForTimeout(300);
    const shot = await target.screenshot();
    const variance = pngVariance(shot);
    if (variance < 10) throw new Error(`the figure drew nothing (luminance variance ${variance.toFixed(1)})`);
    const png = toIndexedPng(shot);
    if (png.length <= THUMB_MAX_BYTES) return png;
    if (attempt === 3) throw new Error(`its thumbnail is ${png.length} bytes even at zoom ${zoom.toFixed(2)} (limit ${THUMB_MAX_BYTES})`);
    zoom *= 0.75;
  }
}

/** Check one lecture page (see the file comment) and write its thumbnail into `thumbs`. */
async function checkPage(page: Page, url: string, name: string, thumbs: string): Promise<PageReport> {
  const report: PageReport = { name, views: 0, rendered: 0, canvases: 0, plots: 0, problems: [] };
  await page.goto(url, { waitUntil: 'load', timeout: RENDER_TIMEOUT_MS });
  await page
    .waitForFunction(() => {
      const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
      const areas = Array.from(document.querySelectorAll('.widget-subarea'));
      return areas.length >= views && areas.every((a) => a.childElementCount > 0);
    }, null, { timeout: RENDER_TIMEOUT_MS, polling: 500 })
    .catch(() => undefined); // counted below
  await page.waitForTimeout(1500); // images decode and canvases draw asynchronously
  const counts = await page.evaluate(renderedCounts);
  Object.assign(report, { views: counts.views, rendered: counts.rendered });
  if (counts.rendered < counts.views) report.problems.push(`${counts.views - counts.rendered} of ${counts.views} widget views did not render`);
  for (const e of counts.empty) report.problems.push(`an empty widget area in ${e}`);
  // An HTML widget whose markup shows as text (the saved state was HTML-escaped on the way into the page).
  const literal = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.widget-html-content')).map((el) => el.textContent ?? '').filter((t) => /<\/?[a-z][^>]*>/i.test(t)));
  for (const t of literal) report.problems.push(`an HTML widget shows its markup as text: ${JSON.stringify(t.slice(0, 60))}`);
  const canvases = await page.evaluate(blankCanvases);
  for (const i of canvases.webgl) {
    const canvas = page.locator('canvas').nth(i);
    const shot = (await canvas.isVisible()) ? await canvas.screenshot().catch(() => undefined) : undefined;
    if (shot && pngVariance(shot) === 0) canvases.blank.push(`canvas ${i + 1} (WebGL): nothing drawn`);
  }
  report.canvases = canvases.total - canvases.blank.length;
  report.problems.push(...canvases.blank);
  const plots = page.locator('.js-plotly-plot');
  for (let i = 0; i < (await plots.count()); i++) {
    const plot = plots.nth(i);
    if (!(await plot.isVisible())) continue;
    await plot.scrollIntoViewIfNeeded();
    const variance = pngVariance(await plot.screenshot());
    if (variance < 10) report.problems.push(`plot ${i + 1} drew nothing (luminance variance ${variance.toFixed(1)})`);
    report.plots++;
  }
  const figure = await thumbTarget(page);
  if (!figure) {
    report.problems.push('no output to make a thumbnail of');
  } else {
    try {
      const png = await thumbnail(figure.target);
      fs.writeFileSync(path.join(thumbs, `${name}.png`), png);
      Object.assign(report, { thumbSource: figure.source, thumbBytes: png.length });
    } catch (e) {
      report.problems.push(`thumbnail (${figure.source}): ${(e as Error).message}`);
    }
  }
  return report;
}

/**
 * Open `<site>/index.html` and `<site>/<name>.html` for each of `names` in chromium, served from
 * 127.0.0.1; check them and write their thumbnails (see the file comment). The index is checked
 * last, after `beforeIndex` (which rewrites it with the new thumbnails): every lecture linked,
 * every image loaded.
 */
export async function checkSite(
  site: string,
  names: string[],
  beforeIndex: () => void = () => undefined,
  log: (line: string) => void = () => undefined,
): Promise<PageReport[]> {
  const thumbs = path.join(site, 'thumbs');
  fs.mkdirSync(thumbs, { recursive: true });
  const server = await serveStatic({ '/': site });
  const browser = await launchBrowser();
  const reports: PageReport[] = [];
  const requestsSeen = () => server.requests.length;
  const pageProblems = (from: number): string[] => {
    const problems = server.requests.slice(from).filter((r) => r.startsWith('404') && !r.endsWith('/favicon.ico')).map((r) => `missing file: ${r.slice(4)}`);
    problems.push(...browser.externalRequests.splice(0).map((u) => `request beyond 127.0.0.1 (blocked): ${u}`));
    problems.push(...browser.errors.splice(0).map((e) => `page error: ${e}`));
    return problems;
  };
  try {
    for (const name of names) {
      const from = requestsSeen();
      const t0 = Date.now();
      const report = await checkPage(browser.page, `${server.baseUrl}/${name}.html`, name, thumbs);
      report.problems.push(...pageProblems(from));
      reports.push(report);
      log(`${name}.html: ${report.rendered}/${report.views} widget views, ${report.canvases} canvases drawn, ${report.plots} plots, thumbnail from ${report.thumbSource ?? '-'} ` +
        `(${((report.thumbBytes ?? 0) / 1024).toFixed(1)} KB), ${((Date.now() - t0) / 1000).toFixed(1)} s${report.problems.length ? `: ${report.problems.length} problem(s)` : ''}`);
    }
    beforeIndex();
    const from = requestsSeen();
    const index: PageReport = { name: 'index', views: 0, rendered: 0, canvases: 0, plots: 0, problems: [] };
    await browser.page.goto(`${server.baseUrl}/index.html`, { waitUntil: 'load' });
    const links = await browser.page.locator('li > a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const name of names) if (!links.includes(`${name}.html`)) index.problems.push(`the index does not link ${name}.html`);
    const images = await browser.page.locator('img').evaluateAll((imgs) => imgs.map((i) => [(i as HTMLImageElement).getAttribute('src'), (i as HTMLImageElement).naturalWidth] as const));
    for (const [src, width] of images) if (!width) index.problems.push(`the index image ${src} did not load`);
    for (const name of names) if (!images.some(([src]) => src === `thumbs/${name}.png`)) index.problems.push(`the index has no thumbnail for ${name}`);
    index.problems.push(...pageProblems(from));
    reports.push(index);
    log(`index.html: ${links.length} lectures, ${images.length} thumbnails${index.problems.length ? `: ${index.problems.length} problem(s)` : ''}`);
  } finally {
    await browser.close();
    await server.close();
  }
  return reports;
}
