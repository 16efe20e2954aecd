/**
 * Shared set-up of the kernel protocol tests: make sure the compiled library (the kernel runs
 * from dist/) is up to date, install the kernelspec with the real `convlens install --prefix`
 * into a temporary prefix, and run Python test modules of this folder with Debian's
 * /usr/bin/python3 (jupyter_client, jupyter_kernel_test) against it.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Debian's Python, which has the Jupyter stack. */
export const PYTHON = '/usr/bin/python3';

/** The lock every build from the tests takes (`flock`), so test files running side by side build once. */
export const BUILD_LOCK = path.join(os.tmpdir(), 'convlens-build.lock');

/**
 * Build what the tests need when it is missing or older than its sources, with
 * `bin/build-if-stale.js` (the same check `npm start` makes), under a lock: several test files may
 * get here at once. `parts`: 'lib' (dist/, which the kernel runs from), 'widgets', 'labextension'.
 * A type error fails the build (tsc would still emit, and the kernel would run code that does not
 * type-check).
 */
export function ensureBuiltParts(parts: Array<'lib' | 'widgets' | 'labextension'>): void {
  const run = spawnSync('flock', [BUILD_LOCK, process.execPath, path.join(ROOT, 'bin', 'build-if-stale.js'), ...parts], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  if (run.status !== 0) throw new Error(`bin/build-if-stale.js ${parts.join(' ')} failed (exit ${run.status}):\n${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}`);
}

/** Build the library (dist/) when it is missing or older than kernel-lib/. */
export function ensureLibraryBuilt(): void {
  ensureBuiltParts(['lib']);
}

/**
 * An environment in which Jupyter sees only what a test installed: HOME and every per-user Jupyter
 * / IPython folder inside `root` (created), `jupyterPath` (a prefix's share/jupyter) as the only
 * JUPYTER_PATH, and no inherited JUPYTER_* / XDG_* / PYTHONPATH. So a kernel that `npm start` (or
 * the user) installed into ~/.local/share/jupyter is invisible to the tests.
 */
export function isolatedJupyterEnv(root: string, jupyterPath?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(JUPYTER_|XDG_|IPYTHONDIR$|PYTHONPATH$)/.test(k)) delete env[k];
  const dirs = { HOME: 'home', JUPYTER_CONFIG_DIR: 'config', JUPYTER_DATA_DIR: 'data', JUPYTER_RUNTIME_DIR: 'runtime', IPYTHONDIR: 'ipython' };
  for (const [k, d] of Object.entries(dirs)) {
    const dir = path.join(root, d);
    fs.mkdirSync(dir, { recursive: true });
    env[k] = dir;
  }
  if (jupyterPath) env.JUPYTER_PATH = jupyterPath;
  // Keep the Python side away from user site-packages (e.g. a pyenv interpreter's).
  env.PYTHONNOUSERSITE = '1';
  env.JUPYTER_PLATFORM_DIRS = '1';
  return env;
}

/** The isolated environment (see {@link isolatedJupyterEnv}) for the kernelspec installed in `prefix`. */
export function prefixEnv(prefix: string): NodeJS.ProcessEnv {
  return isolatedJupyterEnv(path.join(prefix, 'jupyter-home'), path.join(prefix, 'share', 'jupyter'));
}

/** Install the kernelspec with `convlens install --prefix` into a fresh temporary prefix; returns it. */
export function installKernelIntoTempPrefix(): string {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-prefix-'));
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'convlens.js'), 'install', '--prefix', prefix], { stdio: 'pipe' });
  return prefix;
}

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

/** An executed notebook: its JSON and all its cells' outputs. */
export interface ExecutedNotebook {
  nb: any;
  outputs: any[];
  /** Concatenated stream output of all cells. */
  text: string;
}

/**
 * Execute `notebooks/<name>` headless on the convlens kernel installed in `prefix`
 * (`/usr/bin/python3 -m nbconvert --to notebook --execute`), into a temporary folder that is removed
 * afterwards; throws with nbconvert's output when it fails.
 */
export function executeNotebook(prefix: string, name: string, cellTimeoutS: number): ExecutedNotebook {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-nb-'));
  try {
    const run = spawnSync(
      PYTHON,
      ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=convlens',
        `--ExecutePreprocessor.timeout=${cellTimeoutS}`, '--output-dir', outDir, '--output', 'executed', path.join(ROOT, 'notebooks', name)],
      { env: prefixEnv(prefix), encoding: 'utf8', timeout: 2 * cellTimeoutS * 1000 + 60_000 },
    );
    if (run.status !== 0) throw new Error(`nbconvert of ${name} failed (exit ${run.status}):\n${run.stdout}${run.stderr}${run.error ?? ''}`);
    const nb = JSON.parse(fs.readFileSync(path.join(outDir, 'executed.ipynb'), 'utf8'));
    const outputs = nb.cells.flatMap((c: any) => c.outputs ?? []);
    const text = outputs.filter((o: any) => o.output_type === 'stream').map((o: any) => [].concat(o.text).join('')).join('');
    return { nb, outputs, text };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
