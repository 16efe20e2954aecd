import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { packageRoot } from '../core/package-root';
import { findJupyter, installScope, INSTALL_JUPYTER_HELP, JupyterFrontend } from './find-jupyter';
import { runSmokeCheck } from './smoke-check';

/** What `npm start` will do: install the kernel and extensions, then launch Jupyter on notebooks/. */
export interface StartPlan {
  frontend: JupyterFrontend;
  /** `node bin/convlens.js install ...` */
  install: string[];
  /** The Jupyter command line. */
  launch: string[];
  notebooksDir: string;
}

/** Plan the start for `frontend`, passing `extraArgs` on to Jupyter. */
export function planStart(frontend: JupyterFrontend, extraArgs: string[] = [], env: NodeJS.ProcessEnv = process.env): StartPlan {
  const root = packageRoot();
  const notebooksDir = path.join(root, 'notebooks');
  const rootDirFlag = frontend.kind === 'classic' ? `--NotebookApp.notebook_dir=${notebooksDir}` : `--ServerApp.root_dir=${notebooksDir}`;
  // Jupyter refuses to run as root without --allow-root (containers often run as root).
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const rootFlag = isRoot && !extraArgs.includes('--allow-root') ? ['--allow-root'] : [];
  return {
    frontend,
    install: [process.execPath, path.join(root, 'bin', 'convlens.js'), 'install', ...installScope(frontend.python, env)],
    launch: [...frontend.command, rootDirFlag, ...rootFlag, ...extraArgs],
    notebooksDir,
  };
}

const USAGE = `Usage: npm start [-- [--check] [JUPYTER ARGS...]]
  Opens the convlens lecture notebooks (notebooks/) in the Jupyter found on PATH
  (jupyter lab, then jupyter notebook, then python3 -m jupyterlab / notebook), after installing
  the convlens kernel and widget extension for it (convlens install --user, or --sys-prefix in a
  virtualenv). Other arguments go to Jupyter (e.g. --port=8890 --no-browser).
  --check (or --dry-run): print what would be run and exit; installs and starts nothing.
  --no-smoke: skip the end-to-end check (backend + Grad-CAM on the shipped shapes-cnn) run first.`;

/**
 * `npm start`: find Jupyter, install the convlens kernel and extensions for it, open notebooks/.
 * @returns the process exit code (0 ok, 1 no Jupyter or a failed step).
 */
export async function startNotebooks(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const check = argv.includes('--check') || argv.includes('--dry-run');
  const extra = argv.filter((a) => a !== '--check' && a !== '--dry-run' && a !== '--no-smoke');
  if (!argv.includes('--no-smoke')) {
    try {
      await runSmokeCheck();
    } catch (e) {
      console.error(`convlens: the end-to-end check failed: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }
  const { found, tried } = findJupyter(env);
  if (!found) {
    console.error(`convlens: tried ${tried.join(', ')}.\n${INSTALL_JUPYTER_HELP}`);
    return 1;
  }
  const plan = planStart(found, extra, env);
  console.log(`convlens: found ${found.label} (${found.command.join(' ')}), widgets via the ${found.kind === 'lab' ? 'labextension' : 'classic nbextension'}`);
  console.log(`convlens: install: ${plan.install.join(' ')}`);
  console.log(`convlens: launch:  ${plan.launch.join(' ')}`);
  if (check) return 0;
  const installed = spawnSync(plan.install[0], plan.install.slice(1), { stdio: 'inherit', env });
  if (installed.status !== 0) {
    console.error('convlens: installing the kernel and extensions failed (see above).');
    return 1;
  }
  const child = spawn(plan.launch[0], plan.launch.slice(1), { stdio: 'inherit', env, cwd: plan.notebooksDir });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}
