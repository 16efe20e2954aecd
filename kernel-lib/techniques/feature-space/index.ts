/**
 * Feature space (course techniques 3 and 4): features of a dataset at one layer, nearest
 * neighbours, PCA, t-SNE (exact and Barnes-Hut), UMAP (umap-js) and the image grid of an embedding. One file per
 * concept; the notebook namespace exposes them as `lens.featureSpace`.
 */
export { datasetFeatures, pixelFeatures, toFeatureRows, checkFeatureMatrix, FEATURE_POOLINGS, type FeaturePooling, type FeatureOptions } from './features';
export { nearestNeighbors, knnAccuracy, NEIGHBOR_METRICS, type NeighborMetric, type NeighborOptions, type Neighbors } from './neighbors';
export { pca, type PcaOptions, type PcaResult } from './pca';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen';
export { tsneAffinities, paddedRows, type Affinities, type AffinityOptions } from './affinities';
export { tsneGradient, affinityTensors, affinityEntropyTerm, attractiveForces, exactRepulsion, combineForces, type AffinityTensors } from './tsne-gradient';
export { barnesHutRepulsion, barnesHutGradient } from './barnes-hut';
export { tsne, TSNE_METHODS, type TsneMethod, type TsneFrame, type TsneOptions, type TsneResult } from './tsne';
export { embeddingGrid, type EmbeddingGrid, type EmbeddingGridOptions } from './embedding-grid';
export { trustworthiness, neighborPreservation } from './embedding-quality';
export { umap, type UmapFrame, type UmapOptions, type UmapResult } from './umap';
