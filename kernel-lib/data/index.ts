/** Data: image files, resizing, dataset normalisation, Fashion-MNIST and the shapes dataset. */
export * from './image-files';
export * from './image-transform';
export * from './normalization';
export * from './random';
export * from './fashion-mnist';
export * from './shapes-vocabulary';
export * from './shapes-dataset';
