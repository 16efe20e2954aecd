/**
 * The one activation path and the one dataset loop: `batches` (tensor or iterable sources,
 * progress, Stop), `activations` / `activationBatches` (equal to `tap` on the whole batch and to
 * running the layers one by one), `layerOutputs` running only as far as the layers asked for,
 * nested-model layers, leaks on success and failure.
 */
import { tf } from '../../kernel-lib/tf';
import { batches, type RunProgress } from '../../kernel-lib/core/run-control';
import { activationBatches, activations, tap } from '../../kernel-lib/models/activations';
import { layerOutputs } from '../../kernel-lib/models/graph';
import { expectNoLeak, expectRejection, setupBackend } from '../data/helpers';
import { readScalar } from '../support/read';

beforeAll(setupBackend);

let seed = 101;
const init = () => tf.initializers.glorotUniform({ seed: seed++ });

function small(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'a1', inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'ap', poolSize: 2 }),
      tf.layers.conv2d({ name: 'a2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.flatten({ name: 'af' }),
      tf.layers.dense({ name: 'ao', units: 3, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => readScalar(() => tf.max(tf.abs(tf.sub(a, b))));

describe('batches', () => {
  it('slices a tensor, reports progress per batch and disposes its slices', async () => {
    const x = tf.range(0, 14).reshape([7, 2]);
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    const progress: RunProgress[] = [];
    for await (const b of batches(x, 3, { onProgress: (p) => progress.push(p) })) seen.push([b.start, b.end, ...b.tensor.shape]);
    expect(seen).toEqual([[0, 3, 3, 2], [3, 6, 3, 2], [6, 7, 1, 2]]);
    expect(progress.map((p) => [p.done, p.total])).toEqual([[3, 7], [6, 7], [7, 7]]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('passes an async iterable of batches on, splitting big ones, and stops on abort', async () => {
    const parts = [tf.zeros([2, 2]), tf.ones([5, 2])];
    async function* source() {
      for (const p of parts) yield p;
    }
    const sizes: number[] = [];
    const progress: number[] = [];
    for await (const b of batches(source(), 4, { total: 7, onProgress: (p) => progress.push(p.fraction) })) sizes.push(b.tensor.shape[0]);
    expect(sizes).toEqual([2, 4, 1]);
    expect(progress).toEqual([2 / 7, 6 / 7, 1]);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const run = async () => {
      for await (const b of batches(tf.ones([9, 2]), 2, { signal: controller.signal })) if (b.end >= 4) controller.abort();
    };
    await expect(run()).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1); // the test's own tf.ones
    await expect(batches(42 as unknown as tf.Tensor, 2).next()).rejects.toThrow(/data must be a tensor \[N, \.\.\.\] or an iterable of batches; got number 42/);
    await expect(batches(tf.zeros([2]), 0).next()).rejects.toThrow(/batchSize must be an integer >= 1; got 0/);
    tf.dispose(parts);
  });
});

describe('activations', () => {
  it('streamed in batches equal tap on the whole batch and the layers run one by one', async () => {
    const m = small();
    const x = tf.randomNormal([7, 6, 6, 2], 0, 1, 'float32', 3);
    const whole = tap(m, ['a2', 'ao'], x);
    const progress: number[] = [];
    const streamed = await activations(m, ['a2', 'ao'], x, { batchSize: 3, onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([3, 6, 7]);
    expect(streamed.a2.shape).toEqual([7, 3, 3, 4]);
    expect(await maxDiff(streamed.a2, whole.a2)).toBeLessThan(1e-6);
    expect(await maxDiff(streamed.ao, whole.ao)).toBeLessThan(1e-6);
    const reference = tf.tidy(() => m.layers.slice(0, 3).reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x));
    expect(await maxDiff(whole.a2, reference)).toBeLessThan(1e-5);
    const one = await activations(m, 'a1', x, { batchSize: 4 });
    expect(one.shape).toEqual([7, 6, 6, 3]);
    await expectNoLeak(() => activations(m, 'a2', x, { batchSize: 2 }));
    await expectNoLeak(() => tap(m, ['a1', 'ao'], x));
    tf.dispose([x, whole, streamed, reference, one]);
    m.dispose();
  });

  it('activationBatches hands out each batch and frees it when the loop moves on', async () => {
    const m = small();
    const x = tf.randomNormal([5, 6, 6, 2], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const maxima: number[] = [];
    for await (const { activations: acts, start, end } of activationBatches(m, ['a2'], x, { batchSize: 2 })) {
      expect(acts.a2.shape[0]).toBe(end - start);
      maxima.push(await readScalar(() => tf.max(acts.a2)));
    }
    expect(maxima).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it('stops on abort and rejects bad layers and inputs without leaking', async () => {
    const m = small();
    const x = tf.randomNormal([6, 6, 6, 2], 0, 1, 'float32', 5);
    const controller = new AbortController();
    await expectRejection(
      () => activations(m, 'a1', x, { batchSize: 2, signal: controller.signal, onProgress: () => controller.abort() }),
      /abort/i,
    );
    await expectRejection(() => activations(m, 'nope', x), /Unknown layer "nope". The model's layers are: .*a1 \(Conv2D/);
    const wrong = tf.zeros([2, 5, 5, 2]);
    await expectRejection(() => activations(m, ['a1'], wrong), /input 0 has shape \[2,5,5,2\] but the model expects \[batch, 6,6,2\]/);
    const ints = tf.zeros([2, 6, 6, 2], 'int32');
    await expectRejection(() => activations(m, ['a1'], ints), /input 0 has dtype int32 but the model expects float32 \(convert it: tf.cast\(x, 'float32'\)/);
    tf.dispose([x, wrong, ints]);
    m.dispose();
  });

  it('reach layers inside a nested model', async () => {
    const inner = tf.sequential({ layers: [tf.layers.conv2d({ name: 'inner_conv', inputShape: [6, 6, 2], filters: 2, kernelSize: 1, kernelInitializer: init() })] });
    const outer = tf.sequential();
    outer.add(inner);
    outer.add(tf.layers.flatten({ name: 'outer_flat' }));
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 6);
    const acts = tap(outer, ['inner_conv', 'outer_flat'], x);
    const expected = inner.predict(x) as tf.Tensor;
    expect(await maxDiff(acts.inner_conv, expected)).toBeLessThan(1e-6);
    expect(acts.outer_flat.shape).toEqual([2, 72]);
    tf.dispose([x, acts, expected]);
  });
});

describe('layerOutputs', () => {
  it('runs the model only as far as the layers asked for', () => {
    const m = small();
    const calls: Record<string, number> = {};
    for (const layer of m.layers) {
      const call = layer.call.bind(layer);
      layer.call = (inputs, kwargs) => {
        calls[layer.name] = (calls[layer.name] ?? 0) + 1;
        return call(inputs, kwargs);
      };
    }
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 7);
    tf.tidy(() => {
      layerOutputs(m, x, ['ap']);
    });
    expect(calls).toEqual({ a1: 1, ap: 1 });
    x.dispose();
  });
});
