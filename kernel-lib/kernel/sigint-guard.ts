/**
 * Keeps the kernel's SIGINT listener working whatever a cell does. Jupyter interrupts a kernel
 * with SIGINT. Node runs cells with `breakOnSigint`, whose watchdog puts the default SIGINT
 * action (exit) back when the cell's synchronous part ends; Node re-installs its own handler only
 * when it re-adds listeners that were removed. A cell that adds a SIGINT listener
 * (`process.on('SIGINT', ...)`) during that window leaves the default action in place, so the
 * next interrupt would kill the kernel. {@link SigintGuard.rearm} re-installs the handler (and
 * the kernel's listener, should a cell have removed it) after every cell's synchronous part.
 */
export class SigintGuard {
  private readonly listener: () => void;

  /** Listen for SIGINT with `onInterrupt`. */
  constructor(onInterrupt: () => void) {
    this.listener = () => onInterrupt();
    process.on('SIGINT', this.listener);
  }

  /** Re-install the process's SIGINT handler with all current listeners, the kernel's included. */
  rearm(): void {
    const listeners = process.rawListeners('SIGINT') as Array<(...args: unknown[]) => void>;
    // Dropping the last listener closes Node's signal handle; adding one opens a fresh handle,
    // which installs Node's handler again (as node:vm does after a breakOnSigint run).
    process.removeAllListeners('SIGINT');
    if (!listeners.includes(this.listener)) listeners.unshift(this.listener);
    for (const listener of listeners) process.on('SIGINT', listener);
  }
}
