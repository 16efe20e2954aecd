/**
 * `convlens install` / `convlens uninstall` (bin/convlens.js): the kernelspec they write is the
 * one Jupyter (jupyter_client under /usr/bin/python3) finds and can launch, for --prefix and
 * --user (no root needed), and bad command lines fail with a clear message.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureLibraryBuilt, isolatedJupyterEnv, PYTHON, ROOT } from './python-harness';

const CLI = path.join(ROOT, 'bin', 'convlens.js');
let scratch: string;

/** Jupyter's folders for this test, inside its scratch folder (none of the user's: see isolatedJupyterEnv). */
const isolated = (jupyterPath?: string) => isolatedJupyterEnv(path.join(scratch, 'jupyter-home'), jupyterPath);

function convlens(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...isolated(), ...env }, encoding: 'utf8' });
}

/** The kernelspecs jupyter_client finds with `dataDir` on JUPYTER_PATH. */
function kernelSpecsSeenByJupyter(dataDir: string): Record<string, { resource_dir: string; spec: any }> {
  const script = 'import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().get_all_specs()))';
  const run = spawnSync(PYTHON, ['-c', script], { env: isolated(dataDir), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

beforeAll(() => ensureLibraryBuilt(), 300_000);
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-cli-'));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('install --prefix writes the "TypeScript (convlens)" kernelspec that Jupyter finds; uninstall removes it', () => {
  const install = convlens(['install', '--prefix', scratch]);
  expect(install.status).toBe(0);
  const dataDir = path.join(scratch, 'share', 'jupyter');
  const spec = kernelSpecsSeenByJupyter(dataDir).convlens;
  expect(spec.resource_dir).toBe(path.join(dataDir, 'kernels', 'convlens'));
  expect(spec.spec.display_name).toBe('TypeScript (convlens)');
  expect(spec.spec.language).toBe('typescript');
  expect(spec.spec.argv).toEqual([process.execPath, CLI, 'kernel', '--config-path', '{connection_file}']);

  const uninstall = convlens(['uninstall', '--prefix', scratch]);
  expect(uninstall.status).toBe(0);
  expect(uninstall.stdout).toContain('Removed kernelspec');
  expect(kernelSpecsSeenByJupyter(dataDir).convlens).toBeUndefined();
});

test("a kernelspec the user installed (as `npm start` does, into ~/.local/share/jupyter) is invisible to these tests", () => {
  const userHome = path.join(scratch, 'user-home');
  const userData = path.join(userHome, '.local', 'share', 'jupyter');
  const saved = { HOME: process.env.HOME, JUPYTER_DATA_DIR: process.env.JUPYTER_DATA_DIR };
  process.env.HOME = userHome;
  process.env.JUPYTER_DATA_DIR = userData;
  try {
    expect(convlens(['install', '--user'], { HOME: userHome, JUPYTER_DATA_DIR: userData }).status).toBe(0);
    expect(fs.existsSync(path.join(userData, 'kernels', 'convlens', 'kernel.json'))).toBe(true);
    expect(kernelSpecsSeenByJupyter(path.join(scratch, 'empty')).convlens).toBeUndefined();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('install --user goes to the per-user Jupyter data folder (no root needed)', () => {
  const dataDir = path.join(scratch, 'home', 'share', 'jupyter');
  const install = convlens(['install', '--user'], { JUPYTER_DATA_DIR: dataDir });
  expect(install.status).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'kernels', 'convlens', 'kernel.json'))).toBe(true);
  expect(convlens(['uninstall', '--user'], { JUPYTER_DATA_DIR: dataDir }).status).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'kernels', 'convlens'))).toBe(false);
});

test('install --sys-prefix uses the sys.prefix of --python', () => {
  const fakePython = path.join(scratch, 'python');
  fs.writeFileSync(fakePython, `#!/bin/sh\necho ${scratch}/venv\n`, { mode: 0o755 });
  expect(convlens(['install', '--sys-prefix', '--python', fakePython]).status).toBe(0);
  expect(fs.existsSync(path.join(scratch, 'venv', 'share', 'jupyter', 'kernels', 'convlens', 'kernel.json'))).toBe(true);
});

test.each([
  [['install', '--user', '--prefix', '/tmp/x'], 'choose at most one of --user, --sys-prefix and --prefix'],
  [['install', '--prefix'], '--prefix needs a value'],
  [['install', '--colour'], "unknown argument '--colour'"],
  [['frobnicate'], "unknown command 'frobnicate'"],
  [['kernel'], 'kernel needs --config-path'],
])('convlens %j fails with a clear message', (args, message) => {
  const run = convlens(args);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain('Usage:');
});
