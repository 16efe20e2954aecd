/**
 * Model utilities: listLayers, tap (vs running the layers one by one), receptive fields (vs the
 * support of input gradients), file:// and http://127.0.0.1 loading of LayersModel and
 * GraphModel, training with progress and stop, leak checks and errors.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib/models';
import { expectError, expectNoLeak, expectRejection, setupBackend } from '../data/helpers';
import { read } from '../support/read';

beforeAll(setupBackend);

/** A 5-layer conv net on 12x12x2 input. */
function fiveLayers(): tf.Sequential {
  let seed = 11;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'c1', inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'c2', filters: 6, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: init() }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

test('listLayers gives names, classes, output shapes and params', async () => {
  const m = fiveLayers();
  const layers = lens.listLayers(m);
  expect(layers.map((l) => [l.name, l.className, l.outputShape])).toEqual([
    [m.inputs[0].sourceLayer.name, 'InputLayer', [null, 12, 12, 2]],
    ['c1', 'Conv2D', [null, 12, 12, 4]],
    ['p1', 'MaxPooling2D', [null, 6, 6, 4]],
    ['c2', 'Conv2D', [null, 4, 4, 6]],
    ['flat', 'Flatten', [null, 96]],
    ['out', 'Dense', [null, 3]],
  ]);
  expect(layers[1].params).toBe(3 * 3 * 2 * 4 + 4);
  m.dispose();
});

test('tap equals running the layers one by one, in one call, without leaks', async () => {
  const m = fiveLayers();
  const x = tf.randomNormal([3, 12, 12, 2], 0, 1, 'float32', 5);
  const names = ['c1', 'p1', 'c2', 'flat', 'out'];
  await expectNoLeak(() => lens.tap(m, names, x));
  const acts = lens.tap(m, names, x);
  let h: tf.Tensor = x;
  for (const layer of m.layers) {
    const next = layer.apply(h) as tf.Tensor;
    if (h !== x) h.dispose();
    h = next;
    expect((await tf.max(tf.abs(acts[layer.name].sub(h))).data())[0]).toBeLessThan(1e-5);
  }
  const inputName = m.inputs[0].sourceLayer.name;
  const input = lens.tap(m, [inputName], x);
  expect((await tf.max(tf.abs(input[inputName].sub(x))).data())[0]).toBe(0);
  tf.dispose([h, x, acts, input]);
  m.dispose();
});

test('unknown layer names and bad inputs get errors listing what exists', () => {
  const m = fiveLayers();
  const x = tf.zeros([1, 12, 12, 2]);
  expectError(() => lens.tap(m, ['conv9'], x), /Unknown layer "conv9". The model's layers are: .*c1 \(Conv2D.*p1 \(MaxPooling2D.*c2.*flat.*out \(Dense/);
  expectError(() => lens.tap(m, [], x), /non-empty array of layer names/);
  expectError(() => lens.tap(m, ['c1'], tf.zeros([1, 10, 10, 2])), /shape \[1,10,10,2\] but the model expects \[batch, 12,12,2\]/);
  expectError(() => lens.getLayer(m, 'nope'), /Unknown layer "nope". The model's layers are: /);
  expectError(() => lens.receptiveField(m, 'nope'), /Unknown layer "nope". The model's layers are: .*c1 \(Conv2D.*out \(Dense/);
  expectError(() => lens.listLayers({} as tf.LayersModel), /listLayers: expected a tf.LayersModel \(tf.sequential, tf.model\) or a tf.GraphModel; got an object \(Object\)/);
  x.dispose();
  m.dispose();
});

test('receptive fields match the support of input gradients', async () => {
  // Linear conv/pool net (avg pools, positive weights) so the gradient is non-zero exactly on the field.
  const ones = tf.initializers.ones();
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'a', inputShape: [32, 32, 1], filters: 1, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: ones, useBias: false }),
      tf.layers.activation({ name: 'act', activation: 'linear' }),
      tf.layers.averagePooling2d({ name: 'b', poolSize: 3, strides: 2, padding: 'valid' }),
      tf.layers.conv2d({ name: 'c', filters: 1, kernelSize: 5, padding: 'same', kernelInitializer: ones, useBias: false }),
      tf.layers.globalAveragePooling2d({ name: 'g' }),
    ],
  });
  const rfs = lens.receptiveFields(m);
  expect(rfs.map((r) => r.layer)).toEqual(['a', 'act', 'b', 'c', 'g']);
  expect(rfs[0]).toMatchObject({ size: [5, 5], stride: [2, 2], global: false });
  expect(rfs[2]).toMatchObject({ size: [9, 9], stride: [4, 4] });
  expect(rfs[3]).toMatchObject({ size: [25, 25], stride: [4, 4] });
  expect(rfs[4]).toMatchObject({ global: true, size: [32, 32] });
  for (const [layer, unit] of [['a', [0, 0]], ['a', [7, 9]], ['b', [3, 2]], ['c', [0, 0]], ['c', [4, 6]]] as [string, [number, number]][]) {
    const sub = tf.model({ inputs: m.inputs, outputs: m.getLayer(layer).output });
    const grad = await read<number[][]>(() => {
      const g = tf.grad((x: tf.Tensor) => (sub.apply(x) as tf.Tensor).slice([0, unit[0], unit[1], 0], [1, 1, 1, 1]).sum())(tf.ones([1, 32, 32, 1]));
      return g.squeeze();
    });
    let box = [32, 32, -1, -1];
    grad.forEach((row, y) => row.forEach((v, x) => {
      if (Math.abs(v) > 1e-9) box = [Math.min(box[0], y), Math.min(box[1], x), Math.max(box[2], y + 1), Math.max(box[3], x + 1)];
    }));
    expect(lens.receptiveFieldBox(m, layer, unit)).toEqual(box);
  }
  m.dispose();
});

/** A hand-written tfjs GraphModel: y = relu(conv2d(x, w, SAME)). */
function writeGraphModel(dir: string, w: Float32Array): void {
  fs.mkdirSync(dir, { recursive: true });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const json = {
    format: 'graph-model', generatedBy: 'convlens test', convertedBy: 'hand',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '6' }, { size: '6' }, { size: '1' }] } } } },
        { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '3' }, { size: '3' }, { size: '1' }, { size: '2' }] } } } } },
        { name: 'conv', op: 'Conv2D', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' }, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } } },
        { name: 'relu', op: 'Relu', input: ['conv'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      library: {}, versions: { producer: 1 },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [3, 3, 1, 2], dtype: 'float32' }] }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.from(w.buffer));
}

describe('loading from file:// and http://127.0.0.1', () => {
  let root: string;
  let server: http.Server;
  let base: string;
  const w = Float32Array.from({ length: 18 }, (_, i) => Math.sin(i + 1));
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-models-'));
    const m = fiveLayers();
    await m.save(lens.fileSystem(`file://${path.join(root, 'layers')}`));
    m.dispose();
    writeGraphModel(path.join(root, 'graph'), w);
    server = http.createServer((req, res) => {
      const file = path.join(root, decodeURIComponent((req.url ?? '/').split('?')[0]));
      if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.statusCode = 404; res.end('not found'); return; }
      res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  test('LayersModel round trip through file:// and plain paths, and over HTTP, gives the same outputs', async () => {
    const ref = fiveLayers();
    const x = tf.randomNormal([2, 12, 12, 2], 0, 1, 'float32', 9);
    const want = ref.predict(x) as tf.Tensor;
    for (const loc of [`file://${path.join(root, 'layers')}`, path.join(root, 'layers', 'model.json'), `${base}/layers/model.json`, `${base}/layers`]) {
      const m = await lens.loadLayersModel(loc);
      const got = m.predict(x) as tf.Tensor;
      expect((await tf.max(tf.abs(got.sub(want))).data())[0]).toBeLessThan(1e-6);
      got.dispose();
      m.dispose();
    }
    expect(await lens.modelFormat(`${base}/layers/model.json`)).toBe('layers-model');
    tf.dispose([x, want]);
    ref.dispose();
  });

  test('GraphModel from file:// and HTTP computes relu(conv2d(x, w)); tap reads a node', async () => {
    const x = tf.randomNormal([1, 6, 6, 1], 0, 1, 'float32', 4);
    const want = tf.tidy(() => tf.relu(tf.conv2d(x as tf.Tensor4D, tf.tensor4d(w, [3, 3, 1, 2]), 1, 'same')));
    for (const loc of [`file://${path.join(root, 'graph')}`, `${base}/graph/model.json`]) {
      expect(await lens.modelFormat(loc)).toBe('graph-model');
      const g = await lens.loadModelFrom(loc);
      expect(g).toBeInstanceOf(tf.GraphModel);
      const got = (g as tf.GraphModel).predict(x) as tf.Tensor;
      expect((await tf.max(tf.abs(got.sub(want))).data())[0]).toBeLessThan(1e-5);
      const acts = lens.tap(g, ['conv'], x);
      expect(acts.conv.shape).toEqual([1, 6, 6, 2]);
      expect(lens.listLayers(g).map((l) => l.className)).toEqual(['Placeholder', 'Const', 'Conv2D', 'Relu']);
      tf.dispose([got, acts]);
      g.dispose();
    }
    tf.dispose([x, want]);
  });

  test('missing models and bad locations get clear errors', async () => {
    await expectRejection(() => lens.loadLayersModel(`${base}/nothing/model.json`), /Could not load a LayersModel from http:\/\/127.0.0.1:\d+\/nothing\/model.json/);
    await expectRejection(() => lens.loadLayersModel(path.join(root, 'none')), /No model file at .*none\/model.json/);
    await expectRejection(() => lens.loadGraphModel(''), /expected a file:\/\/ path, a plain path or an http\(s\):\/\/ URL/);
    await expectRejection(() => lens.loadModel('resnet-999'), /neither a zoo model \(fashion-cnn, shapes-cnn\) nor a path or URL/);
  });
});

test('train: loss falls, onEpoch reports, an abort signal stops it, no tensors leak', async () => {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax', kernelInitializer: tf.initializers.zeros() })] });
  const x = tf.tensor2d([[1, 0], [0, 1], [1, 0.1], [0.1, 1]]);
  const y = tf.tensor1d([0, 1, 0, 1], 'int32');
  const reports: lens.EpochReport[] = [];
  const before = tf.memory().numTensors;
  const res = await lens.train(m, { x, y }, { epochs: 5, batchSize: 2, learningRate: 0.1, validation: { x, y }, onEpoch: (r) => { reports.push(r); } });
  expect(res.stopped).toBe(false);
  expect(reports.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
  expect(reports[4].loss).toBeLessThan(reports[0].loss);
  expect(reports[4].valAccuracy).toBe(1);
  // Only the optimizer's state (Adam: 2 slots per weight, plus its counters) may persist.
  const optimizerState = tf.memory().numTensors - before;
  const ac = new AbortController();
  const stopped = await lens.train(m, { x, y }, { epochs: 50, batchSize: 1, onBatch: (b) => { if (b.batch === 2) ac.abort(); }, signal: ac.signal });
  expect(stopped.stopped).toBe(true);
  expect(stopped.history).toHaveLength(0);
  expect(tf.memory().numTensors - before).toBe(optimizerState);
  await expectNoLeak(() => lens.evaluate(m, { x, y }));
  expect((await lens.evaluate(m, { x, y })).accuracy).toBe(1);
  const shortY = tf.tensor1d([0, 1], 'int32');
  const wideX = tf.zeros([4, 3]);
  await expectRejection(() => lens.train(m, { x, y: shortY }), /data.x has 4 examples but data.y has 2/);
  await expectRejection(() => lens.train(m, { x: wideX, y }), /shape \[4,3\] but the model expects \[batch, 2\]/);
  tf.dispose([shortY, wideX]);
  await expectRejection(() => lens.train(m, { x, y }, { epochs: 0 }), /epochs 0 must be a positive integer/);
  tf.dispose([x, y]);
  m.dispose();
});
