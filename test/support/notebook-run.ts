/**
 * Executing notebooks on the installed convlens kernel, shared by the per-notebook tests
 * (test/kernel/python-harness.ts re-exports it) and `npm run lectures` (scripts/lectures.ts): build
 * the library the kernel runs from, install the kernelspec with the real `convlens install
 * --prefix` into a temporary prefix, and run Debian's nbconvert (/usr/bin/python3, nbclient) on a
 * notebook with its widget state stored. A failing cell is named (notebook, cell number, first
 * line) with its error.
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

/** An executed notebook: its JSON and all its cells' outputs. */
export interface ExecutedNotebook {
  nb: any;
  outputs: any[];
  /** Concatenated stream output of all cells. */
  text: string;
  /** Wall time of the execution (kernel start included), in seconds; 0 when reused. */
  seconds: number;
}

/** How {@link runNotebook} runs a notebook. */
export interface RunOptions {
  /** Longest a single cell may run, in seconds. */
  cellTimeoutS: number;
  /** Longest the whole notebook may run, in seconds (default: twice the cell limit plus a minute). */
  notebookTimeoutS?: number;
}

const text = (source: string | string[] | undefined): string => [].concat((source ?? '') as any).join('');

/** `notebooks/03-units.ipynb, cell 7 ("const x = …")`: where a cell is, for error messages. */
export function cellLabel(notebook: string, cells: any[], index: number): string {
  const first = text(cells[index]?.source).split('\n').find((l) => l.trim() !== '') ?? '';
  return `${path.relative(ROOT, notebook)}, cell ${index + 1} of ${cells.length} ("${first.trim().slice(0, 70)}")`;
}

/** Index of the cell whose source is (or starts with) `source`, or -1. */
function findCell(cells: any[], source: string): number {
  const want = source.trim();
  const exact = cells.findIndex((c) => text(c.source).trim() === want);
  if (exact >= 0 || want === '') return exact;
  return cells.findIndex((c) => text(c.source).trim().startsWith(want));
}

/** A readable message for a failed nbconvert run of `notebook`: which cell failed, and how. */
function describeFailure(notebook: string, output: string): string {
  const cells: any[] = JSON.parse(fs.readFileSync(notebook, 'utf8')).cells;
  const failed = /An error occurred while executing the following cell:\n-+\n([\s\S]*?)\n-+\n([\s\S]*)$/.exec(output);
  if (failed) {
    const i = findCell(cells, failed[1]);
    const where = i >= 0 ? cellLabel(notebook, cells, i) : path.relative(ROOT, notebook);
    return `${where} failed:\n${failed[2].trim().slice(-3000)}`;
  }
  const timedOut = /A cell timed out while it was being executed, after (\d+) seconds\.[\s\S]*?\n-+\n([\s\S]*?)\n(?:\.\.\.\n)?-+/.exec(output);
  if (timedOut) {
    const i = findCell(cells, timedOut[2].replace(/\n\.\.\.$/, ''));
    const where = i >= 0 ? cellLabel(notebook, cells, i) : path.relative(ROOT, notebook);
    return `${where} timed out after ${timedOut[1]} s`;
  }
  return `${path.relative(ROOT, notebook)} failed to execute:\n${output.slice(-3000)}`;
}

/**
 * Execute the notebook `source` on the convlens kernel installed in `prefix` (`/usr/bin/python3
 * -m nbconvert --to notebook --execute`, widget state stored in its metadata) into `outFile`.
 * Throws an error naming the notebook and the failing cell (number, first line) with its error
 * when a cell fails, times out, or leaves an error output.
 */
export function runNotebook(prefix: string, source: string, outFile: string, options: RunOptions): ExecutedNotebook {
  const { cellTimeoutS } = options;
  const notebookTimeoutS = options.notebookTimeoutS ?? 2 * cellTimeoutS + 60;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const t0 = Date.now();
  const run = spawnSync(
    PYTHON,
    ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=convlens',
      `--ExecutePreprocessor.timeout=${cellTimeoutS}`, '--ExecutePreprocessor.store_widget_state=True',
      '--output-dir', path.dirname(outFile), '--output', path.basename(outFile, '.ipynb'), source],
    { env: prefixEnv(prefix), encoding: 'utf8', timeout: notebookTimeoutS * 1000, maxBuffer: 256 * 1024 * 1024 },
  );
  const seconds = (Date.now() - t0) / 1000;
  if (run.error) throw new Error(`${path.relative(ROOT, source)} did not finish in ${notebookTimeoutS} s (${run.error})`);
  if (run.status !== 0) throw new Error(describeFailure(source, `${run.stdout}${run.stderr}`));
  const executed = readExecuted(outFile);
  const bad = executed.nb.cells.findIndex((c: any) => (c.outputs ?? []).some((o: any) => o.output_type === 'error'));
  if (bad >= 0) {
    const error = executed.nb.cells[bad].outputs.find((o: any) => o.output_type === 'error');
    throw new Error(`${cellLabel(source, executed.nb.cells, bad)} left an error output: ${error.ename}: ${error.evalue}`);
  }
  return { ...executed, seconds };
}

/** Read an executed notebook file: its JSON, outputs and stream text. */
export function readExecuted(file: string): ExecutedNotebook {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  const outputs = nb.cells.flatMap((c: any) => c.outputs ?? []);
  const streams = outputs.filter((o: any) => o.output_type === 'stream').map((o: any) => text(o.text)).join('');
  return { nb, outputs, text: streams, seconds: 0 };
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newestUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = path.join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newestUnder(p) : fs.statSync(p).mtimeMs);
  }, 0);
}

/**
 * The execution of `notebooks/<name>` that `npm run lectures` saved in the folder
 * CONVLENS_LECTURES_DIR names, when it is still valid: newer than the notebook and than everything
 * the kernel runs (kernel-lib/, models/), and (for a notebook that reads CONVLENS_CI) made with the
 * same CONVLENS_CI. CI runs the lectures first, so the per-notebook tests check those executions
 * instead of executing the notebooks a second time.
 */
export function savedLectureExecution(name: string): ExecutedNotebook | undefined {
  const dir = process.env.CONVLENS_LECTURES_DIR;
  if (!dir) return undefined;
  const file = path.join(path.resolve(ROOT, dir), name);
  const source = path.join(ROOT, 'notebooks', name);
  if (!fs.existsSync(file) || !fs.existsSync(source)) return undefined;
  const made = fs.statSync(file).mtimeMs;
  if (made <= Math.max(fs.statSync(source).mtimeMs, newestUnder(path.join(ROOT, 'kernel-lib')), newestUnder(path.join(ROOT, 'models')))) return undefined;
  const executed = readExecuted(file);
  const readsCi = fs.readFileSync(source, 'utf8').includes('CONVLENS_CI');
  if (readsCi && executed.nb.metadata.convlens_lectures?.CONVLENS_CI !== (process.env.CONVLENS_CI ?? '')) return undefined;
  return executed;
}

/**
 * Execute `notebooks/<name>` headless on the convlens kernel installed in `prefix`, into a
 * temporary folder that is removed afterwards; throws naming the failing cell. With
 * CONVLENS_LECTURES_DIR set, a valid saved execution of `npm run lectures` is used instead (see
 * {@link savedLectureExecution}).
 */
export function executeNotebook(prefix: string, name: string, cellTimeoutS: number): ExecutedNotebook {
  const saved = savedLectureExecution(name);
  if (saved) return saved;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-nb-'));
  try {
    return runNotebook(prefix, path.join(ROOT, 'notebooks', name), path.join(outDir, 'executed.ipynb'), { cellTimeoutS });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
