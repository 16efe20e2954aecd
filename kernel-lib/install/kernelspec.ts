import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/package-root';
import { jupyterDataDir } from './jupyter-paths';

/** The kernel name (folder under share/jupyter/kernels) and display name of the convlens kernel. */
export const KERNEL_NAME = 'convlens';
export const KERNEL_DISPLAY_NAME = 'TypeScript (convlens)';

/** The kernel.json of the convlens kernel: Node (this one) running this package's launcher. */
export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, path.join(packageRoot(), 'bin', 'convlens.js'), 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { debugger: false },
  };
}

/** The kernelspec folder under `prefix`. */
export function kernelSpecDir(prefix: string): string {
  return path.join(jupyterDataDir(prefix), 'kernels', KERNEL_NAME);
}

/** Write the kernelspec under `prefix`; returns its folder. */
export function installKernelSpec(prefix: string): string {
  const dir = kernelSpecDir(prefix);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  return dir;
}

/** Remove the kernelspec under `prefix`; returns its folder, or undefined when it was not there. */
export function uninstallKernelSpec(prefix: string): string | undefined {
  const dir = kernelSpecDir(prefix);
  if (!fs.existsSync(dir)) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}
