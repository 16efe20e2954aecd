/** Data: image codecs and transforms, normalisation, tiling, Fashion-MNIST and the shapes dataset. */
export * from './image-codec';
export * from './image-transform';
export * from './normalization';
export * from './tile-grid';
export * from './random';
export * from './fashion-mnist';
export * from './shapes-vocabulary';
export * from './shapes-dataset';
