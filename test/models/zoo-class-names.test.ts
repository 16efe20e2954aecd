/**
 * Zoo models carry their class names: `loadModel('fashion-cnn')` then `target: 'Sneaker'` works
 * with no `classNames` option and no metadata patch.
 */
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { expectNoLeak, expectRejection, setupBackend } from '../data/helpers';

beforeAll(setupBackend);

test('zoo models come with their class names in the metadata', async () => {
  for (const name of lens.ZOO_MODELS) {
    const model = (await lens.loadModel(name)) as tf.LayersModel;
    expect(lens.modelClassNames(model)).toEqual([...lens.zooEntry(name).classNames]);
    model.dispose();
  }
  await expectNoLeak(async () => (await lens.zoo.shapesCnn()).dispose());
});

test("target: 'Sneaker' on loadModel('fashion-cnn'); names per image; unknown names list the classes", async () => {
  const model = (await lens.loadModel('fashion-cnn')) as tf.LayersModel;
  const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
  try {
    await expectNoLeak(async () => {
      const s = await lens.saliency(model, images, { target: 'Sneaker' });
      expect(s.classes).toEqual([7, 7]);
      s.dispose();
      const g = await lens.gradCam(model, images, { target: ['Sneaker', 'Ankle boot'] });
      expect(g.classes).toEqual([7, 9]);
      g.dispose();
    });
    await expectRejection(() => lens.saliency(model, images, { target: 'Sneakers' }), /Unknown class name "Sneakers"\. Classes: T-shirt\/top, Trouser, .*Ankle boot/);
  } finally {
    images.dispose();
    model.dispose();
  }
  const shapes = await lens.zoo.shapesCnn();
  const scene = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 4);
  const c = await lens.cam(shapes, scene, { target: 'star' });
  expect(c.classes).toEqual([lens.zooEntry('shapes-cnn').classNames.indexOf('star')]);
  c.dispose();
  tf.dispose([scene]);
  shapes.dispose();
});
