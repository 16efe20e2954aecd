/** Every benchmark workload, by name. Add new workloads here. */
import type { Workload } from '../workload';
import { vggBlock } from './vgg-block';
import { gradCam224, occlusion224, smoothGrad224 } from './attribution';
import { shapesGeneration } from './shapes';
import { maxPoolGrad } from './max-pool-grad';
import { featureVis } from './feature-vis';
import { knnWorkload, pcaWorkload, tsneWorkload } from './feature-space';
import { dissection } from './dissection';
import { maxPatches } from './units';
import { segmentation } from './segmentation';

export const workloads: Workload[] = [vggBlock, occlusion224, gradCam224, smoothGrad224, featureVis, shapesGeneration, maxPoolGrad, tsneWorkload, pcaWorkload, knnWorkload, dissection, maxPatches, segmentation];
