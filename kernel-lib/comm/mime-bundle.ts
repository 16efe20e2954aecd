import { inspect } from 'util';

/**
 * Objects with a method under this symbol choose how they show as a cell's result
 * (like IPython's `_repr_mimebundle_`); widgets return their `application/vnd.jupyter.widget-view+json`.
 */
export const toMimeBundle = Symbol.for('convlens.toMimeBundle');

/** A rich representation: `data` maps mime types to content. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** The mime bundle of a cell result: its own via {@link toMimeBundle}, else `text/plain` from util.inspect. */
export function mimeBundleOf(value: unknown): MimeBundle {
  const own = (value as { [toMimeBundle]?: unknown } | null | undefined)?.[toMimeBundle];
  if (typeof own === 'function') {
    const bundle = own.call(value) as MimeBundle;
    return { data: bundle.data, metadata: bundle.metadata ?? {} };
  }
  return { data: { 'text/plain': inspect(value) }, metadata: {} };
}
