/**
 * filterGrid: tile pixels are the per-tile normalised weights (checked against a plain-JS
 * computation), sorting by norm, the widget state on the wire, selection from the frontend,
 * and clear errors for bad layers and options.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { filterGrid, filterTiles } from '../../kernel-lib/widgets';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../widgets-kernel/frontend';
import { expectedTile, kernelOf, smallNet, tileBytes } from './model';

const version = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version;

let model: tf.LayersModel;

beforeAll(async () => {
  await initBackend({ log: false });
  model = smallNet();
});

function closeTo(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
  expect(worst).toBeLessThanOrEqual(1);
}

describe('filterGrid', () => {
  it('draws each 3-channel filter as RGB, normalised on its own', async () => {
    const k = await kernelOf(model, 'rgb'); // [3][3][3][5]
    const tiles = await filterTiles(model, 'rgb');
    expect(tiles.shape).toEqual([5, 3, 3]);
    expect(tiles.indices).toEqual([0, 1, 2, 3, 4]);
    for (let f = 0; f < 5; f++) {
      closeTo(tileBytes(tiles.images, 3, 3, f), expectedTile(3, 3, (y, x) => [0, 1, 2].map((c) => k[y][x][c][f])));
    }
  });

  it('draws the mean of the input channels, or one chosen channel', async () => {
    const k = await kernelOf(model, 'deep'); // [3][3][5][4]
    const mean = await filterTiles(model, 'deep');
    const ch2 = await filterTiles(model, 'deep', { channel: 2 });
    for (let f = 0; f < 4; f++) {
      const avg = (y: number, x: number) => [k[y][x].reduce((s, row) => s + row[f], 0) / 5];
      closeTo(tileBytes(mean.images, 3, 3, f), expectedTile(3, 3, avg));
      closeTo(tileBytes(ch2.images, 3, 3, f), expectedTile(3, 3, (y, x) => [k[y][x][2][f]]));
    }
  });

  it('splits depthwise kernels into one single-channel filter per (channel, multiplier)', async () => {
    const k = await kernelOf(model, 'dw'); // [2][2][4][2]
    const tiles = await filterTiles(model, 'dw');
    expect(tiles.shape).toEqual([8, 2, 2]);
    closeTo(tileBytes(tiles.images, 2, 2, 3), expectedTile(2, 2, (y, x) => [k[y][x][1][1]]));
  });

  it('sorts by filter norm, largest first, keeping filter numbers in indices and labels', async () => {
    const k = await kernelOf(model, 'rgb');
    const norms = [0, 1, 2, 3, 4].map((f) => Math.sqrt(k.flat(2).reduce((s, px) => s + px[f] * px[f], 0)));
    const order = [0, 1, 2, 3, 4].sort((a, b) => norms[b] - norms[a]);
    const tiles = await filterTiles(model, 'rgb', { sort: 'norm' });
    expect(tiles.indices).toEqual(order);
    expect(tiles.labels[0]).toMatch(new RegExp(`^filter ${order[0]} `));
    closeTo(tileBytes(tiles.images, 3, 3, 0), expectedTile(3, 3, (y, x) => [0, 1, 2].map((c) => k[y][x][c][order[0]])));
  });

  it('opens a convlens FilterGrid model with the tiles as one binary buffer', async () => {
    const t = freshTransport();
    const grid = await filterGrid(model, 'rgb', { tileSize: 40 });
    const open = openOf(t, grid);
    const state = (open as any).data.state;
    expect(state._model_module).toBe('convlens');
    expect(state._model_name).toBe('FilterGridModel');
    expect(state._view_name).toBe('FilterGridView');
    expect(state._model_module_version).toBe(`^${version}`);
    expect(state._view_module_version).toBe(`^${version}`);
    expect((open as any).data.buffer_paths).toEqual([['images']]);
    expect(state.image_shape).toEqual([5, 3, 3]);
    expect(state.tile_size).toBe(40);
    expect(state.title).toBe('rgb');
    expect(state.caption).toContain('5 filters 3×3×3, RGB; each tile on its own scale: darkest = its most negative weight');
    expect(state.caption).toContain('under a tile is the filter index');
    const signed = await filterGrid(model, 'rgb', { normalize: 'signed' });
    expect((openOf(t, signed) as any).data.state.caption).toContain('grey = 0: each tile scaled by its largest |weight|');
    signed.close();
    grid.close();
  });

  it('takes the selection from the frontend and rejects indices that are not shown', async () => {
    const t = freshTransport();
    const grid = await filterGrid(model, 'rgb');
    const seen: Array<number | null> = [];
    grid.observeSelected((i) => seen.push(i));
    await frontendUpdate(t, grid, { selected: 3 });
    expect(grid.selected).toBe(3);
    const errors = await collectErrors(() => frontendUpdate(t, grid, { selected: 99 }));
    expect(errors.join('\n')).toMatch(/selected must be null or one of the shown indices \(0..4\); got 99/);
    expect(grid.selected).toBe(3);
    await frontendUpdate(t, grid, { selected: null });
    expect(seen).toEqual([3, null]);
    grid.close();
  });

  it('names unknown layers with the list of layers, and non-conv layers with the conv layers', async () => {
    freshTransport();
    await expect(filterGrid(model, 'conv9')).rejects.toThrow(/Unknown layer "conv9". The model's layers are: rgb_input \(InputLayer.*rgb \(Conv2D.*logits \(Dense/);
    await expect(filterGrid(model, 'logits')).rejects.toThrow(/"logits" is a Dense, not a convolutional layer.*rgb \(Conv2D\), deep \(Conv2D\), dw \(DepthwiseConv2D\)/);
  });

  it('rejects bad options naming the value and what is allowed', async () => {
    freshTransport();
    await expect(filterGrid(model, 'deep', { channel: 5 })).rejects.toThrow(/channel must be 'mean', 'rgb' \(for 3 channels\) or an integer in 0..4; got 5/);
    await expect(filterGrid(model, 'deep', { channel: 'rgb' })).rejects.toThrow(/'rgb' needs 3 channels; these tiles have 5/);
    await expect(filterGrid(model, 'rgb', { sort: 'size' as any })).rejects.toThrow(/sort must be 'none' or 'norm'; got "size"/);
    await expect(filterGrid(model, 'rgb', { zoom: 40 })).rejects.toThrow(/zoom must be a number in \[0, 16\]; got 40/);
  });

  it('leaves no tensors behind', async () => {
    freshTransport();
    (await filterGrid(model, 'rgb')).close();
    const before = tf.memory().numTensors;
    (await filterGrid(model, 'rgb', { sort: 'norm' })).close();
    (await filterGrid(model, 'deep', { channel: 1 })).close();
    await filterTiles(model, 'dw');
    await expect(filterGrid(model, 'deep', { channel: 'rgb' })).rejects.toThrow();
    await expect(filterGrid(model, 'logits')).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
