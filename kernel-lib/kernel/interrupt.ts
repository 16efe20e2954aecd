/**
 * The kernel-wide stop. Every message the kernel handles (a cell, a widget's comm message) runs
 * with the stop signal current when it started (`MessageContext.stop`); an interrupt
 * (SIGINT or an `interrupt_request`) aborts that signal, so all work started before it (the
 * running cell, work it left running in the background, widget recomputes) stops at its next
 * stop check, while later cells and messages start clean with a fresh signal.
 */
let generation = new AbortController();

/** The stop signal work started now will observe (aborted by the next {@link interruptKernel}). */
export function currentStopSignal(): AbortSignal {
  return generation.signal;
}

/** Interrupt: abort everything started so far; later work gets a fresh signal. */
export function interruptKernel(): void {
  const stopped = generation;
  generation = new AbortController();
  stopped.abort(new DOMException('The kernel was interrupted', 'AbortError'));
}
