/**
 * Run in a fresh Node process by shipped-models.test.ts (from an unrelated working folder): loads
 * the shipped models through the zoo and prints their held-out accuracies as JSON.
 */
import * as lens from '../../kernel-lib';

async function main(): Promise<void> {
  await lens.initBackend({ log: false });
  const out: Record<string, number> = {};
  const fashion = await lens.zoo.fashionCnn();
  const test = await lens.loadFashionMnist({ split: 'test' });
  out['fashion-cnn'] = await lens.accuracy(fashion, { x: test.images, y: test.labels });
  test.dispose();
  fashion.dispose();
  const shapes = await lens.loadModel('shapes-cnn');
  const heldOut = await lens.shapesDataset({ n: 2000, seed: 2 });
  out['shapes-cnn'] = await lens.accuracy(shapes, { x: heldOut.images, y: heldOut.labels });
  heldOut.dispose();
  shapes.dispose();
  out.numTensors = lens.tf.memory().numTensors;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
