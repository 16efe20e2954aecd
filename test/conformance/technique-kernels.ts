/**
 * Which tfjs kernels convlens' techniques and training actually run: each technique (every option
 * that changes the ops) on the shipped models and on the test nets (tanh/elu, functional with a
 * skip and a ReLU layer, nested, cropping/zero padding, GAP), rendering of the maps, and a training
 * step of both shipped architectures, all under tf.profile. The conformance suite checks that a
 * case covers each of them, so a new technique that reaches a new kernel needs a new case.
 */
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { fashionCnnArchitecture, loadModel, shapesCnnArchitecture, train, evaluate } from '../../kernel-lib/models';
import { functionalNet, gapNet, nestedNet, noReluNet, regionNet, REGION } from '../techniques/models';
import { kernelsRun } from './run-cases';

type Result = { dispose(): void; map?: tf.Tensor };

/** Kernel name → the workloads that ran it. */
export async function techniqueKernels(): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  const record = async (where: string, f: () => Promise<unknown>) => {
    const kernels = await kernelsRun(async () => {
      await f();
      return [];
    });
    for (const k of kernels) used.set(k, [...(used.get(k) ?? []), where]);
  };
  /** Every technique on `model` and `images`, each result rendered and disposed. */
  const techniques = async (label: string, model: tf.LayersModel, images: tf.Tensor4D, convLayers: string[], gap: boolean) => {
    const [, h] = images.shape;
    const patch = Math.max(2, Math.floor(h / 3));
    const runs: Array<[string, () => Promise<Result>]> = [
      ['saliency', () => lens.saliency(model, images)],
      ['smoothGrad', () => lens.smooth(lens.saliency, { samples: 2, seed: 1 })(model, images, { reduce: 'sumAbs' })],
      ['integratedGradients', () => lens.integratedGradients(model, images, { steps: 2, reduce: 'sum', target: 0 })],
      ['occlusion gray', () => lens.occlusion(model, images, { patchSize: patch, stride: patch })],
      ['occlusion mean', () => lens.occlusion(model, images, { patchSize: patch, stride: patch, fill: 'mean' })],
      ['occlusion blur', () => lens.occlusion(model, images, { patchSize: patch, stride: patch, fill: 'blur' })],
      ['occlusion score function', () => lens.occlusion(model, images, { patchSize: patch, stride: patch, fill: 0.2, target: (l) => tf.sum(l, 1) })],
      ['guidedBackprop', () => lens.guidedBackprop(model, images)],
      ['deconvnet', () => lens.deconvnet(model, images)],
      ...convLayers.flatMap((layer): Array<[string, () => Promise<Result>]> => [
        [`gradCam ${layer}`, () => lens.gradCam(model, images, { layer })],
        [`gradCamPlusPlus ${layer}`, () => lens.gradCamPlusPlus(model, images, { layer })],
        [`guidedBackprop ${layer} max`, () => lens.guidedBackprop(model, images, { layer, channel: 'max', position: 'max' })],
        [`deconvnet ${layer} channel 0`, () => lens.deconvnet(model, images, { layer, channel: 0 })],
      ]),
      ['guidedGradCam', () => lens.guidedGradCam(model, images)],
      ['saliencySegmentation', () => lens.saliencySegmentation(model, images.slice([0], [1]), { iterations: 2, blur: 1, connectivity: 4 })],
      ...(gap ? [['cam', () => lens.cam(model, images, { relu: true })] as [string, () => Promise<Result>]] : []),
    ];
    for (const [name, run] of runs) {
      await record(`${name} on ${label}`, async () => {
        const r = await run();
        if (r.map) await lens.heatmapPNG(r.map.slice([0], [1]), images.slice([0], [1]), { colormap: 'viridis' });
        r.dispose();
      });
    }
    await record(`gradientImagePNG on ${label}`, async () => {
      const g = await lens.saliency(model, images);
      await lens.gradientImagePNG(g.attribution);
      g.dispose();
    });
  };

  const fashion = (await loadModel('fashion-cnn'));
  const shapes = (await loadModel('shapes-cnn'));
  const nets: Array<[string, tf.LayersModel, [number, number, number], string[], boolean]> = [
    ['fashion-cnn', fashion, [28, 28, 1], ['conv1', 'conv2'], false],
    ['shapes-cnn', shapes, [64, 64, 3], ['conv1', 'conv2', 'conv3'], true],
    ['a tanh/elu net', noReluNet(8), [8, 8, 2], ['t1', 't2'], false],
    ['a functional net with a skip', functionalNet(8), [8, 8, 2], ['fa', 'relu'], true],
    ['a nested net', nestedNet(8), [8, 8, 2], ['pre'], false],
    ['a cropping/zero-padding net', regionNet(), [REGION.image, REGION.image, 1], ['rc2'], true],
    ['a GAP net', gapNet(10), [10, 10, 3], ['conv_b'], true],
  ];
  for (const [label, model, shape, layers, gap] of nets) {
    const images = tf.randomUniform<tf.Rank.R4>([2, ...shape], 0, 1, 'float32', 3);
    await techniques(label, model, images, layers, gap);
    images.dispose();
    model.dispose();
  }

  // Units: activation maps, max patches with crops (a functional net too), training snapshots and their diagnostics.
  for (const [label, model, shape, layer] of [
    ['shapes-cnn', await loadModel('shapes-cnn'), [64, 64, 3], 'conv2'],
    ['a functional net with a skip', functionalNet(8), [8, 8, 2], 'fb'],
  ] as Array<[string, tf.LayersModel, number[], string]>) {
    const images = tf.randomUniform<tf.Rank.R4>([3, ...shape] as [number, number, number, number], 0, 1, 'float32', 5);
    await record(`activationMaps and maxActivatingPatches on ${label}`, async () => {
      lens.activationMaps(model, layer, images).dispose();
      (await lens.maxActivatingPatches(model, layer, images, { k: 3, batchSize: 2, keepImages: true })).dispose();
    });
    images.dispose();
    model.dispose();
  }
  {
    const model = lens.units.zfStudyArchitecture('large', 8, 32);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 6);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    await record('training snapshots and diagnostics', async () => {
      const snaps = lens.units.trainingSnapshots(model, { layers: ['conv1'], probe: x });
      await train(model, { x, y }, snaps.trainOptions({ epochs: 1, batchSize: 2 }));
      await snaps.diagnostics();
      snaps.dispose();
    });
    tf.dispose([x, y]);
    model.optimizer?.dispose();
    model.dispose();
  }

  for (const [label, model, shape, classes] of [
    ['fashion-cnn training', fashionCnnArchitecture(), [28, 28, 1], 10],
    ['shapes-cnn training', shapesCnnArchitecture(8), [64, 64, 3], 8],
  ] as Array<[string, tf.LayersModel, number[], number]>) {
    const x = tf.randomUniform([4, ...shape], 0, 1, 'float32', 4);
    const y = tf.tensor1d([0, 1, 2, classes - 1], 'int32');
    await record(label, async () => {
      await train(model, { x, y }, { epochs: 1, batchSize: 2 });
      await evaluate(model, { x, y });
    });
    tf.dispose([x, y]);
    model.dispose();
  }
  return used;
}
