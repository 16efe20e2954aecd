/**
 * What every layer shares: checks of option values, run control (AbortSignal, progress, chunks,
 * the dataset loop), small tensor helpers and the package root.
 */
export * from './checks';
export * from './run-control';
export * from './tensors';
export * from './package-root';
export * from './backend-choice';
