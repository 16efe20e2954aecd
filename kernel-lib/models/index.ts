/** Models: validation, loading, layers, the forward path and activations, receptive fields, training, the shipped architectures and zoo. */
export * from './validate';
export * from './file-io';
export * from './load-model';
export * from './layers';
export * from './graph';
export * from './logits';
export * from './batch-size';
export * from './activations';
export * from './receptive-field';
export * from './train';
export * from './architectures';
export * from './zoo';
