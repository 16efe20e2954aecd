import * as lens from '../kernel-lib';
(async () => {
  await lens.initBackend({ log: true });
  let t = Date.now();
  const ds = lens.shapesDataset({ n: 2000, seed: 11 });
  console.log('gen', Date.now() - t);
  const model = await lens.loadModel('shapes-cnn') as lens.tf.LayersModel;
  for (const layer of ['conv1', 'conv2', 'conv3']) {
    t = Date.now();
    const d = await lens.dissect(model, layer, ds);
    const s = lens.dissection.summary(d);
    console.log(layer, Date.now() - t, 'ms', s.headline, JSON.stringify(s.perCategory), s.perConcept.map((c) => `${c.name}:${c.units.length}(${c.ious[0].toFixed(3)})`).join(' '));
  }
  console.log(lens.tf.memory().numTensors);
})();
