/**
 * Exit when the process that started the kernel is gone, as ipykernel does: jupyter_client
 * passes its pid in `JPY_PARENT_PID`. Without this, a kernel whose Jupyter server was killed
 * would run forever.
 * @param onOrphaned called once the parent has exited (default: exit the process).
 * @param intervalMs how often to check.
 */
export function exitWithParent(onOrphaned: () => void = () => process.exit(0), intervalMs = 1000): void {
  const pid = Number(process.env.JPY_PARENT_PID);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPERM') return; // alive, owned by another user
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}
