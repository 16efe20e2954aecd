/**
 * `convlens/kernel`: the convlens Jupyter kernel (tslab's converter and executor with comms,
 * binary buffers and the full execute protocol) and the contract kernel-side code uses to reach
 * it: the comm transport and rich display.
 */
export { startKernel } from './start-kernel';
export type { ConvlensKernelServer } from './kernel-server';
export { setCommTransport, getInstalledCommTransport, type CommTransport, type Comm, type CommMessage, type Buffers } from '../comm/comm-types';
export { toMimeBundle, mimeBundleOf, type MimeBundle } from '../comm/mime-bundle';
export { page } from './pager';
