import { Worker } from 'worker_threads';

/** The watch, run in a worker thread: it works while the kernel's own thread is busy. */
const WATCH_SOURCE = `
const { workerData } = require('worker_threads');
const { parent, intervalMs } = workerData;
const timer = setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch (e) {
    if (e.code === 'EPERM') return; // alive, owned by another user
    clearInterval(timer);
    // SIGTERM ends the process even while its main thread is stuck in a loop (no listener runs
    // JavaScript for it); SIGKILL if a cell made SIGTERM do something else.
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000);
  }
}, intervalMs);
`;

/**
 * Exit when the process that started the kernel is gone, as ipykernel does: jupyter_client
 * passes its pid in `JPY_PARENT_PID`. Without this, a kernel whose Jupyter server was killed
 * would run forever. The watch runs in a worker thread, so a kernel stuck in a synchronous loop
 * (which blocks its event loop) is ended too.
 * @param intervalMs how often to check.
 */
export function exitWithParent(intervalMs = 1000): void {
  const parent = Number(process.env.JPY_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const worker = new Worker(WATCH_SOURCE, { eval: true, workerData: { parent, intervalMs } });
  worker.on('error', (e) => process.stderr.write(`convlens kernel: the parent watch failed: ${e.message}\n`));
  worker.unref();
}
