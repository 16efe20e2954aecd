/**
 * No leaks: interact re-runs, progress and widget lifecycles leave tf.memory().numTensors,
 * the widget registry, comm handlers and signal listeners as they found them.
 */
import { getEventListeners } from 'events';
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { interact, IntSlider, liveWidgets, progress, Output } from '../../kernel-lib/ipywidgets';
import { freshTransport, frontendUpdate } from './frontend';

describe('no leaks', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('interact with a tensor-computing fn, many re-runs and close leave no tensors, widgets or handlers', async () => {
    const t = freshTransport();
    const tensorsBefore = tf.memory().numTensors;
    const widgetsBefore = liveWidgets().length;
    const x = new IntSlider({ max: 20 });
    const handlersWithSlider = t.handlerCount();
    const ui = interact(
      async ({ x: v, s }) => {
        const sum = tf.tidy(() => tf.fill([8, 8], v).mul(s).sum());
        const value = (await sum.data())[0];
        sum.dispose();
        return value;
      },
      { x, s: [1, 3] },
    );
    await ui.idle();
    for (let i = 1; i <= 20; i++) {
      await frontendUpdate(t, x, { value: i });
      if (i % 5 === 0) await ui.idle();
    }
    await ui.idle();
    expect(ui.output.get('outputs')).toEqual([{ output_type: 'display_data', data: { 'text/plain': String(20 * 64 * 2) }, metadata: {} }]);
    ui.close();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(x.listenerCount).toBe(0);
    expect(t.handlerCount()).toBe(handlersWithSlider);
    x.close();
    expect(liveWidgets().length).toBe(widgetsBefore);
    expect(t.openCommIds()).toEqual([]);
  });

  it('progress runs with tensors inside and a caller signal leave no tensors or listeners', async () => {
    freshTransport();
    const tensorsBefore = tf.memory().numTensors;
    const ac = new AbortController();
    const bar = progress(10, { display: 'widget', signal: ac.signal });
    for await (const i of bar) tf.tidy(() => void tf.scalar(i).square());
    bar.close();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(bar.widget!.closed).toBe(true);
    expect(bar.widget!.children.every((c) => c.closed)).toBe(true);
  });

  it('the output hook does not stack up: many captures, one wrapper', async () => {
    freshTransport();
    const out = new Output();
    await out.capture(async () => undefined);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, not called
    const writer = process.stdout.write;
    for (let i = 0; i < 20; i++) await out.capture(async () => process.stdout.write(''));
    // eslint-disable-next-line @typescript-eslint/unbound-method
    expect(process.stdout.write).toBe(writer);
    out.close();
  });
});
