/**
 * Debian's python3-jupyter-kernel-test (the jupyter_kernel_test package) against the real
 * convlens kernel: kernel_info, execute (stdout, stderr, execute_result, errors), display_data,
 * clear_output, the pager, completion, inspection, is_complete and history.
 */
import { expectPythonPass, runPython, useInstalledKernel } from './python-harness';

const prefix = useInstalledKernel();

test('jupyter_kernel_test passes against the convlens kernel', () => {
  const run = runPython(prefix(), ['test_kernel.py'], 240_000);
  expectPythonPass(run); // every test of the suite runs (none skipped)
}, 300_000);
