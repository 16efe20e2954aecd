import * as fs from 'fs';
import * as path from 'path';
import type { TslabTypescript } from './tslab-typescript';

/** A function of the compiler's `sys` (file system access), as the mounts wrap it. */
type SysFunction = (...args: unknown[]) => unknown;

/** A folder shown to the TypeScript compiler at `virtualPath` whose files live at `realPath`. */
export interface Mount {
  virtualPath: string;
  realPath: string;
}

/** Map `p` to the real file system when it is inside a mount (mounts win over real files). */
export function toRealPath(mounts: Mount[], p: string): string {
  for (const { virtualPath, realPath } of mounts) {
    if (p === virtualPath) return realPath;
    if (p.startsWith(virtualPath + '/')) return realPath + p.slice(virtualPath.length);
  }
  return p;
}

/**
 * Show `mounts` to the TypeScript compiler by wrapping the file system functions of its `sys`
 * (tslab's converter delegates to them). Folders above a mount exist and list it.
 * Call before the converters are created.
 */
export function installMounts(ts: TslabTypescript, mounts: Mount[]): void {
  if (mounts.length === 0) return;
  // The compiler's `sys` is patched by name: viewed as a table of functions (no guard can type that).
  const sys = ts.sys as unknown as Record<string, SysFunction | undefined>;
  const real = (p: string) => toRealPath(mounts, normalize(p));
  const mountsBelow = (dir: string) => {
    const prefix = normalize(dir).replace(/\/$/, '') + '/';
    return mounts.filter((m) => m.virtualPath.startsWith(prefix));
  };
  const wrap = (name: string, fn: (original: SysFunction) => SysFunction) => {
    const original = sys[name];
    if (typeof original === 'function') sys[name] = fn(original.bind(ts.sys));
  };
  for (const name of ['fileExists', 'readFile', 'getModifiedTime', 'readDirectory']) {
    wrap(name, (original) => (p, ...rest) => original(real(String(p)), ...rest));
  }
  // Mounted packages do not change during a session; watching them (recursively, a whole
  // package with its node_modules) would cost seconds at start-up.
  const inMount = (p: string) => real(p) !== normalize(p);
  for (const name of ['watchFile', 'watchDirectory']) {
    wrap(name, (original) => (p, ...rest) => (inMount(String(p)) ? { close() {} } : original(p, ...rest)));
  }
  wrap('realpath', (original) => (p) => original(real(String(p))));
  wrap('directoryExists', (original) => (p) => Boolean(original(real(String(p)))) || mountsBelow(String(p)).length > 0);
  wrap('getDirectories', (original) => (p) => {
    const names = new Set<string>(original(real(String(p))) as string[]);
    const prefix = normalize(String(p)).replace(/\/$/, '') + '/';
    for (const m of mountsBelow(String(p))) names.add(m.virtualPath.slice(prefix.length).split('/')[0]);
    return [...names];
  });
}

/**
 * The mounts that make a notebook folder `cwd` see convlens and Node's types as if they were
 * installed there: `node_modules/convlens` is always this package; `node_modules/@types/node`
 * is added only when no folder from `cwd` up has Node's types.
 */
export function notebookMounts(cwd: string, packageRoot: string, nodeTypes: string | undefined): Mount[] {
  const base = normalize(cwd);
  const mounts: Mount[] = [{ virtualPath: `${base}/node_modules/convlens`, realPath: normalize(packageRoot) }];
  if (nodeTypes && !hasNodeTypesAbove(cwd)) {
    mounts.push({ virtualPath: `${base}/node_modules/@types/node`, realPath: normalize(nodeTypes) });
  }
  return mounts;
}

function hasNodeTypesAbove(cwd: string): boolean {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', '@types', 'node', 'package.json'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function normalize(p: string): string {
  return p.replace(/\\/g, '/');
}
