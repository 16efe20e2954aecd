/**
 * Kernel hardening over real ZeroMQ, driven by jupyter_client (test_hardening.py): SIGINT and
 * interrupt_request stop a running technique, a progress loop and a training run (AbortError,
 * no leaked tensors, nothing more printed), SIGINT listeners added by cells cannot let an interrupt
 * kill the kernel, a module written after a failed import compiles, and a kernel busy in a
 * synchronous loop exits when its launcher dies; wrong values for every state key of a control
 * and a convlens widget, malformed comm messages and buffers, a comm_open reusing a live id and a
 * 5 MB rejected value neither crash the kernel nor corrupt or close a widget; a 300-update slider
 * storm ends on the last value. All of it runs in one kernel (HardenedKernel); the orphan check in
 * its own.
 */
import { expectPythonPass, runPython, useInstalledKernel } from './python-harness';

const prefix = useInstalledKernel();

const cases = ['HardenedKernel', 'OrphanedBusyKernel'];

test.each(cases)('%s', (name) => {
  expectPythonPass(runPython(prefix(), ['-m', 'unittest', '-v', `test_hardening.${name}`], 240_000));
}, 300_000);
