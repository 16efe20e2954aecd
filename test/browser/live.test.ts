/// <reference lib="dom" />
/**
 * Live browser test: JupyterLab's own widget manager in a page served by Debian's jupyter_server
 * (lab-page/), talking to the convlens kernel, rendered by Debian's chromium.
 */
import { launchBrowser, Browser, screenshot } from './support/chromium';
import { buildLabPage, makeJupyterEnv, startLabPageServer, JupyterEnv, Server } from './support/jupyter';

interface CellResult {
  index: number;
  status: string;
  text: string;
  outputs: any[];
  error?: { ename: string; evalue: string };
}

let jenv: JupyterEnv;
let server: Server;
let browser: Browser;

async function run(code: string): Promise<CellResult> {
  const r: CellResult = await browser.page.evaluate((c) => (window as any).convlensPage.run(c), code);
  if (r.status !== 'ok') throw new Error(`cell ${r.index} failed: ${JSON.stringify(r.error)}\n${code}\n${r.text}`);
  return r;
}

beforeAll(async () => {
  let t = Date.now();
  const lap = (what: string) => { console.log(what, Date.now() - t); t = Date.now(); };
  buildLabPage();
  lap('build');
  jenv = makeJupyterEnv('live');
  lap('env');
  server = await startLabPageServer(jenv);
  lap('server');
  browser = await launchBrowser();
  await browser.page.goto(`${server.baseUrl}/convlens-test?token=${server.token}`);
  await browser.page.waitForFunction(() => (window as any).convlensPage, null, { timeout: 30_000 }).catch((e) => {
    throw new Error(`page did not load: ${e}\n${browser.errors.join('\n')}`);
  });
  lap('page');
  await browser.page.evaluate(() => (window as any).convlensPage.start('convlens'));
  lap('kernel');
}, 180_000);

afterAll(async () => {
  try {
    await browser?.page.evaluate(() => (window as any).convlensPage.shutdown()).catch(() => undefined);
    const kernels = server ? await server.api('/api/kernels') : [];
    expect(kernels).toEqual([]);
  } finally {
    await browser?.close();
    await server?.stop();
    jenv?.cleanup();
  }
}, 60_000);

test('the page runs a cell in the convlens kernel', async () => {
  const r = await run('const x = 1 + 2;\nconsole.log(x * 7);');
  expect(r.text).toBe('21\n');
  const shot = await screenshot(browser.page, 'live-smoke.png');
  expect(shot.variance).toBeGreaterThan(1);
  expect(browser.externalRequests).toEqual([]);
});
