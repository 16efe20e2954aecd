import type { JupyterHandlerImpl } from 'tslab/dist/jupyter';
import { packageVersion } from '../core/package-root';
import { tslabTypescript } from './tslab-typescript';
import { PROTOCOL_VERSION } from './wire';

/**
 * The `kernel_info_reply` content: tslab's language info (TypeScript, CodeMirror mode) with the
 * `status` tslab leaves out, the real TypeScript version and convlens as the implementation.
 */
export function kernelInfo(tslab: JupyterHandlerImpl): Record<string, unknown> {
  // tslab types language_info without the fields convlens adds to it.
  const base = tslab.handleKernel() as unknown as { language_info: Record<string, unknown> };
  const typescriptVersion = tslabTypescript().version;
  const version = packageVersion();
  return {
    ...base,
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'convlens',
    implementation_version: version,
    language_info: { ...base.language_info, version: typescriptVersion },
    debugger: false,
    banner: `convlens ${version}: TypeScript ${typescriptVersion} (tslab) with Jupyter comms and widgets`,
  };
}
