/**
 * The real JupyterLab 4.5 application for the browser tests (test/browser/lab-app/): installed and
 * built on demand by lab-app/ensure.js (only when its lock or sources change), served by
 * lab-app/server.py, a LabServerApp subclass on Debian's jupyter_server, with the convlens
 * labextension that `convlens install --prefix` put in PREFIX/share/jupyter/labextensions.
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { freePort, newToken, REPO, Server, serverFlags, startServer, JupyterEnv } from './jupyter';

const APP = path.join(REPO, 'test/browser/lab-app');

/** Install and build the app when stale (under a lock: concurrent runs build once); return its build folder. */
export function ensureLabApp(): string {
  const lock = path.join(os.tmpdir(), 'convlens-lab-app.lock');
  return execFileSync('flock', [lock, process.execPath, path.join(APP, 'ensure.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
}

/** Start the app's server for `jenv` (its labextensions, a fresh settings/workspaces folder); the app is at `/lab`. */
export async function startJupyterLab(jenv: JupyterEnv, buildDir: string): Promise<Server> {
  const port = await freePort();
  const token = newToken();
  const env = {
    ...jenv.env,
    CONVLENS_LAB_APP_BUILD: buildDir,
    CONVLENS_LAB_STATE: path.join(jenv.dir, 'lab-state'),
    CONVLENS_LAB_EXTENSIONS: path.join(jenv.prefix, 'share/jupyter/labextensions'),
  };
  return startServer([path.join(APP, 'server.py'), ...serverFlags('ServerApp', port, token, jenv.notebookDir)], { ...jenv, env }, port, token);
}
