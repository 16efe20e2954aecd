/**
 * Child process of wasm-threads.test.ts: starts the wasm backend as the environment says, computes
 * a conv block's forward pass and input gradient, and prints one JSON line with the backend facts
 * and the numbers. It must exit on its own (running pthread workers would keep it alive).
 */
import { initBackend, describeBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { rowPoolStatus } from '../../kernel-lib/kernel-fixes/wasm-row-pool';

async function main(): Promise<void> {
  const info = await initBackend({ backend: 'wasm', log: false });
  const run = () => tf.tidy(() => {
    const x = tf.randomNormal<tf.Rank.R4>([2, 24, 20, 3], 0, 1, 'float32', 1);
    const f1 = tf.randomNormal<tf.Rank.R4>([3, 3, 3, 16], 0, 0.5, 'float32', 2);
    const f2 = tf.randomNormal<tf.Rank.R4>([5, 5, 16, 32], 0, 0.2, 'float32', 3);
    const block = (input: tf.Tensor) => {
      const h = tf.maxPool(tf.relu(tf.conv2d(input as tf.Tensor4D, f1, 1, 'same')), 2, 2, 'valid');
      return tf.conv2d(h, f2, 2, 'same');
    };
    const y = block(x);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(block(input), y)))(x);
    return { y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
  });
  const values = run();
  // With threads, repeat until the row pool's worker has run a part of the max-pool gradient
  // (it may still be starting, or the main thread may claim every chunk first): every run must agree.
  let sameEveryRun = true;
  for (let i = 0; i < 200 && Number(info.details?.threads) > 1 && rowPoolStatus().workerChunks === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    sameEveryRun &&= JSON.stringify(run().dx) === JSON.stringify(values.dx);
  }
  process.stdout.write(JSON.stringify({ line: describeBackend(info), details: info.details, rowPool: rowPoolStatus(), sameEveryRun, ...values }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
