/**
 * On a network whose output depends on one known region only, saliency, occlusion and Grad-CAM
 * put (nearly) all their mass there.
 */
import { tf } from '../../kernel-lib/tf';
import { gradCam, occlusion, saliency, guidedBackprop } from '../../kernel-lib/techniques';
import { REGION, randomImages, regionNet, setupBackend } from './models';

beforeAll(setupBackend);

/** Fraction of |map| mass at pixels (y, x) where `inside(y, x)`. */
function massFraction(map: number[][], inside: (y: number, x: number) => boolean): number {
  let total = 0;
  let within = 0;
  map.forEach((row, y) =>
    row.forEach((v, x) => {
      total += Math.abs(v);
      if (inside(y, x)) within += Math.abs(v);
    }),
  );
  return within / total;
}

const inRegion = (margin: number) => (y: number, x: number) =>
  y >= REGION.top - margin && y < REGION.top + REGION.size + margin && x >= REGION.left - margin && x < REGION.left + REGION.size + margin;

describe('a net that looks at one region only', () => {
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = regionNet();
    x = randomImages([1, REGION.image, REGION.image, 1], 41);
  });
  afterAll(() => x.dispose());

  it('saliency and guided backprop are zero outside the region', async () => {
    for (const method of [saliency, guidedBackprop]) {
      const s = await method(model, x, { target: 0 });
      expect(massFraction(((await s.map.array()))[0], inRegion(0))).toBeGreaterThan(0.999);
      s.dispose();
    }
  });

  it('occlusion only drops where the patch covers the region', async () => {
    const occ = await occlusion(model, x, { target: 0, patchSize: 4, stride: 2, fill: 0 });
    const drop = ((await occ.drop.array()))[0];
    // A patch centred within 2 px (half the patch) of the region overlaps it; the rest change nothing.
    const covers = (i: number, j: number) => inRegion(2)(occ.centerRows[i], occ.centerCols[j]);
    expect(massFraction(drop, covers)).toBeGreaterThan(0.999);
    expect(massFraction(drop, (i, j) => inRegion(0)(occ.centerRows[i], occ.centerCols[j]))).toBeGreaterThan(0.8);
    // The class depends positively on the region's content: blacking it out lowers the probability.
    expect(Math.max(...drop.flat())).toBeGreaterThan(0);
    occ.dispose();
  });

  it('Grad-CAM puts its mass on the region (within the 2-pixel receptive-field margin)', async () => {
    const g = await gradCam(model, x, { target: 0 });
    expect(g.layer).toBe('rc2');
    const raw = ((await g.raw.array()))[0];
    expect(massFraction(raw, inRegion(2))).toBeGreaterThan(0.999);
    expect(massFraction(raw, inRegion(0))).toBeGreaterThan(0.6); // the 2-px margin is the convs spreading the region
    g.dispose();
  });
});
