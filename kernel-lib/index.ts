/**
 * convlens: see inside convolutional networks from a Jupyter notebook.
 *
 * This is the public surface notebooks import (`import * as lens from "convlens"`).
 * Each area re-exports its own module here.
 */
export { tf } from './tf';
export * from './backend';
export { clearOutput } from './kernel/clear-output';
export { page } from './kernel/pager';
export { toMimeBundle, type MimeBundle } from './kernel/mime-bundle';
export * from './widgets';
export * from './views';
export * from './techniques';
export * from './data';
export * from './models';
