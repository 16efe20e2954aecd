/**
 * The RegularizationLab on the kernel side, with the offline transport playing the page: a
 * 200-step run streams >= 20 frames; a slider moved mid-run applies from the next step; Stop halts
 * within one step; snapshots keep image + settings + score; the GIF and PNG exports decode; bad
 * settings from the page are refused; 10 runs leave no tensor behind.
 */
import { PNG } from 'pngjs';
import { tf } from '../../../kernel-lib/tf';
import { RegularizationLab, regularizationLab } from '../../../kernel-lib/views/regularization-lab';
import { loadModel, zooEntry } from '../../../kernel-lib/models/zoo';
import { collectErrors, freshTransport, frontendUpdate, sentData } from '../../widgets-kernel/frontend';
import { setupBackend } from '../models';

let model: tf.LayersModel;
const classNames = [...zooEntry('fashion-cnn').classNames];
beforeAll(async () => {
  await setupBackend();
  model = (await loadModel('fashion-cnn')) as tf.LayersModel;
});
afterAll(() => model.dispose());

/** The image bytes of every update the lab sent. */
const frameUpdates = (t: ReturnType<typeof freshTransport>, lab: RegularizationLab) =>
  sentData(t, lab).filter((d) => d.method === 'update' && d.buffer_paths?.some((p: string[]) => p[0] === 'image'));

test('a 200-step run streams >= 20 frames and the score rises', async () => {
  const t = freshTransport();
  const lab = regularizationLab(model, { steps: 200, class_index: 1, seed: 1, classNames });
  await lab.start();
  expect(frameUpdates(t, lab).length).toBeGreaterThanOrEqual(20);
  expect(lab.frameCount).toBeGreaterThanOrEqual(20);
  expect(lab.get('step')).toBe(200);
  expect(lab.get('running')).toBe(false);
  expect(lab.get('score')).toBeGreaterThan(1);
  lab.close();
}, 120_000);

test('a slider moved mid-run applies from the next step; Stop halts within one step', async () => {
  const t = freshTransport();
  const lab = regularizationLab(model, { steps: 400, drawEvery: 1, lr: 0.02, seed: 2, decay: 0, blur_sigma: 0, mean: 0.5 });
  const done = lab.start();
  // After a few frames the page sets the L2 decay to θ = 1: from the next step every pixel is the mean (grey 128).
  while (lab.get('step') < 5) await new Promise((r) => setTimeout(r, 5));
  const grey = (img: Uint8Array) => img.filter((v, i) => i % 4 !== 3 && v !== 128).length === 0;
  expect(grey(lab.get('image'))).toBe(false);
  await frontendUpdate(t, lab, { decay: 1 });
  const atChange = lab.get('step');
  while (lab.get('step') < atChange + 2) await new Promise((r) => setTimeout(r, 5));
  expect(grey(lab.get('image'))).toBe(true);
  // Stop from the page: at most one more step is drawn.
  const stopAt = lab.get('step');
  await t.deliver(lab.modelId, { method: 'custom', content: { event: 'stop' } }, []);
  await done;
  expect(lab.get('step') - stopAt).toBeLessThanOrEqual(1);
  expect(lab.get('running')).toBe(false);
  expect(lab.get('error')).toBe('');
  lab.close();
}, 120_000);

test('snapshots, GIF and PNG exports; bad settings are refused; no tensor leaks over 10 runs', async () => {
  const t = freshTransport();
  const before = tf.memory().numTensors;
  const lab = regularizationLab(model, { steps: 12, drawEvery: 3, seed: 3, norm_percentile: 20, contribution_percentile: 20, tv: 0.1, classNames });
  for (let i = 0; i < 10; i++) {
    lab.set({ objective_kind: (['class', 'unit', 'layer'] as const)[i % 3], param: i % 2 ? 'fourier' : 'pixels', octaves: i % 4 === 3 ? 2 : 1 });
    await lab.start();
    expect(lab.get('error')).toBe('');
    if (i < 2) lab.snapshot();
  }
  await lab.reset();
  expect(tf.memory().numTensors).toBe(before);
  expect(lab.get('snapshot_shape')).toEqual([2, 28, 28]);
  expect(lab.get('snapshot_labels')[0]).toMatch(/^T-shirt\/top · pixels · lr 0.02 · decay 0.0001 · blur 0.5\/4 · norm p20 · contrib p20 · tv 0.1 · jitter 2 · score -?[\d.]+ @ 12$/);

  await lab.start();
  const gif = lab.exportGif(2);
  expect(Buffer.from(gif.subarray(0, 6)).toString('latin1')).toBe('GIF89a');
  expect(gif[6] | (gif[7] << 8)).toBe(56); // logical screen width = 28 · 2
  const strip = PNG.sync.read(Buffer.from(lab.exportPngStrip('snapshots', 1)));
  expect([strip.width, strip.height]).toEqual([2 * 28 + 2, 28]);
  // The page asks for an export: the bytes come back in a custom message.
  await t.deliver(lab.modelId, { method: 'custom', content: { event: 'export', format: 'png' } }, []);
  const reply = t.messagesFor(lab.modelId).filter((m: any) => m.type === 'comm_msg' && m.data.method === 'custom' && m.data.content.event === 'export');
  expect(reply.length).toBe(1);
  expect((reply[0] as any).buffers.length).toBe(1);

  // Refused values are answered with the kernel's value; the kernel does not throw.
  const errors = await collectErrors(async () => {
    await frontendUpdate(t, lab, { lr: -1 });
    await frontendUpdate(t, lab, { layer: 'nope' });
  });
  expect(errors.join('\n')).toMatch(/lr must be a number in \[0, 1000\]; got number -1[^]*layer must be one of conv1, pool1, conv2, pool2, flatten, fc1, probs; got string "nope"/);
  expect(lab.get('lr')).toBe(0.02);
  expect(lab.get('layer')).toBe('pool2');
  await t.deliver(lab.modelId, { method: 'custom', content: { event: 'dance' } }, []);
  expect(lab.get('error')).toMatch(/unknown lab command string "dance"; use start, stop, reset, snapshot or export/);
  expect(() => lab.set({ unit_index: 999 })).toThrow(/unit_index must be an integer in \[0, 63\]; got number 999/);
  lab.close();
  await new Promise((r) => setTimeout(r, 50));
  expect(tf.memory().numTensors).toBe(before);
}, 240_000);
