import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/package-root';

/** The classic Notebook extension's require path, enabled in notebook.d. */
const NBEXTENSION_REQUIRE = 'convlens/extension';
/**
 * Debian's ipywidgets 6 classic extension (package jupyter-nbextension-jupyter-js-widgets, enabled
 * in /etc/jupyter). convlens's extension brings the ipywidgets 8 manager that renders every widget
 * on the page, so the old one is switched off where convlens's configuration takes precedence: its
 * CSS clipped labels and its version check timed out against kernels that do not speak ipywidgets 6.
 */
const OLD_WIDGETS_REQUIRE = 'jupyter-js-widgets/extension';

/** Options of {@link installBrowserExtensions}. */
export interface BrowserExtensionSource {
  /** Folder holding the built `labextension/` and `nbextension/` (default: the convlens package root). */
  from?: string;
  /** Where to report a missing build (default: console.warn). */
  warn?: (message: string) => void;
}

/**
 * Install the convlens widget frontends under `prefix`: the JupyterLab 4 / Notebook 7
 * extension (`labextension/`) into PREFIX/share/jupyter/labextensions/convlens (with an
 * `install.json` telling JupyterLab's extension manager how to remove it) and the classic
 * Notebook / VS Code extension (`nbextension/`) into PREFIX/share/jupyter/nbextensions/convlens,
 * enabled through PREFIX/etc/jupyter/nbconfig/notebook.d/convlens.json. A missing or incomplete
 * build is skipped with a warning that says to run `npm run build`.
 * @returns the folders and files written.
 */
export function installBrowserExtensions(prefix: string, source: BrowserExtensionSource = {}): string[] {
  const root = source.from ?? packageRoot();
  const warn = source.warn ?? ((m: string) => console.warn(m));
  const written: string[] = [];
  for (const { from, to, isBuilt, frontend } of extensionFolders(prefix)) {
    const built = path.join(root, from);
    if (!isBuilt(built)) {
      warn(`convlens: ${built} is missing or incomplete, so ${frontend} will not draw convlens widgets; run \`npm run build\` in ${root} and install again`);
      continue;
    }
    fs.rmSync(to, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(built, to, { recursive: true });
    written.push(to);
  }
  const lab = path.join(prefix, 'share', 'jupyter', 'labextensions', 'convlens');
  if (written.includes(lab)) {
    const install = { packageManager: 'npm', packageName: 'convlens', uninstallInstructions: 'Run `npx convlens uninstall` with the same --user / --sys-prefix / --prefix' };
    fs.writeFileSync(path.join(lab, 'install.json'), JSON.stringify(install, null, 2) + '\n');
  }
  if (written.some((w) => w.endsWith(path.join('nbextensions', 'convlens')))) {
    const config = nbextensionConfig(prefix);
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, JSON.stringify({ load_extensions: { [NBEXTENSION_REQUIRE]: true, [OLD_WIDGETS_REQUIRE]: false } }, null, 2) + '\n');
    written.push(config);
  }
  return written;
}

/** Remove what {@link installBrowserExtensions} wrote under `prefix`; returns the paths removed. */
export function uninstallBrowserExtensions(prefix: string): string[] {
  const targets = [...extensionFolders(prefix).map((f) => f.to), nbextensionConfig(prefix)];
  const removed = targets.filter((t) => fs.existsSync(t));
  for (const t of removed) fs.rmSync(t, { recursive: true, force: true });
  return removed;
}

function extensionFolders(prefix: string) {
  const share = path.join(prefix, 'share', 'jupyter');
  return [
    { from: 'labextension', to: path.join(share, 'labextensions', 'convlens'), isBuilt: labextensionBuilt, frontend: 'JupyterLab / Notebook 7' },
    {
      from: 'nbextension',
      to: path.join(share, 'nbextensions', 'convlens'),
      isBuilt: (dir: string) => ['extension.js', 'index.js'].every((f) => fs.existsSync(path.join(dir, f))),
      frontend: 'classic Notebook / VS Code',
    },
  ];
}

/** JupyterLab ignores a labextension whose package.json lacks `jupyterlab._build` (an unfinished build). */
function labextensionBuilt(dir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { jupyterlab?: { _build?: { load?: unknown } } };
    const load = manifest.jupyterlab?._build?.load;
    return typeof load === 'string' && fs.existsSync(path.join(dir, load));
  } catch {
    return false;
  }
}

function nbextensionConfig(prefix: string): string {
  return path.join(prefix, 'etc', 'jupyter', 'nbconfig', 'notebook.d', 'convlens.json');
}
