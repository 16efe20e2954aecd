/**
 * `npm start` (bin/start-notebooks.js → kernel-lib/start): finds the Jupyter on PATH and plans the
 * install + launch; `--check` starts nothing, so this never hangs CI. Runs against the real Debian
 * Jupyter of this machine (and of CI), and against a PATH with no Jupyter at all.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findJupyter } from '../../kernel-lib/start/find-jupyter';
import { planStart, startNotebooks } from '../../kernel-lib/start/open-notebooks';
import { freePort } from '../browser/support/jupyter';
import { ensureLibraryBuilt, ROOT } from '../kernel/python-harness';

async function captured(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void lines.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a) => void lines.push(a.join(' ')));
  try {
    const code = await startNotebooks(argv, env);
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

test('finds Debian’s Jupyter Notebook and plans a --user install and a launch on notebooks/', async () => {
  const { found } = findJupyter(process.env);
  expect(found).toBeDefined();
  const { code, out } = await captured(['--check', '--port=8890'], process.env);
  expect(code).toBe(0);
  expect(out).toContain(`found ${found!.label}`);
  expect(out).toMatch(/bin\/convlens\.js install (--user|--sys-prefix --python \S+)/);
  expect(out).toContain(path.resolve(__dirname, '../../notebooks'));
  expect(out).toContain('--port=8890');
  expect(out).not.toContain('--check');
});

test('a classic Notebook gets --NotebookApp.notebook_dir, JupyterLab / Notebook 7 --ServerApp.root_dir', () => {
  const classic = { label: 'Jupyter Notebook 6.4.12 (classic)', kind: 'classic' as const, command: ['/usr/bin/jupyter-notebook'], version: '6.4.12', python: '/usr/bin/python3' };
  const lab = { ...classic, label: 'JupyterLab 4.2.5', kind: 'lab' as const, command: ['/usr/bin/jupyter-lab'], version: '4.2.5' };
  const notebooks = path.resolve(__dirname, '../../notebooks');
  const asRoot = process.getuid?.() === 0 ? ['--allow-root'] : [];
  expect(planStart(classic, ['--no-browser']).launch).toEqual(['/usr/bin/jupyter-notebook', `--NotebookApp.notebook_dir=${notebooks}`, ...asRoot, '--no-browser']);
  expect(planStart(lab).launch).toEqual(['/usr/bin/jupyter-lab', `--ServerApp.root_dir=${notebooks}`, ...asRoot]);
  expect(planStart(lab).install.slice(-2)).toEqual(['install', '--user']);
});

test('without any Jupyter it says what to install and exits 1', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-nojupyter-'));
  try {
    const env = { ...process.env, PATH: empty, CONVLENS_START_PYTHONS: path.join(empty, 'python3') };
    const { code, out } = await captured(['--check'], env);
    expect(code).toBe(1);
    expect(out).toContain('No Jupyter was found');
    expect(out).toContain('sudo apt install jupyter-notebook');
    expect(out).toContain('pipx install --include-deps jupyterlab');
    expect(out).toContain('jupyter lab');
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('python -m fallback: finds /usr/bin/python3 -m notebook when no jupyter command is on PATH', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-nojupyter-'));
  try {
    const { found, tried } = findJupyter({ ...process.env, PATH: empty, CONVLENS_START_PYTHONS: '/usr/bin/python3' });
    expect(tried).toContain('/usr/bin/python3 -m jupyterlab');
    expect(found?.command).toEqual(['/usr/bin/python3', '-m', 'notebook']);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

describe('a real start (no --check)', () => {
  // A fresh HOME: `convlens install --user` and Jupyter's own files land in a temp folder.
  let home: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    ensureLibraryBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-start-home-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  test('installs convlens for the Jupyter it found and serves notebooks/ with the kernel and widget extension', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    for (const k of Object.keys(env)) if (/^(JUPYTER_|XDG_|IPYTHONDIR$)/.test(k)) delete env[k];
    const port = await freePort();
    const token = 'convlens-start-test';
    child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/start-notebooks.js'), '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--NotebookApp.token=${token}`, `--ServerApp.token=${token}`],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const get = async (p: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${p}${p.includes('?') ? '&' : '?'}token=${token}`);
      if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
      return res;
    };
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
      try {
        await get('/api/status');
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`Jupyter did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    expect(fs.existsSync(path.join(home, '.local/share/jupyter/kernels/convlens/kernel.json'))).toBe(true);
    const specs: any = await (await get("/api/kernelspecs")).json();
    expect(specs.kernelspecs.convlens.spec.display_name).toBe('TypeScript (convlens)');
    const contents: any = await (await get("/api/contents")).json();
    const served = contents.content.map((c: { name: string }) => c.name).filter((n: string) => n.endsWith('.ipynb'));
    expect(served.sort()).toEqual(fs.readdirSync(path.join(ROOT, 'notebooks')).filter((n) => n.endsWith('.ipynb')).sort());
    expect(served.length).toBeGreaterThan(0);
    if (/classic/.test(output)) {
      // Classic Notebook 6: the nbextension is served and enabled in the user's nbconfig.
      expect((await get('/nbextensions/convlens/extension.js')).status).toBe(200);
      const config: any = await (await get("/api/config/notebook")).json();
      expect(config.load_extensions?.['convlens/extension']).toBe(true);
    } else {
      const labext = path.join(home, '.local/share/jupyter/labextensions/convlens/package.json');
      expect(fs.existsSync(labext)).toBe(true);
    }
  }, 180_000);
});
