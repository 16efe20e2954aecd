import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';

/** Where to install: the flags of `convlens install` / `uninstall`. */
export interface InstallTarget {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  /** Python whose `sys.prefix` `--sys-prefix` means (default `python3`). */
  python?: string;
}

/**
 * The prefix whose `share/jupyter` receives the kernelspec and the browser extensions,
 * following `jupyter kernelspec install`: `--prefix P` is P, `--sys-prefix` is Python's
 * `sys.prefix`, `--user` (the default unless root) is the per-user folder, and root
 * without flags installs system-wide under /usr/local.
 */
export function installPrefix(target: InstallTarget): string {
  const chosen = [target.user, target.sysPrefix, target.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new Error('choose at most one of --user, --sys-prefix and --prefix');
  if (target.prefix !== undefined) return path.resolve(target.prefix);
  if (target.sysPrefix) {
    const python = target.python ?? 'python3';
    return execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (target.user || !isRoot) return userPrefix();
  return '/usr/local';
}

/**
 * The per-user prefix: its `share/jupyter` is Jupyter's user data folder
 * (`$JUPYTER_DATA_DIR` when set, else `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter`).
 */
function userPrefix(): string {
  const dataDir =
    process.env.JUPYTER_DATA_DIR ??
    path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'jupyter');
  if (path.basename(dataDir) !== 'jupyter' || path.basename(path.dirname(dataDir)) !== 'share') {
    throw new Error(`the Jupyter data folder ${dataDir} does not end in share/jupyter; use --prefix`);
  }
  return path.dirname(path.dirname(dataDir));
}

/** `PREFIX/share/jupyter`. */
export function jupyterDataDir(prefix: string): string {
  return path.join(prefix, 'share', 'jupyter');
}
