/**
 * The comm protocol of the convlens kernel over real ZeroMQ, driven by jupyter_client
 * (test_comms.py): kernel- and frontend-opened comms, comm_info, a 2 MB binary round trip,
 * hostile messages (bad HMAC, unknown comm, malformed content), comm messages handled while a
 * cell runs an async loop, interrupts (pending await and busy loop), stop_on_error,
 * user_expressions, notebook folders without node_modules, a kernel whose launcher died
 * exiting by itself, and requests sent while the kernel binds its sockets. One kernel per test.
 */
import { expectPythonPass, runPython, useInstalledKernel } from './python-harness';

const prefix = useInstalledKernel();

const cases = [
  'KernelOpenedComms',
  'HostileMessages',
  'CommsDuringRunningCell',
  'ExecutionControl',
  'NotebookFolderWithoutNodeModules',
  'OrphanedKernel',
  'RequestsDuringStart',
];

test.each(cases)('%s', (name) => {
  expectPythonPass(runPython(prefix(), ['-m', 'unittest', '-v', `test_comms.${name}`], 240_000));
}, 300_000);
