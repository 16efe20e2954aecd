/**
 * The gallery script (`npm run gallery`) still works: it renders one figure (the FilterGrid of
 * fashion-cnn's conv1) from a real run through the convlens browser bundle in chromium, into a
 * temporary folder, as a small palette PNG with something drawn on it. Its palette PNG encoder
 * round-trips an image of few colours exactly.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { toIndexedPng } from '../../scripts/indexed-png';
import { ensureBuilt } from '../browser/support/build';
import { pngVariance } from '../browser/support/chromium';

const REPO = path.join(__dirname, '../..');

test('the palette PNG encoder round-trips an image of few colours', () => {
  const png = new PNG({ width: 5, height: 3 });
  const colours = [[255, 0, 0], [0, 128, 255], [20, 20, 20]];
  for (let i = 0; i < 15; i++) png.data.set([...colours[(i * 7) % 3], 255], i * 4);
  const indexed = toIndexedPng(PNG.sync.write(png));
  expect(indexed[25]).toBe(3); // IHDR colour type: palette
  const back = PNG.sync.read(indexed);
  expect([back.width, back.height]).toEqual([5, 3]);
  expect(Buffer.from(back.data)).toEqual(Buffer.from(png.data));
});

test('npm run gallery renders a real widget into a small PNG', () => {
  ensureBuilt();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-gallery-'));
  try {
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/gallery.ts', 'filter-grid', `--out=${out}`], {
      cwd: REPO, encoding: 'utf8', timeout: 180_000, env: { ...process.env, CONVLENS_QUIET: '1' },
    });
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(out)).toEqual(['filter-grid.png']);
    const bytes = fs.readFileSync(path.join(out, 'filter-grid.png'));
    expect(bytes.length).toBeLessThan(60_000);
    const png = PNG.sync.read(bytes);
    expect(png.width).toBeGreaterThan(200);
    expect(pngVariance(bytes)).toBeGreaterThan(10);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 240_000);
