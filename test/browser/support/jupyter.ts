/**
 * Jupyter servers for the browser tests: fresh, throw-away JUPYTER_* folders, the convlens
 * kernelspec (and browser extension) installed there with `convlens install --prefix`, and Debian's
 * jupyter_server / classic notebook run with /usr/bin/python3 on 127.0.0.1 with a random token.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt } from './build';
import { isolatedJupyterEnv } from '../../kernel/python-harness';

export const REPO = path.resolve(__dirname, '../../..');
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Fresh Jupyter folders: nothing from the user's ~/.jupyter leaks in or out. */
export interface JupyterEnv {
  /** Root of all temp folders (removed by `cleanup`). */
  dir: string;
  /** `--prefix` the convlens kernelspec and extensions were installed into. */
  prefix: string;
  /** Folder the server serves notebooks from (the kernel's working directory). */
  notebookDir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** Make fresh JUPYTER_* folders and install the convlens kernelspec + extensions under a prefix (building them first when stale). */
export function makeJupyterEnv(label: string): JupyterEnv {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `convlens-${label}-`));
  const prefix = path.join(dir, 'prefix');
  const notebookDir = path.join(dir, 'notebooks');
  for (const d of [prefix, notebookDir]) {
    fs.mkdirSync(path.resolve(dir, d), { recursive: true });
  }
  const env: NodeJS.ProcessEnv = {
    ...isolatedJupyterEnv(dir, path.join(prefix, 'share/jupyter')),
    JUPYTER_CONFIG_PATH: path.join(prefix, 'etc/jupyter'),
  };
  installConvlens(prefix, env);
  return {
    dir,
    prefix,
    notebookDir,
    env,
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `npx convlens install --prefix P` (bin/convlens.js): the kernelspec "convlens" plus the lab- and nbextension. */
export function installConvlens(prefix: string, env: NodeJS.ProcessEnv): void {
  const cli = path.join(REPO, 'bin/convlens.js');
  execFileSync(process.execPath, [cli, 'install', '--prefix', prefix], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const spec = path.join(prefix, 'share/jupyter/kernels/convlens/kernel.json');
  if (!fs.existsSync(spec)) throw new Error(`convlens install --prefix ${prefix} wrote no ${spec}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  token: string;
  process: ChildProcess;
  /** Server log so far (stdout + stderr). */
  log(): string;
  /** GET a REST path (e.g. /api/kernels) with the token. */
  api(pathname: string): Promise<any>;
  /** Shut the server (and so every kernel it started) down. */
  stop(): Promise<void>;
}

/** Start a Jupyter server command (argv after the python executable) and wait until /api/status answers. */
export async function startServer(
  args: string[],
  jenv: JupyterEnv,
  port: number,
  token: string,
  timeoutMs = 60_000,
): Promise<Server> {
  let output = '';
  const child = spawn(SYSTEM_PYTHON, args, {
    cwd: jenv.notebookDir,
    env: jenv.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = async (pathname: string) => {
    const sep = pathname.includes('?') ? '&' : '?';
    const res = await fetch(`${baseUrl}${pathname}${sep}token=${token}`);
    if (!res.ok) throw new Error(`GET ${pathname}: ${res.status}`);
    return res.json();
  };
  const server: Server = {
    baseUrl,
    token,
    process: child,
    log: () => output,
    api,
    stop: () => stopProcess(child),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      await api('/api/status');
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`server did not answer within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** SIGTERM (Jupyter shuts its kernels down), then SIGKILL the whole process group after 10 s. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    child.kill('SIGTERM');
  } catch {
    return;
  }
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await exited;
  }
}

/** A random token for a server. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('hex');
}

/** Common server flags: localhost only, a token, no browser, no root complaints. */
export function serverFlags(app: 'ServerApp' | 'NotebookApp', port: number, token: string, root: string): string[] {
  return [
    `--${app}.ip=127.0.0.1`,
    `--${app}.port=${port}`,
    `--${app}.port_retries=0`,
    `--${app}.token=${token}`,
    `--${app}.open_browser=False`,
    `--${app}.allow_root=True`,
    app === 'ServerApp' ? `--ServerApp.root_dir=${root}` : `--NotebookApp.notebook_dir=${root}`,
  ];
}

/** Start the live-test page server (lab-page/server.py, a LabServerApp subclass) serving the page built in `pageDir`. */
export async function startLabPageServer(jenv: JupyterEnv, pageDir: string): Promise<Server> {
  const port = await freePort();
  const token = newToken();
  return startServer(
    [path.join(REPO, 'test/browser/lab-page/server.py'), ...serverFlags('ServerApp', port, token, jenv.notebookDir)],
    { ...jenv, env: { ...jenv.env, CONVLENS_TEST_PAGE_BUILD: pageDir } },
    port,
    token,
  );
}

/** Start Debian's classic Jupyter Notebook 6 (`/usr/bin/python3 -m notebook`). */
export async function startClassicNotebook(jenv: JupyterEnv): Promise<Server> {
  const port = await freePort();
  const token = newToken();
  return startServer(['-m', 'notebook', ...serverFlags('NotebookApp', port, token, jenv.notebookDir)], jenv, port, token);
}

/** A notebook (nbformat 4) whose code cells are `sources`, for the convlens kernel. */
export function notebookJson(sources: string[]): object {
  return {
    cells: sources.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    metadata: {
      kernelspec: { name: 'convlens', display_name: 'TypeScript (convlens)', language: 'typescript' },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Shut every kernel of a server down through its REST API and check none is left. */
export async function shutdownKernels(server: Server): Promise<void> {
  const kernels: Array<{ id: string }> = await server.api('/api/kernels');
  for (const k of kernels) {
    await fetch(`${server.baseUrl}/api/kernels/${k.id}?token=${server.token}`, { method: 'DELETE' });
  }
  const left = await server.api('/api/kernels');
  if (left.length) throw new Error(`kernels still running: ${JSON.stringify(left)}`);
}

/**
 * Processes still running with a connection file from this environment's runtime folder on
 * their command line (kernels that outlived their server), as `pid command`, after waiting up to
 * `graceMs` for them to exit.
 */
export async function leftoverKernels(jenv: JupyterEnv, graceMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = processesMentioning(jenv.env.JUPYTER_RUNTIME_DIR!);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function processesMentioning(runtime: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(runtime)) found.push(`${pid} ${cmdline}`);
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

/**
 * End of a browser test: close the browser and servers (servers shut their kernels down), then
 * remove the environment, and fail when a kernel process of it outlived them.
 */
export async function tearDown(jenv: JupyterEnv | undefined, ...closables: Array<{ close?(): Promise<void>; stop?(): Promise<void> } | undefined>): Promise<void> {
  for (const c of closables) await (c?.close ?? c?.stop)?.call(c);
  if (!jenv) return;
  const left = await leftoverKernels(jenv);
  jenv.cleanup();
  if (left.length) throw new Error(`kernels outlived their server:\n${left.join('\n')}`);
}
