/**
 * Routing of a cell's output into an Output widget. While code runs inside
 * {@link runCapturingOutput} (also across `await`s, via AsyncLocalStorage), writes to
 * `process.stdout`/`process.stderr` (so `console.log`), widget displays, {@link publishDisplayData}
 * and tslab's `display.*` calls go to the sink instead of the cell. Code outside keeps writing wherever it did (tslab swaps `write` per
 * cell; the hook keeps whatever was assigned last and forwards to it).
 */
import { AsyncLocalStorage } from 'async_hooks';
import { widgetTransport } from './transport';

/** Where captured output goes (the Output widget implements it). */
export interface OutputSink {
  appendStream(name: 'stdout' | 'stderr', text: string): void;
  /** Clear the outputs now, or (`wait`) when the next output arrives (what `lens.clearOutput` does inside a capture). */
  clear(wait?: boolean): void;
  /**
   * Add a rich output. With a `displayId`, a later call with the same id and `update: true`
   * replaces it (tslab's `newDisplay()` entries).
   */
  appendDisplayData(data: Record<string, unknown>, metadata?: Record<string, unknown>, display?: { displayId?: string; update?: boolean }): void;
}

const store = new AsyncLocalStorage<OutputSink>();
let hooked = false;

/** `stream.write` with its overloads folded into one signature. */
type Write = (this: NodeJS.WriteStream, ...args: unknown[]) => boolean;

function hookStream(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): void {
  let inner = stream.write.bind(stream) as Write;
  const wrapper = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    const sink = store.getStore();
    if (!sink) return inner.call(stream, chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    sink.appendStream(name, text);
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    if (cb) process.nextTick(cb);
    return true;
  };
  Object.defineProperty(stream, 'write', {
    configurable: true,
    enumerable: true,
    get: () => wrapper,
    set: (f: Write) => {
      inner = f;
    },
  });
}

/** tslab's `display.html(...)` etc. write through `lastWriteDisplayData` of its jupyter module. */
interface TslabDisplayContent {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
}

function hookTslabDisplay(): void {
  let jupyter: { lastWriteDisplayData: unknown };
  try {
    // Loaded lazily and optionally: an internal tslab module, looked up only when output is captured.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
  } catch {
    return; // tslab not installed: nothing to route
  }
  let inner = jupyter.lastWriteDisplayData as ((c: TslabDisplayContent, update?: boolean) => void) | null;
  const wrapper = (content: TslabDisplayContent, update?: boolean): void => {
    const sink = store.getStore();
    if (sink) sink.appendDisplayData(content.data, content.metadata ?? {}, { displayId: content.transient?.display_id, update });
    else if (inner) inner(content, update);
    else throw new Error('Not ready');
  };
  Object.defineProperty(jupyter, 'lastWriteDisplayData', {
    configurable: true,
    enumerable: true,
    // tslab checks for null ("Not ready") outside a kernel; inside a capture the wrapper always works.
    get: () => (inner || store.getStore() ? wrapper : inner),
    set: (f: ((c: TslabDisplayContent, update?: boolean) => void) | null) => {
      inner = f;
    },
  });
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  hookStream(process.stdout, 'stdout');
  hookStream(process.stderr, 'stderr');
  hookTslabDisplay();
}

/** Run `fn` with its stdout/stderr and displays going to `sink`; returns what `fn` returns. */
export function runCapturingOutput<T>(sink: OutputSink, fn: () => T): T {
  installHooks();
  return store.run(sink, fn);
}

/** The sink capturing output at this point of execution, if any. */
export function currentOutputSink(): OutputSink | undefined {
  return store.getStore();
}

/**
 * Publish rich output (a MIME bundle): into the capturing Output widget when inside one,
 * otherwise as a `display_data` message of the current cell.
 */
export function publishDisplayData(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
  const sink = store.getStore();
  if (sink) sink.appendDisplayData(data, metadata);
  else widgetTransport().displayData(data, metadata);
}

/**
 * Clear the output of the cell (or Output widget capturing output) being produced now.
 * With `wait`, the frontend clears only when the next output arrives, which avoids flicker in
 * animations. Outside a kernel the offline transport records it.
 */
export function clearOutput(wait = false): void {
  const sink = store.getStore(); // inside Output.capture / interact: clear that Output widget
  if (sink) sink.clear(wait);
  else widgetTransport().clearOutput(wait);
}
