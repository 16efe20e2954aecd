/**
 * The UnitExplorer's and EpochSlider's kernel sides against the offline transport: unit tiles are
 * each unit's top patch, clicking a unit (a frontend update) sends its top-k patches, source images
 * and clipped boxes equal to maxActivatingPatches', the probe's maps and field geometry are sent;
 * the slider has one frame per epoch with the recorded filters and the diagnostics; bad frontend
 * values are rejected, and closing frees every tensor.
 */
import { tf } from '../../../kernel-lib/tf';
import { train } from '../../../kernel-lib/models/train';
import { maxActivatingPatches, trainingSnapshots } from '../../../kernel-lib/techniques/units';
import { epochSlider } from '../../../kernel-lib/widgets/epoch-slider';
import { kernelFilters } from '../../../kernel-lib/widgets/filter-tiles';
import { stackTiles } from '../../../kernel-lib/widgets/tiles';
import { unitExplorer } from '../../../kernel-lib/widgets/unit-explorer';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../../widgets-kernel/frontend';
import { randomImages, setupBackend, smallCnn } from '../models';

beforeAll(setupBackend);

test('UnitExplorer: units, the selected unit\'s patches and sources, the probe, errors, no leaks', async () => {
  const t = freshTransport();
  const model = smallCnn(8, 3, 3);
  const images = randomImages([10, 8, 8, 3], 41);
  const probe = images.slice([2], [1]);
  const before = tf.memory().numTensors;
  const ex = await unitExplorer(model, 'c2', images, { units: [0, 2, 3], k: 4, probe, batchSize: 3 });
  const open = openOf(t, ex).data as { state: Record<string, unknown> };
  expect(open.state._view_name).toBe('UnitExplorerView');
  expect(ex.get('unit_indices')).toEqual([0, 2, 3]);
  expect(ex.get('selected')).toBe(0);
  // c2 after a 2x2 pool of a 3x3 conv: field 3 + 2 + 2*2 = 8 px, stride 2.
  expect(ex.get('field_size')).toEqual([8, 8]);
  expect(ex.get('field_stride')).toEqual([2, 2]);
  expect(ex.get('patch_shape')).toEqual([4, 8, 8]);
  expect(ex.get('source_shape')).toEqual([4, 8, 8]);
  expect(ex.get('map_shape')).toEqual([3, 4, 4]);
  expect(ex.get('probe_shape')).toEqual([1, 8, 8]);

  // Clicking unit 3 sends its patches: the same bytes as tiles of maxActivatingPatches' result.
  await frontendUpdate(t, ex, { selected: 3 });
  await ex.ready();
  const ref = await maxActivatingPatches(model, 'c2', images, { units: [3], k: 4 });
  const refStack = tf.tidy(() => ref.patches.reshape<tf.Tensor4D>([4, 8, 8, 3]));
  expect(Array.from(ex.get('patches'))).toEqual(Array.from((await stackTiles(refStack, { normalize: 'all' })).images));
  expect(ex.get('source_boxes')).toEqual(ref.top[0].map((p) => [Math.max(0, p.box[0]), Math.max(0, p.box[1]), Math.min(8, p.box[2]), Math.min(8, p.box[3])]));
  expect(ex.get('patch_labels')[0]).toMatch(new RegExp(`^#1: .* \\(image ${ref.top[0][0].image}, at ${ref.top[0][0].y}, ${ref.top[0][0].x}\\)$`));
  refStack.dispose();
  ref.dispose();

  const errors = await collectErrors(() => frontendUpdate(t, ex, { selected: 1 }));
  expect(errors.join('\n')).toMatch(/selected must be null or one of the shown units \(0, 2, 3\); got 1/);
  expect(ex.get('selected')).toBe(3);
  await frontendUpdate(t, ex, { selected: null });
  await ex.ready();
  expect(ex.get('patch_shape')).toEqual([0, 0, 0]);

  ex.close();
  expect(tf.memory().numTensors).toBe(before);
  await expect(unitExplorer(model, 'c2', images, { units: [0], selected: 2 })).rejects.toThrow(/selected must be one of the units searched \(0\); got 2/);
  await expect(unitExplorer(model, 'c2', images, { probe: images })).rejects.toThrow(/probe must be one image/);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([images, probe]);
  model.dispose();
});

test('EpochSlider: N epochs give N frames of filters and probe maps, diagnostics series, frame checks, no leaks', async () => {
  const t = freshTransport();
  const model = smallCnn(8, 3, 3);
  const x = randomImages([12, 8, 8, 3], 43);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32');
  const snaps = trainingSnapshots(model, { layers: ['c1'], probe: x.slice([0], [4]) });
  await train(model, { x, y }, snaps.trainOptions({ epochs: 3, batchSize: 6 }));
  const before = tf.memory().numTensors;
  const slider = await epochSlider(snaps, 'c1');
  expect(openOf(t, slider).data.state._view_name).toBe('EpochSliderView');
  expect(slider.get('labels')).toEqual(['epoch 1', 'epoch 2', 'epoch 3']);
  expect(slider.frame).toBe(2);
  // 4 filters 3x3 per snapshot; 4 probe maps 8x8 per snapshot.
  expect([slider.get('filter_count'), ...slider.get('filter_shape')]).toEqual([4, 12, 3, 3]);
  expect([slider.get('map_count'), ...slider.get('map_shape')]).toEqual([4, 12, 8, 8]);
  // Frame 1's tiles are the tiles of the epoch-2 kernel.
  const stack = tf.tidy(() => kernelFilters('Conv2D', snaps.snapshots[1].kernels.c1));
  const tiles = await stackTiles(stack, { normalize: 'each' });
  stack.dispose();
  const frameBytes = 4 * 3 * 3 * 4;
  expect(Array.from(slider.get('filters').subarray(frameBytes, 2 * frameBytes))).toEqual(Array.from(tiles.images));
  const table = await snaps.diagnostics();
  const names = slider.get('series_names');
  expect(names).toEqual(['dead units (fraction of the probe set)', 'high-frequency energy (> 0.25 cycles/px)', 'aliased energy (> 1/(2 × stride 1))', 'mean filter norm', 'loss', 'accuracy']);
  expect(slider.get('series')[names.indexOf('loss')]).toEqual(table.map((d) => d.loss));
  const errors = await collectErrors(() => frontendUpdate(t, slider, { frame: 3 }));
  expect(errors.join('\n')).toMatch(/frame must be an integer in \[0, 2\]; got number 3/);
  await frontendUpdate(t, slider, { frame: 0 });
  expect(slider.frame).toBe(0);
  slider.close();
  expect(tf.memory().numTensors).toBe(before);
  await expect(epochSlider(snaps, 'c2')).rejects.toThrow(/layer "c2" was not recorded; recorded layers: c1/);
  snaps.dispose();
  tf.dispose([x, y]);
  model.dispose();
});
