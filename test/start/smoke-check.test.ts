import { runSmokeCheck } from '../../kernel-lib/start/smoke-check';
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';

test('npm start’s end-to-end check: backend line, shapes-cnn right, Grad-CAM heat on the objects, no leaks', async () => {
  await initBackend({ log: false });
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const r = await runSmokeCheck((l) => lines.push(l), 8);
  expect(tf.memory().numTensors).toBe(before);
  expect(lines[0]).toMatch(/^convlens: backend (wasm|cpu|webgpu|tfjs-node)/);
  expect(lines[1]).toMatch(/Grad-CAM on shapes-cnn, 8 generated images .*\d+\/8 classified right/);
  expect(r.correct).toBeGreaterThanOrEqual(6);
  // The heat concentrates on the objects: well above their share of the image (a blind map), though
  // Grad-CAM at the last conv layer is coarse and spills past the object edges.
  expect(r.heatOnObject).toBeGreaterThan(1.5 * r.objectArea);
});
