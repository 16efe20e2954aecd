/**
 * Interrupts over real ZeroMQ, driven by jupyter_client (test_interrupt.py): SIGINT and
 * interrupt_request stop a running technique, a progress loop and a training run (AbortError,
 * no leaked tensors, nothing more printed), SIGINT listeners added by cells cannot let an interrupt
 * kill the kernel, a module written after a failed import compiles, and a kernel busy in a
 * synchronous loop exits when its launcher dies. One kernel per test.
 */
import { expectPythonPass, runPython, useInstalledKernel } from './python-harness';

const prefix = useInstalledKernel();

const cases = ['Interrupts', 'NotebookFolderChanges', 'OrphanedBusyKernel'];

test.each(cases)('%s', (name) => {
  expectPythonPass(runPython(prefix(), ['-m', 'unittest', '-v', `test_interrupt.${name}`], 240_000));
}, 300_000);
