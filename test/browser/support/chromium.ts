/**
 * Debian's chromium, driven by playwright-core, locked to localhost: every request that does not
 * go to 127.0.0.1 / localhost / file: / data: / blob: is aborted and recorded, so a test can fail
 * when anything tried to leave the machine.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const CHROMIUM_PATH = process.env.CONVLENS_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where screenshots go (git-ignored). */
export const TEST_OUTPUT = path.resolve(__dirname, '../../../test-output');

/** True for URLs that stay on this machine. */
export function isLocalUrl(url: string): boolean {
  if (/^(file|data|blob|about|chrome-error):/.test(url)) return true;
  try {
    const u = new URL(url);
    return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  } catch {
    return false;
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** URLs of requests that tried to leave localhost (all were aborted). */
  externalRequests: string[];
  /** Console errors and uncaught page errors (a view that throws lands here). */
  errors: string[];
  /** Everything the page printed to its console. */
  consoleLines: string[];
  close(): Promise<void>;
  /**
   * Fail unless the page logged no console error and threw no uncaught error since the last call
   * (errors matching `expected` are known and allowed; each caller says why).
   */
  expectNoErrors(expected?: RegExp[]): void;
}

/** Launch chromium with a fresh profile and a page whose network is limited to localhost. */
export async function launchBrowser(): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  const externalRequests: string[] = [];
  const errors: string[] = [];
  const consoleLines: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    externalRequests.push(url);
    return route.abort('blockedbyclient');
  });
  // WebSockets are not seen by route(); record any that leave localhost.
  context.on('page', (p) => watchPage(p));
  const page = context.pages()[0] ?? (await context.newPage());
  watchPage(page);
  function watchPage(p: Page): void {
    p.on('websocket', (ws) => {
      if (!isLocalUrl(ws.url().replace(/^ws/, 'http'))) externalRequests.push(ws.url());
    });
    p.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${m.text()}`);
      if (m.type() === 'error') errors.push(m.location().url ? `${m.text()} [${m.location().url}]` : m.text());
    });
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  }
  return {
    context,
    page,
    externalRequests,
    errors,
    consoleLines,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
    expectNoErrors(expected: RegExp[] = []) {
      const unexpected = errors.filter((e) => !expected.some((r) => r.test(e)));
      errors.length = 0;
      if (unexpected.length > 0) throw new Error(`the page logged errors:\n${unexpected.join('\n')}`);
    },
  };
}

/** Luminance variance of a PNG (0 for a blank, single-colour image). */
export function pngVariance(png: Buffer): number {
  const img = PNG.sync.read(png);
  let sum = 0;
  let sumSq = 0;
  const n = img.width * img.height;
  for (let i = 0; i < img.data.length; i += 4) {
    const y = 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
    sum += y;
    sumSq += y * y;
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Save a screenshot (of an element or the page) under test-output/ and return its variance. */
export async function screenshot(
  target: Page | import('playwright-core').Locator,
  name: string,
): Promise<{ file: string; variance: number }> {
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  const file = path.join(TEST_OUTPUT, name);
  const png = await target.screenshot({ path: file });
  return { file, variance: pngVariance(png) };
}
