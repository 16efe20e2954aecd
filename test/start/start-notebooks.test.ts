/**
 * `npm start` (bin/start-notebooks.js → kernel-lib/start): finds the Jupyter on PATH and plans the
 * install + launch; `--check` starts nothing, so this never hangs CI. Runs against the real Debian
 * Jupyter of this machine (and of CI), and against a PATH with no Jupyter at all.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findJupyter } from '../../kernel-lib/start/find-jupyter';
import { planStart, startNotebooks } from '../../kernel-lib/start/open-notebooks';

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
  expect(planStart(classic, ['--no-browser']).launch).toEqual(['/usr/bin/jupyter-notebook', `--NotebookApp.notebook_dir=${notebooks}`, '--no-browser']);
  expect(planStart(lab).launch).toEqual(['/usr/bin/jupyter-lab', `--ServerApp.root_dir=${notebooks}`]);
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
