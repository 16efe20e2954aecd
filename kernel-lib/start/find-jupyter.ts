import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A Jupyter frontend `npm start` can open the notebooks in. */
export interface JupyterFrontend {
  /** What the user sees, e.g. `JupyterLab 4.2.5` or `Jupyter Notebook 6.4.12 (classic)`. */
  label: string;
  /** `lab` (JupyterLab 4 / Notebook 7, which load the labextension) or `classic` (the nbextension). */
  kind: 'lab' | 'classic';
  /** The command that starts it, without arguments, e.g. `['jupyter-lab']` or `['/usr/bin/python3', '-m', 'notebook']`. */
  command: string[];
  version: string;
  /** The Python interpreter the frontend runs in (decides `--user` or `--sys-prefix`). */
  python: string;
}

/** Python interpreters probed with `-m jupyterlab` / `-m notebook` when no `jupyter` command works. */
export function candidatePythons(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env.CONVLENS_START_PYTHONS;
  if (fromEnv !== undefined) return fromEnv.split(path.delimiter).filter(Boolean);
  return ['python3', '/usr/bin/python3'];
}

/** Full path of `name` on PATH, or undefined. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes('/')) return fs.existsSync(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function versionOf(command: string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    const out = execFileSync(command[0], [...command.slice(1), '--version'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    });
    const match = /(\d+\.\d+[^\s]*)/.exec(out);
    return match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

/** The interpreter named in a script's `#!` line (`#!/usr/bin/env python3` is looked up on PATH). */
function shebangPython(script: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const first = fs.readFileSync(script, 'utf8').split('\n', 1)[0];
    if (!first.startsWith('#!')) return undefined;
    const parts = first.slice(2).trim().split(/\s+/);
    if (path.basename(parts[0]) === 'env') return which(parts[1] ?? '', env);
    return parts[0];
  } catch {
    return undefined;
  }
}

function frontend(kind: 'lab' | 'classic', command: string[], version: string, python: string): JupyterFrontend {
  const major = Number(version.split('.')[0]);
  // Notebook 7 is built on JupyterLab and loads labextensions; Notebook 6 is the classic one.
  const isNotebook = command.some((c) => /notebook/.test(c));
  const resolvedKind = isNotebook ? (major >= 7 ? 'lab' : 'classic') : kind;
  const name = isNotebook ? 'Jupyter Notebook' : 'JupyterLab';
  const label = `${name} ${version}${resolvedKind === 'classic' ? ' (classic)' : ''}`;
  return { label, kind: resolvedKind, command, version, python };
}

/**
 * The Jupyter to open the notebooks in, in order of preference: `jupyter lab`, `jupyter notebook`
 * (commands on PATH), then `python -m jupyterlab` and `python -m notebook` for `python3` on PATH and
 * Debian's `/usr/bin/python3` (override with `CONVLENS_START_PYTHONS`, a PATH-style list).
 * @returns the frontend and everything that was tried.
 */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): { found?: JupyterFrontend; tried: string[] } {
  const tried: string[] = [];
  for (const [script, kind] of [['jupyter-lab', 'lab'], ['jupyter-notebook', 'classic']] as const) {
    tried.push(`${script.replace('-', ' ')} (PATH)`);
    const file = which(script, env);
    if (!file) continue;
    const version = versionOf([file], env);
    if (version) return { found: frontend(kind, [file], version, shebangPython(file, env) ?? 'python3'), tried };
  }
  for (const python of candidatePythons(env)) {
    const exe = which(python, env);
    for (const [module, kind] of [['jupyterlab', 'lab'], ['notebook', 'classic']] as const) {
      tried.push(`${python} -m ${module}`);
      if (!exe) continue;
      const version = versionOf([exe, '-m', module], env);
      if (version) return { found: frontend(kind, [exe, '-m', module], version, exe), tried };
    }
  }
  return { tried };
}

/**
 * Where `convlens install` should put the kernel and extensions so that `python`'s Jupyter sees
 * them: `--sys-prefix` inside a virtualenv or conda environment, else `--user` (no root needed).
 */
export function installScope(python: string, env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    const out = execFileSync(
      python,
      ['-c', 'import os, sys; print(sys.prefix != sys.base_prefix or os.path.exists(os.path.join(sys.prefix, "conda-meta")))'],
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 },
    );
    if (out.trim() === 'True') return ['--sys-prefix', '--python', python];
  } catch {
    /* fall back to the user folders */
  }
  return ['--user'];
}

/** What to tell a user who has no Jupyter at all. */
export const INSTALL_JUPYTER_HELP = `No Jupyter was found. Install one of these, then run \`npm start\` again:
  JupyterLab 4 (recommended):
    pipx install --include-deps jupyterlab          (or, in a virtualenv: pip install jupyterlab)
  Jupyter Notebook 7:
    pipx install --include-deps notebook            (or, in a virtualenv: pip install notebook)
  Debian / Ubuntu packages (classic Notebook 6; convlens brings its own widget manager):
    sudo apt install jupyter-notebook
  A virtualenv, for example:
    python3 -m venv ~/.venvs/jupyter && ~/.venvs/jupyter/bin/pip install jupyterlab
    PATH=~/.venvs/jupyter/bin:$PATH npm start`;
