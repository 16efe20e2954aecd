/**
 * The kernel side of the OcclusionExplorer and AttributionView widgets, played against the
 * offline transport: the state they send matches the techniques, frontend control changes
 * recompute latest-wins, bad frontend values are rejected, and closing frees every tensor.
 */
import { tf } from '../../kernel-lib/tf';
import { occlusion, saliency } from '../../kernel-lib/techniques';
import { attributionView, occlusionExplorer } from '../../kernel-lib/widgets';
import { collectErrors, freshTransport, frontendUpdate, openOf } from '../widgets-kernel/frontend';
import { expectClose, gapNet, randomImages, setupBackend, smallCnn } from './models';

beforeAll(setupBackend);

const floats = (bytes: Uint8Array) => Array.from(new Float32Array(bytes.slice().buffer));

describe('OcclusionExplorer', () => {
  it('shows the occlusion map of the chosen class and recomputes latest-wins on slider moves', async () => {
    const t = freshTransport();
    const model = smallCnn();
    model.setUserDefinedMetadata({ classNames: ['cat', 'dog', 'bird'] });
    const image = randomImages([1, 8, 8, 2], 71);
    const before = tf.memory().numTensors;
    const ex = await occlusionExplorer(model, image, { patchSize: 3, stride: 2, target: 'dog' });
    await ex.ready();
    const open = openOf(t, ex).data as { state: Record<string, unknown> };
    expect(open.state._model_module).toBe('convlens');
    expect(open.state._view_name).toBe('OcclusionExplorerView');
    expect(ex.get('class_index')).toBe(1);
    expect(ex.get('class_labels')[1]).toMatch(/^dog: \d+\.\d%$/);
    const expected = await occlusion(model, image, { patchSize: 3, stride: 2, target: 1 });
    expect(ex.get('heatmap_shape')).toEqual([1, 4, 4]);
    expectClose(floats(ex.get('values')), Array.from((await expected.map.data())), 1e-6, 1e-5);
    expected.dispose();

    // A burst of slider moves: the map ends up matching the last setting.
    for (const p of [2, 4, 5]) await frontendUpdate(t, ex, { patch_size: p });
    await frontendUpdate(t, ex, { stride: 3, quantity: 'drop', class_index: 2 });
    await ex.ready();
    expect([ex.get('shown_patch'), ex.get('shown_stride')]).toEqual([5, 3]);
    const last = await occlusion(model, image, { patchSize: 5, stride: 3, target: 2 });
    expectClose(floats(ex.get('values')), Array.from((await last.drop.data())), 1e-6, 1e-5);
    expect(ex.get('value_label')).toMatch(/drop in P\(bird\)/);
    last.dispose();

    // Bad values from the frontend are rejected and the kernel value restored.
    const errors = await collectErrors(() => frontendUpdate(t, ex, { patch_size: 99, class_index: 7 }));
    expect(errors.join('\n')).toMatch(/patch_size must be an integer in \[1, 8\]/);
    expect(ex.get('patch_size')).toBe(5);

    ex.close();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('rejects a batch of images and an unknown class with clear errors', async () => {
    freshTransport();
    const model = smallCnn();
    const images = randomImages([2, 8, 8, 2], 72);
    await expect(occlusionExplorer(model, images)).rejects.toThrow(/one image; got a batch of 2/);
    await expect(occlusionExplorer(model, images.slice([0], [1]), { target: 'zebra' })).rejects.toThrow(/Unknown class name "zebra". Classes: class 0, class 1, class 2/);
    images.dispose();
  });
});

describe('AttributionView', () => {
  it('draws every method for the chosen class and follows the class dropdown', async () => {
    const t = freshTransport();
    const model = gapNet();
    const image = randomImages([1, 10, 10, 3], 73);
    const before = tf.memory().numTensors;
    const view = await attributionView(model, image, { target: 0 });
    await view.ready();
    expect(view.get('titles')).toEqual(['Saliency |∂S/∂x|', 'SmoothGrad', 'Integrated Gradients', 'Guided backprop', 'CAM', 'Grad-CAM', 'Guided Grad-CAM', 'Occlusion (drop)']);
    expect(view.get('kinds')).toEqual(['heatmap', 'heatmap', 'heatmap', 'image', 'heatmap', 'heatmap', 'image', 'heatmap']);
    expect(view.get('error')).toBe('');
    expect(view.get('panels').byteLength).toBe(8 * 10 * 10 * 4);
    const s0 = await saliency(model, image, { target: 0 });
    expectClose(floats(view.get('values')).slice(0, 100), Array.from((await s0.map.data())), 1e-7, 1e-5);
    s0.dispose();
    await frontendUpdate(t, view, { class_index: 3 });
    await view.ready();
    const s3 = await saliency(model, image, { target: 3 });
    expectClose(floats(view.get('values')).slice(0, 100), Array.from((await s3.map.data())), 1e-7, 1e-5);
    s3.dispose();
    view.close();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('rejects unknown methods', async () => {
    freshTransport();
    const image = randomImages([1, 8, 8, 2], 74);
    await expect(attributionView(smallCnn(), image, { methods: ['lime'] })).rejects.toThrow(/Unknown method "lime"; choose from saliency, smoothGrad/);
    image.dispose();
  });
});
