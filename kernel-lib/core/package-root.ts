import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/**
 * The root folder of the convlens package (where its package.json is), found from this file's
 * location so it works both from the TypeScript sources and from the compiled `dist/`.
 */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readManifest(manifest).name === 'convlens') {
      return (cached = dir);
    }
    if (path.dirname(dir) === dir) throw new Error(`convlens package.json not found above ${__dirname}`);
  }
}

/** The convlens package version. */
export function packageVersion(): string {
  return String(readManifest(path.join(packageRoot(), 'package.json')).version);
}

/** The fields of a package.json convlens reads. */
interface Manifest {
  name?: unknown;
  version?: unknown;
}

function readManifest(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}
