/**
 * The shipped models load in a fresh process started from another folder (as a notebook would)
 * and reach the accuracies their model cards state, recomputed on their held-out sets.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { ZOO_MODELS, loadZooModel, modelsDir } from '../../kernel-lib/models/zoo';
import { layerNames } from '../../kernel-lib/models/layers';
import { expectNoLeak, expectRejection, setupBackend } from '../data/helpers';

const root = path.resolve(__dirname, '..', '..');

beforeAll(setupBackend);

test('fashion-cnn >= 90% on the Fashion-MNIST test set, shapes-cnn >= 95% held out, in a fresh process', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-notebook-'));
  const out = execFileSync(process.execPath, ['-r', path.join(root, 'node_modules/ts-node/register/transpile-only'), path.join(__dirname, 'shipped-accuracy.ts')], {
    cwd,
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), CONVLENS_QUIET: '1' },
    encoding: 'utf8',
    timeout: 600000, // the cpu backend needs ~5 minutes here; wasm ~20 s
  });
  const acc = JSON.parse(out.trim().split('\n').pop() as string);
  const card = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'models', name, 'metrics.json'), 'utf8'));
  expect(acc['fashion-cnn']).toBeGreaterThanOrEqual(0.9);
  expect(acc['shapes-cnn']).toBeGreaterThanOrEqual(0.95);
  // The model cards report what the weights do.
  expect(acc['fashion-cnn']).toBeCloseTo(Object.values(card('fashion-cnn'))[0] as number, 3);
  expect(acc['shapes-cnn']).toBeCloseTo(Object.values(card('shapes-cnn'))[0] as number, 3);
  expect(acc.numTensors).toBe(0);
});

test('zoo metadata, model sizes, layer names the techniques rely on', async () => {
  for (const name of ZOO_MODELS) {
    const entry = lens.zoo.entry(name);
    const bytes = fs.readdirSync(entry.dir).reduce((s, f) => s + fs.statSync(path.join(entry.dir, f)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    expect(fs.existsSync(path.join(entry.dir, 'MODEL_CARD.md'))).toBe(true);
    const m = await lens.loadModel(name);
    expect(m.inputs[0].shape.slice(1)).toEqual(entry.inputShape);
    expect(m.outputs[0].shape[1]).toBe(entry.classNames.length);
    expect(layerNames(m)).toContain(entry.lastConvLayer);
    m.dispose();
  }
  const fashion = await lens.zoo.fashionCnn();
  expect(lens.getLayer(fashion, 'conv1').getWeights()[0].shape).toEqual([5, 5, 1, 32]);
  fashion.dispose();
  const shapes = await lens.zoo.shapesCnn();
  expect(lens.listLayers(shapes).map((l) => l.className).slice(-2)).toEqual(['GlobalAveragePooling2D', 'Dense']);
  const blank = tf.zeros([1, 64, 64, 3]);
  await expectNoLeak(() => lens.tap(shapes, ['conv3', 'gap'], blank));
  blank.dispose();
  shapes.dispose();
  await expectNoLeak(async () => (await lens.zoo.fashionCnn()).dispose());
  await expectRejection(() => loadZooModel('vgg16' as 'fashion-cnn'), /Unknown zoo model "vgg16". Shipped models: fashion-cnn, shapes-cnn/);
  expect(modelsDir()).toBe(path.join(root, 'models'));
});
