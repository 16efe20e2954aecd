/**
 * loadFashionMnist: real Debian files, search order, size checks, download from a local HTTP
 * server (standing in for the official location), clear errors, tensor ownership.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { AddressInfo } from 'net';
import { tf } from '../../kernel-lib/tf';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_SYSTEM_DIR, FASHION_MNIST_URL, loadFashionMnist } from '../../kernel-lib/data';
import { expectNoLeak, expectRejection, setupBackend } from './helpers';
import { readValues } from '../support/read';

beforeAll(setupBackend);

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-fmnist-'));

test('test split from the Debian folder: shapes, range, labels, class names', async () => {
  const before = tf.memory().numTensors;
  const d = await loadFashionMnist({ split: 'test', limit: 500 });
  expect(d.source).toBe(FASHION_MNIST_SYSTEM_DIR);
  expect(d.images.shape).toEqual([500, 28, 28, 1]);
  expect(d.labels.dtype).toBe('int32');
  expect(d.classNames).toEqual(FASHION_MNIST_CLASSES);
  expect(await readValues(() => tf.stack([d.images.min(), d.images.max()]))).toEqual([0, 1]);
  const labels = Array.from((await d.labels.data()));
  expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  // First test image of Fashion-MNIST is an ankle boot (label 9), then a pullover (2).
  expect(labels.slice(0, 2)).toEqual([9, 2]);
  d.dispose();
  expect(tf.memory().numTensors).toBe(before);
  await expectNoLeak(async () => (await loadFashionMnist({ split: 'test', limit: 3 })).dispose());
});

test('dirs / CONVLENS_DATA are searched first; a truncated file is rejected with its size', async () => {
  const dir = tmp();
  for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) fs.symlinkSync(path.join(FASHION_MNIST_SYSTEM_DIR, f), path.join(dir, f));
  const old = process.env.CONVLENS_DATA;
  process.env.CONVLENS_DATA = dir;
  try {
    const d = await loadFashionMnist({ split: 'test', limit: 2 });
    expect(d.source).toBe(dir);
    d.dispose();
  } finally {
    if (old === undefined) delete process.env.CONVLENS_DATA;
    else process.env.CONVLENS_DATA = old;
  }
  const bad = tmp();
  fs.writeFileSync(path.join(bad, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(Buffer.alloc(100)));
  fs.writeFileSync(path.join(bad, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(Buffer.alloc(10008)));
  await expectRejection(() => loadFashionMnist({ split: 'test', dirs: [bad], download: false }), /has 100 bytes once decompressed; expected 7840016 \(10000 items\)/);
});

test('downloads into the cache from a URL (checking sizes) when no folder has the files', async () => {
  const server = http.createServer((req, res) => {
    const file = path.join(FASHION_MNIST_SYSTEM_DIR, path.basename(req.url ?? ''));
    if (req.url === '/' + path.basename(file) && fs.existsSync(file)) fs.createReadStream(file).pipe(res);
    else { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const cacheDir = tmp();
    const d = await loadFashionMnist({ split: 'test', limit: 4, dirs: [], url, cacheDir });
    expect(d.source).toBe(cacheDir);
    expect(fs.statSync(path.join(cacheDir, 't10k-images-idx3-ubyte.gz')).size).toBe(fs.statSync(path.join(FASHION_MNIST_SYSTEM_DIR, 't10k-images-idx3-ubyte.gz')).size);
    d.dispose();
    await expectRejection(() => loadFashionMnist({ split: 'test', dirs: [], url: url + 'missing/', cacheDir: tmp() }), /download from http:\/\/127.0.0.1:\d+\/missing\/ failed: GET .*HTTP 404/);
  } finally {
    server.close();
  }
});

test('clear errors: where it looked, bad split, bad limit', async () => {
  const empty = tmp();
  await expectRejection(() => loadFashionMnist({ dirs: [empty], download: false }), new RegExp(`not found\\. Looked in: ${empty}.*download disabled.*CONVLENS_DATA`));
  await expectRejection(() => loadFashionMnist({ split: 'validation' as 'test' }), /split "validation" is not one of 'train', 'test'/);
  await expectRejection(() => loadFashionMnist({ limit: -3 }), /limit -3 must be a positive integer/);
  expect(FASHION_MNIST_URL).toMatch(/^http:\/\/fashion-mnist\.s3-website\.eu-central-1\.amazonaws\.com\/$/);
});
