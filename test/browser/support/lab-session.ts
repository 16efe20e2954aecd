/// <reference lib="dom" />
/**
 * One live session of the lab test page (lab-page/): fresh Jupyter folders with convlens
 * installed, the page built and served by lab-page/server.py, chromium on it, and a convlens
 * kernel started from the page. Cells run in that kernel and render in the page.
 */
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { launchBrowser, Browser } from './chromium';
import { buildLabPage } from './build';
import { makeJupyterEnv, startLabPageServer, tearDown, JupyterEnv, Server } from './jupyter';

/** What one executed cell produced (see lab-page/src/page.ts). */
export interface CellResult {
  index: number;
  status: string;
  /** Concatenated stdout / stderr. */
  text: string;
  /** The cell's outputs as nbformat JSON. */
  outputs: any[];
  error?: { ename: string; evalue: string };
}

export interface LabSession {
  jenv: JupyterEnv;
  server: Server;
  browser: Browser;
  /** `convlens@VERSION`, with ` (labextension)` when the widgets came from the installed labextension. */
  convlensModule: string;
  /** Run a cell; throws with the kernel's error when it fails. */
  run(code: string): Promise<CellResult>;
  /** The rendered outputs of cell `index`. */
  cell(index: number): Locator;
  /** Poll a kernel-side expression (printed with console.log) until it prints `expected`; returns what it printed last. */
  kernelValue(expression: string, expected: string, timeoutMs?: number): Promise<string>;
  /** Shut the kernel down (checking the server has none left), close chromium and the server, remove the folders. */
  close(): Promise<void>;
}

/** Open the lab test page on a fresh server and start a convlens kernel from it. */
export async function openLabSession(label: string): Promise<LabSession> {
  const jenv = makeJupyterEnv(label);
  const pageDir = path.join(jenv.dir, 'page');
  buildLabPage(pageDir);
  const server = await startLabPageServer(jenv, pageDir);
  const browser = await launchBrowser();
  const page = browser.page;
  const close = async () => {
    try {
      await page.evaluate(() => (window as any).convlensPage?.shutdown()).catch(() => undefined);
      const kernels = await server.api('/api/kernels');
      if (kernels.length) throw new Error(`kernels still running after shutdown: ${JSON.stringify(kernels)}`);
    } finally {
      await tearDown(jenv, browser, server);
    }
  };
  try {
    await page.goto(`${server.baseUrl}/convlens-test?token=${server.token}`);
    await page.waitForFunction(() => (window as any).convlensPage, null, { timeout: 30_000 }).catch((e) => {
      throw new Error(`page did not load: ${e}\n${browser.errors.join('\n')}`);
    });
    const started = await page.evaluate(() => (window as any).convlensPage.start('convlens'));
    const run = async (code: string): Promise<CellResult> => {
      const r: CellResult = await page.evaluate((c) => (window as any).convlensPage.run(c), code);
      if (r.status !== 'ok') throw new Error(`cell ${r.index} failed: ${JSON.stringify(r.error)}\n${code}\n${r.text}`);
      return r;
    };
    const kernelValue = async (expression: string, expected: string, timeoutMs = 10_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = (await run(`console.log(String(${expression}))`)).text.trim();
        if (text === expected || Date.now() > deadline) return text;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const cell = (index: number) => page.locator(`.convlens-test-cell[data-cell="${index}"]`);
    return { jenv, server, browser, convlensModule: started.convlensModule, run, cell, kernelValue, close };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
