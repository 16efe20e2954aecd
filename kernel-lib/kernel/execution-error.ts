import { format } from 'util';

/** The `error` content of the Jupyter protocol (iopub `error` and an error `execute_reply`). */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Stack frames of the kernel machinery, which say nothing about the user's code. */
const MACHINERY_FRAME = /node_modules[\\/]tslab[\\/]|[\\/]kernel-lib[\\/](kernel|install)[\\/]|\(node:|^\s*at node:/;

/**
 * Turn what tslab's executor reported through `console.error` while running a cell into an
 * error content. The executor reports either a thrown value (one call with it) or TypeScript
 * diagnostics (one formatted call per diagnostic, e.g. `3:7 - Cannot find name 'x'.`).
 */
export function toErrorContent(reports: unknown[][]): ErrorContent {
  const thrown = reports.find((args) => args.length === 1 && typeof args[0] !== 'string');
  if (thrown) return thrownValueError(thrown[0]);
  const lines = reports.map((args) => format(...args));
  if (lines.length === 0) return { ename: 'Error', evalue: 'cell failed', traceback: ['cell failed'] };
  const evalue = lines.length === 1 ? lines[0] : `${lines.length} errors; first: ${lines[0]}`;
  return { ename: 'CompileError', evalue, traceback: lines };
}

/** Error content for a value a cell threw (an Error or anything else). */
export function thrownValueError(value: unknown): ErrorContent {
  if (value instanceof Error || (typeof value === 'object' && value !== null && 'stack' in value)) {
    const error = value as Error;
    const ename = error.name || 'Error';
    const evalue = error.message ?? '';
    const stackLines = String(error.stack ?? `${ename}: ${evalue}`).split('\n');
    // vm prepends the failing source line and a caret; start at the "Name: message" line.
    const start = Math.max(0, stackLines.findIndex((line) => line.startsWith(ename)));
    const traceback = stackLines.slice(start).filter((line) => !MACHINERY_FRAME.test(line));
    return { ename, evalue, traceback: traceback.length ? traceback : [`${ename}: ${evalue}`] };
  }
  const evalue = format(value);
  return { ename: 'Thrown', evalue, traceback: [`Uncaught ${evalue}`] };
}
