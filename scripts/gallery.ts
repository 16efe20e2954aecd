/**
 * The README's gallery: `npm run gallery` renders docs/gallery/*.png from real runs of the
 * shipped models (fashion-cnn, shapes-cnn) on real data (the shapes dataset), drawn by the real
 * convlens widget views. The kernel side runs here in Node (widgets on the offline transport);
 * their saved state (what a notebook keeps in its metadata) is rendered by
 * @jupyter-widgets/html-manager and the convlens browser bundle (dist/embed/convlens.js, built by
 * `npm run build:widgets`) in headless chromium, locked to localhost; each widget is screenshotted
 * and stored as a palette PNG (under 60 KB each).
 *
 *   npm run gallery                    # all figures
 *   npm run gallery -- filter-grid     # only the named ones
 *   npm run gallery -- --out=DIR       # somewhere else than docs/gallery (the test does this)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lens from '../kernel-lib';
import { setCommTransport } from '../kernel-lib/comm/comm-types';
import { OfflineTransport } from '../kernel-lib/comm/offline-transport';
import { savedWidgetState } from '../kernel-lib/ipywidgets/saved-state';
import type { Widget } from '../kernel-lib/ipywidgets/widget';
import { launchBrowser, pngVariance } from '../test/browser/support/chromium';
import { serveStatic } from '../test/views/static-server';
import { toIndexedPng } from './indexed-png';

const REPO = path.join(__dirname, '..');
const EMBED = path.join(REPO, 'dist/embed/convlens.js');
/** Largest file the gallery keeps (the README test checks it too). */
const MAX_BYTES = 60_000;

const { tf } = lens;
type Tensor4D = lens.tf.Tensor4D;

/** One gallery picture: the file name (without .png) and the widget showing it. */
interface Figure {
  name: string;
  make(): Promise<Widget>;
}

/** Values in [0, 1] for display: clip, or stretch each image on its own (perturbations). */
const clip01 = (x: lens.tf.Tensor): Tensor4D => tf.clipByValue(x, 0, 1) as Tensor4D;
const stretch = (x: lens.tf.Tensor): Tensor4D => lens.toDisplayRange(x, 'each') as Tensor4D;

async function figures(): Promise<Figure[]> {
  const fashion = await lens.loadModel('fashion-cnn');
  const shapes = await lens.loadModel('shapes-cnn');
  const shapeNames = [...lens.zoo.entry('shapes-cnn').classNames];
  const scenes = await lens.shapesDataset({ n: 8, seed: 5 });
  const scene = (i: number): Tensor4D => scenes.images.slice([i], [1]);
  return [
    {
      name: 'filter-grid',
      make: async () => lens.filterGrid(fashion, 'conv1', { sort: 'norm', tileSize: 40, columns: 8, title: 'fashion-cnn conv1: 32 filters, largest norm first' }),
    },
    {
      name: 'occlusion-explorer',
      make: async () => {
        const explorer = await lens.occlusionExplorer(shapes, scene(0), { patchSize: 12, stride: 4, quantity: 'drop', displaySize: 220 });
        await explorer.ready();
        return explorer;
      },
    },
    {
      name: 'attribution-view',
      make: async () => {
        const view = await lens.attributionView(shapes, scene(1), {
          methods: ['saliency', 'smoothGrad', 'integratedGradients', 'guidedBackprop', 'cam', 'gradCam', 'gradCamPlusPlus', 'occlusion'],
          panelSize: 112,
        });
        await view.ready();
        return view;
      },
    },
    {
      name: 'class-models',
      make: async () => {
        const r = await lens.classModel(shapes, shapeNames.map((_, i) => i), { method: 'yosinski', steps: 200, seed: 1 });
        const grid = await lens.imageGrid(clip01(r.images), { normalize: 'none', tileSize: 80, columns: 8, labels: shapeNames, title: 'class models of shapes-cnn (Yosinski regularizers): ' + shapeNames.join(', ') });
        r.dispose();
        return grid;
      },
    },
    {
      name: 'deepdream',
      make: async () => {
        const originals = scenes.images.slice([0], [2]);
        const dreams: Tensor4D[] = [originals];
        for (const layer of ['conv2', 'conv3']) {
          const d = await lens.deepDream(shapes, originals, { layer, octaves: 3, octaveScale: 1.4, steps: 20, jitter: 2, seed: 1 });
          dreams.push(d.images);
        }
        const grid = await lens.imageGrid(tf.concat(dreams), { normalize: 'none', tileSize: 96, columns: 6, title: 'DeepDream: two scenes, then dreamed at conv2 and at conv3' });
        tf.dispose(dreams);
        return grid;
      },
    },
    {
      name: 'inversion-and-style',
      make: async () => {
        const content = scene(2);
        const style = scene(3);
        const inv = await lens.invertFeatures(shapes, content, ['conv1', 'conv2', 'conv3'], { steps: 300, tv: 0.05, seed: 1 });
        const texture = await lens.synthesizeTexture(shapes, style, ['scale', 'conv1', 'conv2', 'conv3'], { steps: 300, seed: 2, param: 'fourier' });
        const grid = await lens.imageGrid(clip01(tf.concat([content, inv.images, style, texture.images])), {
          normalize: 'none', tileSize: 96, columns: 6,
          title: 'an image, its reconstructions from conv1, conv2, conv3; a style image and a texture from its Gram matrices',
        });
        tf.dispose([content, style]);
        inv.dispose();
        texture.dispose();
        return grid;
      },
    },
    {
      name: 'adversarial',
      make: async () => {
        const images = scenes.images.slice([4], [3]);
        const adv = await lens.adversarial(shapes, images, { epsilon: 0.03, stepSize: 0.03 / 8, steps: 100 });
        const labels = [
          ...adv.originalClasses.map((c) => `original: ${shapeNames[c]}`),
          ...adv.originalClasses.map(() => 'perturbation (stretched)'),
          ...adv.predicted.map((c) => `adversarial: ${shapeNames[c]}`),
        ];
        const grid = await lens.imageGrid(tf.concat([images, stretch(adv.perturbation), clip01(adv.images)]), {
          normalize: 'none', tileSize: 96, columns: 3, labels,
          title: `adversarial examples: top the originals (${adv.originalClasses.map((c) => shapeNames[c]).join(', ')}), bottom classified as ${adv.predicted.map((c) => shapeNames[c]).join(', ')}`,
        });
        images.dispose();
        adv.dispose();
        return grid;
      },
    },
    {
      name: 'regularization-lab',
      make: async () => {
        const lab = lens.regularizationLab(shapes, { class_index: shapeNames.indexOf('star'), steps: 120, decay: 0.0001, blur_sigma: 0.5, blur_every: 4, jitter: 2, seed: 4, displaySize: 200 });
        await lab.start();
        lab.snapshot();
        return lab;
      },
    },
    {
      name: 'dissection-histogram',
      make: async () => {
        const concepts = await lens.shapesDataset({ n: 1000, seed: 2024 });
        const d = await lens.dissect(shapes, 'conv3', concepts);
        const hist = lens.dissectionHistogram(d, { model: shapes, dataset: concepts, topImages: 4, maxUnits: 3, iouThreshold: 0.02 });
        const top = lens.dissection.summary(d, 0.02).perConcept[0];
        hist.set({ selected_concept: d.concepts.findIndex((c) => c.name === top.name && c.category === top.category), selected_unit: top.units[0] });
        await hist.ready();
        return hist;
      },
    },
  ];
}

/** Render the saved state of `widgets` in chromium and write one PNG per figure. */
async function screenshotAll(shown: Array<{ name: string; widget: Widget }>, out: string): Promise<void> {
  const saved = savedWidgetState();
  const server = await serveStatic({ '/convlens.js': EMBED });
  const browser = await launchBrowser();
  try {
    const page = browser.page;
    await page.goto(server.url);
    await page.evaluate(
      async ({ saved, ids }) => {
        const w = window as any;
        w.requirejs.config({ paths: { convlens: '/convlens' } });
        const amd = (names: string[]): Promise<any[]> => new Promise((resolve, reject) => w.requirejs(names, (...m: any[]) => resolve(m), reject));
        const [htmlManager] = await amd(['@jupyter-widgets/html-manager']);
        const manager = new htmlManager.HTMLManager({
          loader: async (name: string) => (await amd([name]))[0],
        });
        await manager.set_state(saved);
        const out = document.getElementById('out')!;
        out.style.display = 'inline-block';
        for (const id of ids) {
          const box = document.createElement('div');
          box.id = `figure-${id}`;
          box.style.cssText = 'display: inline-block; padding: 8px; background: #fff';
          out.appendChild(box);
          const model = await manager.get_model(id);
          // Shown as in a running notebook: without this the views grey out the controls that
          // need a kernel and add their "run the notebook to recompute" note.
          model.comm_live = true;
          const view = await manager.create_view(model);
          await manager.display_view(view, box);
        }
      },
      { saved, ids: shown.map((s) => s.widget.modelId) },
    );
    await page.waitForTimeout(1500); // images decode and canvases draw asynchronously
    browser.expectNoErrors();
    if (browser.externalRequests.length) throw new Error(`the page tried to leave the machine: ${browser.externalRequests.join(', ')}`);
    fs.mkdirSync(out, { recursive: true });
    for (const { name, widget } of shown) {
      const shot = await page.locator(`#figure-${widget.modelId}`).screenshot();
      const variance = pngVariance(shot);
      if (variance < 10) throw new Error(`${name}: the widget drew nothing (luminance variance ${variance.toFixed(1)})`);
      const png = toIndexedPng(shot);
      if (png.length > MAX_BYTES) throw new Error(`${name}: ${png.length} bytes, more than ${MAX_BYTES}: draw it smaller`);
      fs.writeFileSync(path.join(out, `${name}.png`), png);
      console.log(`${path.relative(process.cwd(), path.join(out, `${name}.png`))}  ${(png.length / 1024).toFixed(1)} KB`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(EMBED)) throw new Error('dist/embed/convlens.js is missing: run `npm run build:widgets` first (`npm run gallery` does)');
  await lens.initBackend();
  setCommTransport(new OfflineTransport());
  const args = process.argv.slice(2);
  const outArg = args.find((a) => a.startsWith('--out='));
  const out = outArg ? path.resolve(outArg.slice('--out='.length)) : path.join(REPO, 'docs/gallery');
  const wanted = args.filter((a) => a !== outArg);
  const all = await figures();
  const unknown = wanted.filter((w) => !all.some((f) => f.name === w));
  if (unknown.length) throw new Error(`unknown figure ${unknown.join(', ')}; the figures are ${all.map((f) => f.name).join(', ')}`);
  const shown: Array<{ name: string; widget: Widget }> = [];
  for (const f of all.filter((g) => wanted.length === 0 || wanted.includes(g.name))) {
    const t0 = Date.now();
    shown.push({ name: f.name, widget: await f.make() });
    console.log(`${f.name}: computed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await screenshotAll(shown, out);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
