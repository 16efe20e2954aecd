/**
 * The UnitExplorer's kernel side against the offline transport: unit tiles are each unit's top
 * patch, clicking a unit (a frontend update) sends its top-k patches, source images and clipped
 * boxes equal to maxActivatingPatches', the probe's maps and field geometry are sent, bad frontend
 * values are rejected, and closing frees every tensor.
 */
import { tf } from '../../../kernel-lib/tf';
import { maxActivatingPatches } from '../../../kernel-lib/techniques/units';
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
  const ref = await maxActivatingPatches(model, 'c2', images, { units: [3], k: 4 });
  const refStack = tf.tidy(() => ref.patches.reshape<tf.Tensor4D>([4, 8, 8, 3]));
  expect(Array.from(ex.get('patches'))).toEqual(Array.from(stackTiles(refStack, { normalize: 'all' }).images));
  expect(ex.get('source_boxes')).toEqual(ref.top[0].map((p) => [Math.max(0, p.box[0]), Math.max(0, p.box[1]), Math.min(8, p.box[2]), Math.min(8, p.box[3])]));
  expect(ex.get('patch_labels')[0]).toMatch(new RegExp(`^#1: .* \\(image ${ref.top[0][0].image}, at ${ref.top[0][0].y}, ${ref.top[0][0].x}\\)$`));
  refStack.dispose();
  ref.dispose();

  const errors = await collectErrors(() => frontendUpdate(t, ex, { selected: 1 }));
  expect(errors.join('\n')).toMatch(/selected must be null or one of the shown units \(0, 2, 3\); got 1/);
  expect(ex.get('selected')).toBe(3);
  await frontendUpdate(t, ex, { selected: null });
  expect(ex.get('patch_shape')).toEqual([0, 0, 0]);

  ex.close();
  expect(tf.memory().numTensors).toBe(before);
  await expect(unitExplorer(model, 'c2', images, { units: [0], selected: 2 })).rejects.toThrow(/selected must be one of the units searched \(0\); got 2/);
  await expect(unitExplorer(model, 'c2', images, { probe: images })).rejects.toThrow(/probe must be one image/);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([images, probe]);
  model.dispose();
});
