/** Models: loading, layer listing, taps, receptive fields, training, the shipped architectures and zoo. */
export * from './file-io';
export * from './load-model';
export * from './layers';
export * from './tap';
export * from './receptive-field';
export * from './train';
export * from './architectures';
export * from './zoo';
