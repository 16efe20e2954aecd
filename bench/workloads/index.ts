/** Every benchmark workload, by name. Add new workloads here. */
import type { Workload } from '../workload';
import { vggBlock } from './vgg-block';

export const workloads: Workload[] = [vggBlock];
