/**
 * The Zeiler & Fergus 2014 first-layer study of notebooks/10-training-evolution.ipynb at full length, as a
 * script: the same two nets (`zfStudyArchitecture('large' | 'small')`), data, seeds and settings as
 * the notebook without CONVLENS_CI, and the same diagnostics table, printed per snapshot.
 * Run: `npx ts-node --transpile-only scripts/zf-study.ts` (env: EPOCHS, default 8; N, training
 * images, default 3000; LR, default 1e-3). Training images: shapesDataset seed 1; held-out: 2000
 * images of seed 2, the first 500 of them the probe set.
 */
import { initBackend } from '../kernel-lib/backend';
import { shapesDataset } from '../kernel-lib/data/shapes-dataset';
import { train } from '../kernel-lib/models/train';
import { trainingSnapshots, zfStudyArchitecture, type SnapshotDiagnostics } from '../kernel-lib/techniques/units';
import { tf } from '../kernel-lib/tf';

const EPOCHS = Number(process.env.EPOCHS ?? 8);
const N = Number(process.env.N ?? 3000);
const LR = Number(process.env.LR ?? 1e-3);

async function main(): Promise<void> {
  const info = await initBackend();
  const data = await shapesDataset({ n: 2000, seed: 2 });
  const trainSet = await shapesDataset({ n: N, seed: 1 });
  const probe = data.images.slice([0], [500]);
  const table: Record<string, SnapshotDiagnostics[]> = {};
  for (const kind of ['large', 'small'] as const) {
    const model = zfStudyArchitecture(kind);
    const snaps = trainingSnapshots(model, { layers: ['conv1'], probe, initial: true });
    const started = Date.now();
    const run = await train(model, { x: trainSet.images, y: trainSet.labels },
      snaps.trainOptions({ epochs: EPOCHS, batchSize: 32, learningRate: LR, seed: 1, validation: { x: data.images, y: data.labels } }));
    console.log(`${kind}: ${((Date.now() - started) / 1000).toFixed(0)} s; ${run.history.map((r) => `epoch ${r.epoch + 1} loss ${r.loss.toFixed(3)} val acc ${r.valAccuracy!.toFixed(3)}`).join('; ')}`);
    table[kind] = await snaps.diagnostics();
    snaps.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
  console.log(`backend ${info.name}; ${EPOCHS} epochs, ${N} images, lr ${LR}`);
  console.log('snapshot | dead L | dead S | high-freq L | high-freq S | aliased L | aliased S | norm L | norm S | val acc L | val acc S');
  table.large.forEach((l, i) => {
    const s = table.small[i];
    const [a, b] = [l.layers.conv1, s.layers.conv1];
    console.log([l.label, pct(a.deadFraction), pct(b.deadFraction), pct(a.highFrequencyEnergy), pct(b.highFrequencyEnergy), pct(a.aliasedEnergy), pct(b.aliasedEnergy),
      a.weightNorm.toFixed(3), b.weightNorm.toFixed(3), l.valAccuracy?.toFixed(3) ?? '-', s.valAccuracy?.toFixed(3) ?? '-'].join(' | '));
  });
  tf.dispose([data.images, data.labels, trainSet.images, trainSet.labels, probe]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
