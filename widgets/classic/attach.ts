/**
 * Attach a widget view to an element that may not be in the document yet (the classic output
 * area builds output elements before inserting them). Lumino refuses detached hosts, so wait.
 */
import { Widget } from '@lumino/widgets';

/** Resolve once `el` is in the document (checked every animation frame, for up to `timeoutMs`). */
export function whenConnected(el: HTMLElement, timeoutMs = 30000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (el.isConnected) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('convlens: widget output was never shown'));
      else requestAnimationFrame(check);
    };
    check();
  });
}

/** Attach a lumino widget to `el` as soon as `el` is in the document. */
export async function attachWhenConnected(widget: Widget, el: HTMLElement): Promise<void> {
  await whenConnected(el);
  Widget.attach(widget, el);
}
