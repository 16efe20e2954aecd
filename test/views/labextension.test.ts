/// <reference lib="dom" />
/**
 * The JupyterLab 4 prebuilt extension (labextension/, from `npm run build`) loads as a federated
 * module in chromium: its plugin requires the host's IJupyterWidgetRegistry token (so
 * @jupyter-widgets/base comes from the share scope, not a bundled copy), registers `convlens`
 * with the package version, and its lazily loaded widget module draws a FilterGrid through
 * @jupyter-widgets/html-manager (whose embed-amd.js plays the host providing base).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../../kernel-lib/backend';
import { setCommTransport } from '../../kernel-lib/comm/comm-types';
import { OfflineTransport } from '../../kernel-lib/comm/offline-transport';
import { tf } from '../../kernel-lib/tf';
import { filterGrid } from '../../kernel-lib/widgets';
import { savedWidgetState } from '../../kernel-lib/ipywidgets/saved-state';
import { Browser, launchBrowser, screenshot } from '../browser/support/chromium';
import { REPO, serveStatic, StaticServer } from './static-server';

const LAB = path.join(REPO, 'labextension');

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  await initBackend({ log: false });
  if (!fs.existsSync(path.join(LAB, 'package.json'))) throw new Error('labextension/ is missing: run `npm run build` first');
  server = await serveStatic({}, { '/lab/': LAB });
  browser = await launchBrowser();
}, 60_000);


afterEach(() => {
  browser.expectNoErrors();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the federated labextension registers convlens and draws a FilterGrid', async () => {
  setCommTransport(new OfflineTransport());
  const model = tf.sequential({ layers: [tf.layers.conv2d({ name: 'conv1', inputShape: [8, 8, 3], filters: 6, kernelSize: 3 })] });
  const grid = await filterGrid(model, 'conv1');
  const saved = savedWidgetState();
  const lab = JSON.parse(fs.readFileSync(path.join(LAB, 'package.json'), 'utf8'));
  const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
  const page = browser.page;
  await page.goto(server.url);
  const result = await page.evaluate(
    async ({ entry, saved, modelId }) => {
      const w = window as any;
      const amd = (names: string[]) => new Promise<any[]>((resolve, reject) => w.requirejs(names, (...m: any[]) => resolve(m), reject));
      const [baseModule, htmlManager] = await amd(['@jupyter-widgets/base', '@jupyter-widgets/html-manager']);
      await new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = `/lab/${entry}`;
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
      const container = w._JUPYTERLAB.convlens;
      await container.init({
        '@jupyter-widgets/base': { '6.0.12': { get: () => Promise.resolve(() => baseModule), loaded: 1, from: 'host' } },
      });
      const plugin = (await container.get('./extension'))().default;
      const registered: any[] = [];
      plugin.activate({}, { registerWidget: (data: any) => registered.push(data) });
      const module = await registered[0].exports();
      const manager = new htmlManager.HTMLManager({ loader: (name: string) => (name === 'convlens' ? module : Promise.reject(new Error(`unexpected module ${name}`))) });
      await manager.set_state(saved);
      const view = await manager.create_view(await manager.get_model(modelId));
      await manager.display_view(view, document.getElementById('out'));
      await new Promise((r) => setTimeout(r, 300));
      const tiles = Array.from(document.querySelectorAll<HTMLCanvasElement>('.cl-tile canvas'));
      // Saving widget state (what a frontend writes into the notebook) keeps the tiles binary.
      const resaved: any = Object.values((await manager.get_state({ drop_defaults: true })).state).find((m: any) => m.model_name === 'FilterGridModel');
      return {
        id: plugin.id,
        sharedToken: plugin.requires[0] === baseModule.IJupyterWidgetRegistry,
        name: registered[0].name,
        version: registered[0].version,
        exports: Object.keys(module).filter((k) => /View$|Model$/.test(k)).sort(),
        tiles: tiles.length,
        firstTile: Array.from(tiles[0].getContext('2d')!.getImageData(0, 0, 3, 3).data),
        resavedBuffers: (resaved.buffers ?? []).map((b: any) => `${b.path.join('.')}:${atob(b.data).length}`),
      };
    },
    { entry: lab.jupyterlab._build.load, saved, modelId: grid.modelId },
  );
  expect(result.id).toBe('convlens:widgets');
  expect(result.sharedToken).toBe(true);
  expect(result.name).toBe('convlens');
  expect(result.version).toBe(version);
  expect(result.exports).toEqual(expect.arrayContaining(['FilterGridModel', 'FilterGridView']));
  expect(result.tiles).toBe(6);
  expect(result.resavedBuffers).toEqual([`images:${6 * 3 * 3 * 4}`]);
  // Top-left 3x3 pixels of tile 0 (a 3x3 filter): exactly the kernel's RGBA bytes.
  expect(result.firstTile).toEqual(Array.from((grid.get('images') as Uint8Array).subarray(0, 36)));
  const shot = await screenshot(page.locator('#out'), 'labextension-federated.png');
  expect(shot.variance).toBeGreaterThan(10);
  expect(browser.externalRequests).toEqual([]);
  grid.close();
}, 60_000);
