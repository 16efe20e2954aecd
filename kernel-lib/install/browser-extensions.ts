import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../kernel/package-root';

/** The classic Notebook extension's require path, enabled in notebook.d. */
const NBEXTENSION_REQUIRE = 'convlens/extension';

/**
 * Install the convlens widget frontends under `prefix`: the JupyterLab 4 / Notebook 7
 * extension (`labextension/`) into PREFIX/share/jupyter/labextensions/convlens and the classic
 * Notebook extension (`nbextension/`) into PREFIX/share/jupyter/nbextensions/convlens, enabled
 * through PREFIX/etc/jupyter/nbconfig/notebook.d/convlens.json. Missing builds are skipped.
 * @returns the folders written.
 */
export function installBrowserExtensions(prefix: string): string[] {
  const root = packageRoot();
  const written: string[] = [];
  for (const { from, to } of extensionFolders(prefix)) {
    const source = path.join(root, from);
    if (!fs.existsSync(source)) continue;
    fs.rmSync(to, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(source, to, { recursive: true });
    written.push(to);
  }
  if (fs.existsSync(path.join(root, 'nbextension'))) {
    const config = nbextensionConfig(prefix);
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, JSON.stringify({ load_extensions: { [NBEXTENSION_REQUIRE]: true } }, null, 2) + '\n');
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

function extensionFolders(prefix: string): Array<{ from: string; to: string }> {
  const share = path.join(prefix, 'share', 'jupyter');
  return [
    { from: 'labextension', to: path.join(share, 'labextensions', 'convlens') },
    { from: 'nbextension', to: path.join(share, 'nbextensions', 'convlens') },
  ];
}

function nbextensionConfig(prefix: string): string {
  return path.join(prefix, 'etc', 'jupyter', 'nbconfig', 'notebook.d', 'convlens.json');
}
