/**
 * The widget API on the real convlens kernel over ZeroMQ (test_widgets_live.py, jupyter_client
 * as the frontend): echo_update, request_state, 2 MB buffers both ways, interact coalescing of a
 * 50-event burst, and a progress Stop button ending a running loop.
 */
import * as path from 'path';
import { expectPythonPass, runPython, useInstalledKernel } from '../kernel/python-harness';

const prefix = useInstalledKernel();

test('widgets over a live kernel', () => {
  expectPythonPass(runPython(prefix(), [path.join(__dirname, 'test_widgets_live.py')], 240_000));
}, 300_000);
