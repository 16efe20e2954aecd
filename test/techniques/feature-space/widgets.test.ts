/**
 * The kernel side of the feature-space widgets, played against the offline transport: the
 * TsneScatter streams frames while t-SNE (or UMAP) runs (Start / Stop from the page), keeps the final layout
 * in its state, takes a lasso selection from the page (bad indices rejected) and hands back the
 * selected images; the NeighborsView shows brute-force neighbours in both spaces and recomputes
 * when the page clicks a neighbour; closing frees every tensor.
 */
import { tf } from '../../../kernel-lib/tf';
import * as fs from '../../../kernel-lib/techniques/feature-space';
import { neighborsView, tsneScatter } from '../../../kernel-lib/widgets';
import { collectErrors, freshTransport, frontendUpdate, openOf, sentData } from '../../widgets-kernel/frontend';
import { setupBackend } from '../models';
import { blobs } from './reference';

beforeAll(setupBackend);

/** 60 tiny 4x4 images in 3 classes (brightness by class) and 8-D features by class. */
function dataset() {
  const b = blobs(60, 8, 3, 0.5, 5, 6);
  const images = tf.tidy(() => tf.mul<tf.Tensor4D>(tf.reshape(tf.tensor1d(b.labels.map((l) => (l + 1) / 4)), [60, 1, 1, 1]), tf.ones([60, 4, 4, 1])));
  return { features: tf.tensor2d(b.rows), images, labels: b.labels };
}

const floats = (bytes: Uint8Array) => new Float32Array(bytes.slice().buffer);

describe('TsneScatter (kernel side)', () => {
  it('streams t-SNE frames on Start, keeps the final layout, stops on Stop, takes a selection and frees its tensors', async () => {
    const t = freshTransport();
    const { features, images, labels } = dataset();
    const before = tf.memory().numTensors;
    const sc = await tsneScatter(features, { labels, classNames: ['dark', 'mid', 'light'], images, iterations: 60, every: 5, minFrameMs: 0, perplexity: 10, title: 'blobs' });
    const open = openOf(t, sc).data as { state: Record<string, unknown> };
    expect(open.state._view_name).toBe('TsneScatterView');
    expect(sc.get('thumbnail_shape')).toEqual([60, 4, 4]);
    await t.deliver(sc.modelId, { method: 'custom', content: { event: 'start' } });
    await sc.idle();
    const frames = sentData(t, sc).filter((d: { state?: Record<string, unknown> }) => d.state && 'iteration' in d.state && 'kl' in d.state);
    expect(frames.length).toBeGreaterThanOrEqual(12);
    expect(sc.get('iteration')).toBe(60);
    expect(sc.get('running')).toBe(false);
    // The layout shown is what t-SNE gives with the same settings.
    const same = await fs.tsne(features, { iterations: 60, perplexity: 10 });
    const shown = floats(sc.get('positions'));
    expect(Math.max(...Array.from(shown, (v, i) => Math.abs(v - same.positions[i])))).toBeLessThan(1e-3);
    same.dispose();

    // Stop from the page ends a run early; the layout stays.
    const run = sc.run();
    await t.deliver(sc.modelId, { method: 'custom', content: { event: 'stop' } });
    expect(await run).toBeUndefined();
    expect(sc.get('running')).toBe(false);

    // A lasso selection from the page reaches the kernel; out-of-range indices are rejected.
    await frontendUpdate(t, sc, { selected: [7, 3, 3, 12] });
    expect(sc.selected).toEqual([3, 7, 12]);
    const picked = sc.selectedImages();
    expect(picked.shape).toEqual([3, 4, 4, 1]);
    picked.dispose();
    const errors = await collectErrors(() => frontendUpdate(t, sc, { selected: [1, 600] }));
    expect(errors.join('\n')).toMatch(/selected\[1\] must be an integer in \[0, 59\]; got number 600/);
    expect(sc.selected).toEqual([3, 7, 12]);
    sc.close();
    await new Promise((r) => setTimeout(r, 10));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, images]);
  });

  it("runs UMAP behind Start with algorithm 'umap': streams epochs, keeps the final layout, Stop, no KL, frees its tensors", async () => {
    const t = freshTransport();
    const { features, images, labels } = dataset();
    const before = tf.memory().numTensors;
    const umapOptions = { nNeighbors: 10, minDist: 0.1, nEpochs: 50, seed: 2 };
    const sc = await tsneScatter(features, { labels, images, algorithm: 'umap', umap: umapOptions, every: 5, minFrameMs: 0 });
    expect(sc.get('algorithm')).toBe('umap');
    expect(sc.get('method')).toBe('UMAP');
    await t.deliver(sc.modelId, { method: 'custom', content: { event: 'start' } });
    await sc.idle();
    const frames = sentData(t, sc).filter((d: { state?: Record<string, unknown> }) => d.state && 'iteration' in d.state);
    expect(frames.map((f: { state: { iteration: number } }) => f.state.iteration)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(sc.get('iterations')).toBe(50);
    expect(sc.get('kl')).toBe(0);
    expect(sc.get('error')).toBe('');
    // The layout shown is what fs.umap gives with the same settings (same seed: the same layout).
    const same = await fs.umap(features, umapOptions);
    expect(Array.from(floats(sc.get('positions')))).toEqual(Array.from(same.positions));
    same.dispose();
    // run() resolves with the result; Stop from the page ends a run early.
    const r = await sc.run();
    expect(r?.algorithm).toBe('umap');
    expect(r?.embedding.shape).toEqual([60, 2]);
    expect(Number.isNaN(r?.kl)).toBe(true);
    r?.dispose();
    const run = sc.run();
    await t.deliver(sc.modelId, { method: 'custom', content: { event: 'stop' } });
    expect(await run).toBeUndefined();
    expect(sc.get('running')).toBe(false);
    sc.close();
    await new Promise((res) => setTimeout(res, 10));
    expect(tf.memory().numTensors).toBe(before);
    await expect(tsneScatter(features, { algorithm: 'pca' as never })).rejects.toThrow(/algorithm must be one of 'tsne', 'umap'; got "pca"/);
    await expect(tsneScatter(features, { algorithm: 'umap', umap: { nNeighbors: 1 } })).rejects.toThrow(/nNeighbors must be an integer in \[2, 59\]; got number 1/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, images]);
  });

  it('shows a given layout at once and names bad arguments', async () => {
    freshTransport();
    const { features, images, labels } = dataset();
    const p = features.slice([0, 0], [60, 2]);
    const sc = await tsneScatter(features, { positions: p, layoutName: 'PCA', labels });
    expect(Array.from(floats(sc.get('positions')).slice(0, 4))).toEqual(Array.from((await p.data()).slice(0, 4)));
    expect(sc.get('method')).toBe('PCA');
    sc.close();
    await expect(tsneScatter(features, { labels: [1, 2] })).rejects.toThrow(/labels must hold one class index \(integer >= 0\) per point \(60\)/);
    const wrong = tf.zeros<tf.Rank.R4>([2, 4, 4, 1]);
    await expect(tsneScatter(features, { images: wrong })).rejects.toThrow(/images must be a tensor \[60, h, w, c\]/);
    const before = tf.memory().numTensors;
    await expect(tsneScatter(features, { iterations: -1 })).rejects.toThrow(/iterations must be an integer >= 1; got number -1/);
    await expect(tsneScatter(features, { perplexity: -1 })).rejects.toThrow(/perplexity must be a number in \[1, 59\]; got number -1/);
    await expect(tsneScatter(features, { momentum: 2 })).rejects.toThrow(/momentum must be a number in \[0, 1\]; got number 2/);
    await expect(tsneScatter(features, { minFrameMs: -1 })).rejects.toThrow(/minFrameMs must be an integer >= 0; got number -1/);
    await expect(tsneScatter(features, { pointSize: 0 })).rejects.toThrow(/pointSize must be an integer in \[1, 64\]; got number 0/);
    await expect(tsneScatter(features, { height: 50 })).rejects.toThrow(/height must be an integer in \[100, 4000\]; got number 50/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, images, p, wrong]);
  });
});

describe('NeighborsView (kernel side)', () => {
  it('shows the neighbours in pixel and feature space and recomputes when a neighbour is clicked', async () => {
    const t = freshTransport();
    const { features, images, labels } = dataset();
    const before = tf.memory().numTensors;
    const nv = await neighborsView(images, features, { k: 4, labels, classNames: ['dark', 'mid', 'light'], featureName: 'blob' });
    await nv.ready();
    expect(openOf(t, nv).data).toMatchObject({ state: { _view_name: 'NeighborsView', _model_name: 'NeighborsModel' } });
    const want = await fs.nearestNeighbors(features, [0], { k: 4 });
    expect(nv.get('feature_indices')).toEqual(want.indices[0]);
    expect(nv.get('image_shape')).toEqual([9, 4, 4]);
    expect(nv.get('captions')[0]).toBe('dark');
    const next = nv.get('feature_indices')[2];
    await frontendUpdate(t, nv, { query: next });
    await nv.ready();
    const again = await fs.nearestNeighbors(features, [next], { k: 4 });
    expect(nv.get('feature_indices')).toEqual(again.indices[0]);
    const pixels = fs.pixelFeatures(images);
    const inPixels = await fs.nearestNeighbors(pixels, [next], { k: 4 });
    expect(nv.get('pixel_distances')).toEqual(inPixels.distances[0]);
    pixels.dispose();
    const errors = await collectErrors(() => frontendUpdate(t, nv, { metric: 'hamming' }));
    expect(errors.join('\n')).toMatch(/metric must be one of 'l2', 'cosine'; got "hamming"/);
    nv.close();
    expect(tf.memory().numTensors).toBe(before);
    await expect(neighborsView(images, features, { k: 0 })).rejects.toThrow(/k must be an integer in \[1, 59\]; got number 0/);
    await expect(neighborsView(images, features, { query: -1 })).rejects.toThrow(/query must be an integer in \[0, 59\]; got number -1/);
    await expect(neighborsView(images, features, { tileSize: 0 })).rejects.toThrow(/tileSize must be an integer in \[8, 512\]; got number 0/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, images]);
  });
});
