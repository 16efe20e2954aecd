/**
 * Units up close: activation maps, maximally activating patches over a dataset, and (training)
 * filter snapshots and diagnostics. `import { units } from 'convlens'` or `lens.units.*`.
 */
export * from './activation-maps';
export * from './max-patches';
export { cropPatches } from './patch-crops';
export { type UnitLayer, unitLayer, checkUnits } from './unit-layer';
export * from './training-snapshots';
export { highFrequencyFraction } from './filter-spectrum';
export { zfStudyArchitecture } from '../../models/architectures';
