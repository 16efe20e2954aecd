import { currentOutputSink } from '../widgets/output-capture';

/** Sends `clear_output`; installed by the kernel. */
type ClearOutputHandler = (wait: boolean) => void;

let handler: ClearOutputHandler | undefined;

/** Install how `clear_output` is sent (the kernel does this at start-up). */
export function setClearOutputHandler(h: ClearOutputHandler): void {
  handler = h;
}

/**
 * Clear the output of the cell (or widget Output area) being produced now.
 * With `wait`, the frontend clears only when the next output arrives, which avoids flicker in
 * animations. Outside a kernel this does nothing.
 */
export function clearOutput(wait = false): void {
  const sink = currentOutputSink(); // inside Output.capture / interact: clear that Output widget
  if (sink) sink.clear(wait);
  else handler?.(wait);
}
