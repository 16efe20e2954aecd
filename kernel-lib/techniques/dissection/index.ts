/**
 * Network dissection (Bau et al. 2017), `lens.dissection`: `dissect` (two streamed passes:
 * exact top-quantile thresholds, then unit-concept IoU counts), the concept dataset it reads,
 * reports (detectors, unique detectors per category, JSON / CSV) and comparisons.
 */
export * from './concept-dataset';
export * from './quantiles';
export * from './top-images';
export * from './iou';
export * from './dissect';
export * from './report';
export * from './compare';
