import { createConverter, type Converter } from 'tslab/dist/converter';
import type { ConverterSet } from 'tslab/dist/executor';

/**
 * tslab's pair of TypeScript converters (Node.js cells and `%%browser` cells), created lazily
 * as tslab's own kernel does.
 */
export class LazyConverterSet implements ConverterSet {
  private nodeConverter?: Converter;
  private browserConverter?: Converter;

  /** The converter for Node.js cells (created on first use, a few hundred ms). */
  get node(): Converter {
    return (this.nodeConverter ??= createConverter({ isJS: false, isBrowser: false }));
  }

  /** The converter for `%%browser` cells. */
  get browser(): Converter {
    return (this.browserConverter ??= createConverter({ isJS: false, isBrowser: true }));
  }

  /** Stop the converters' file watchers. */
  close(): void {
    this.nodeConverter?.close();
    this.browserConverter?.close();
  }
}
