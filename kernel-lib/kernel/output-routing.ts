import { TextDecoder } from 'util';
import * as tslabJupyter from 'tslab/dist/jupyter';
import { currentContext } from './message-context';
import type { MessageSender } from './message-sender';

/** The kernel's own log (the real stderr, which Jupyter servers keep in their log). */
export type KernelLog = (text: string) => void;

/** Where rich output (display_data / update_display_data) is written. */
export type DisplayWriter = (content: Record<string, unknown>, update?: boolean) => void;

/**
 * Route `process.stdout`, `process.stderr`, tslab's `display` and convlens's display calls to
 * IOPub, with the message being handled (cell or comm message) as the parent.
 * Output with no message context goes to the kernel log; output of work started before an
 * interrupt (it keeps running until its next stop check) is dropped.
 * @returns the kernel log (the original stderr) and the display writer.
 */
export function routeOutputToIopub(sender: MessageSender): { log: KernelLog; display: DisplayWriter } {
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  const log: KernelLog = (text) => {
    originalStderr(text);
  };
  const decoder = new TextDecoder();
  const streamWriter = (name: 'stdout' | 'stderr', fallback: (text: string) => boolean) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
      const context = currentContext();
      if (context?.stop?.aborted) {
        // Work of an interrupted cell or message still running: its output is dropped.
      } else if (context) sender.publish('stream', { name, text }, context.parent);
      else fallback(text);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = streamWriter('stdout', originalStdout);
  process.stderr.write = streamWriter('stderr', originalStderr);

  const display: DisplayWriter = (content, update = false) => {
    const context = currentContext();
    if (context?.stop?.aborted) return;
    const message = { metadata: {}, transient: {}, ...content };
    sender.publish(update ? 'update_display_data' : 'display_data', message, context?.parent);
  };
  // tslab's public `display` API writes through this process-wide hook.
  (tslabJupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = display;
  return { log, display };
}
