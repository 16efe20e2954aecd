/**
 * Shared set-up of the kernel protocol tests: make sure the compiled library (the kernel runs
 * from dist/) is up to date, install the kernelspec with the real `convlens install --prefix`
 * into a temporary prefix, and run Python test modules of this folder with Debian's
 * /usr/bin/python3 (jupyter_client, jupyter_kernel_test) against it. Building, installing and
 * executing notebooks live in test/support/notebook-run.ts (shared with `npm run lectures`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { ensureLibraryBuilt, installKernelIntoTempPrefix, prefixEnv, PYTHON } from '../support/notebook-run';

export {
  BUILD_LOCK, ensureBuiltParts, ensureLibraryBuilt, executeNotebook, installKernelIntoTempPrefix, isolatedJupyterEnv, prefixEnv, PYTHON, ROOT,
} from '../support/notebook-run';
export type { ExecutedNotebook } from '../support/notebook-run';

/** Result of a Python test run. */
export interface PythonRun {
  status: number | null;
  output: string;
}

/** Run `/usr/bin/python3 ARGS` in test/kernel with the kernelspec of `prefix` on JUPYTER_PATH. */
export function runPython(prefix: string, args: string[], timeoutMs: number): PythonRun {
  const result = spawnSync(PYTHON, args, {
    cwd: __dirname,
    env: { ...prefixEnv(prefix), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/**
 * Expect a Python unittest run to pass with every test run: a plain `OK`, not `OK (skipped=N)` or
 * `OK (expected failures=N)`. Shows the output when it does not.
 */
export function expectPythonPass(run: PythonRun): void {
  if (run.status !== 0) throw new Error(`Python tests failed (exit ${run.status}):\n${run.output}`);
  expect(run.output).toMatch(/^OK$/m);
  expect(run.output).not.toMatch(/^OK \(|\.\.\. skipped\b|\.\.\. expected failure\b/m);
}

/**
 * Register jest hooks that build the library, install the kernelspec into a temporary prefix
 * before the file's tests and remove it after; returns a getter for that prefix.
 */
export function useInstalledKernel(): () => string {
  let prefix = '';
  beforeAll(() => {
    ensureLibraryBuilt();
    prefix = installKernelIntoTempPrefix();
  }, 300_000);
  afterAll(() => fs.rmSync(prefix, { recursive: true, force: true }));
  return () => prefix;
}
