/**
 * installBrowserExtensions / uninstallBrowserExtensions: where the labextension and nbextension
 * go under a prefix, the nbextension being enabled, and a clear warning for missing builds.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installBrowserExtensions, uninstallBrowserExtensions } from '../../kernel-lib/install/browser-extensions';

let tmp: string;

/** A fake package root with built extensions. */
function builtRoot(): string {
  const root = path.join(tmp, 'pkg');
  fs.mkdirSync(path.join(root, 'labextension', 'static'), { recursive: true });
  fs.writeFileSync(path.join(root, 'labextension', 'static', 'remoteEntry.abc.js'), '// entry');
  fs.writeFileSync(
    path.join(root, 'labextension', 'package.json'),
    JSON.stringify({ name: 'convlens', jupyterlab: { _build: { load: 'static/remoteEntry.abc.js', extension: './extension' } } }),
  );
  fs.mkdirSync(path.join(root, 'nbextension'), { recursive: true });
  fs.writeFileSync(path.join(root, 'nbextension', 'extension.js'), 'define(function(){})');
  fs.writeFileSync(path.join(root, 'nbextension', 'index.js'), 'define(function(){})');
  return root;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-ext-'));
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('installs the labextension and the enabled nbextension under the prefix, and removes them', () => {
  const prefix = path.join(tmp, 'prefix');
  const warnings: string[] = [];
  const written = installBrowserExtensions(prefix, { from: builtRoot(), warn: (m) => warnings.push(m) });
  const lab = path.join(prefix, 'share/jupyter/labextensions/convlens');
  const nb = path.join(prefix, 'share/jupyter/nbextensions/convlens');
  const config = path.join(prefix, 'etc/jupyter/nbconfig/notebook.d/convlens.json');
  expect(written).toEqual([lab, nb, config]);
  expect(warnings).toEqual([]);
  expect(fs.existsSync(path.join(lab, 'static/remoteEntry.abc.js'))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(lab, 'install.json'), 'utf8')).packageName).toBe('convlens');
  expect(fs.readdirSync(nb).sort()).toEqual(['extension.js', 'index.js']);
  expect(JSON.parse(fs.readFileSync(config, 'utf8'))).toEqual({ load_extensions: { 'convlens/extension': true, 'jupyter-js-widgets/extension': false } });
  expect(uninstallBrowserExtensions(prefix)).toEqual([lab, nb, config]);
  expect(fs.existsSync(lab) || fs.existsSync(nb) || fs.existsSync(config)).toBe(false);
});

test('skips an unfinished labextension build and missing nbextension with a warning naming npm run build', () => {
  const root = builtRoot();
  const manifest = path.join(root, 'labextension', 'package.json');
  fs.writeFileSync(manifest, JSON.stringify({ name: 'convlens', jupyterlab: {} }));
  fs.rmSync(path.join(root, 'nbextension'), { recursive: true });
  const warnings: string[] = [];
  expect(installBrowserExtensions(path.join(tmp, 'prefix'), { from: root, warn: (m) => warnings.push(m) })).toEqual([]);
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toMatch(/labextension is missing or incomplete, so JupyterLab \/ Notebook 7 will not draw convlens widgets; run `npm run build`/);
  expect(warnings[1]).toMatch(/nbextension is missing or incomplete, so classic Notebook \/ VS Code/);
});
