import Module from 'module';
import * as path from 'path';

/**
 * Make `require('convlens')` and `require('convlens/...')` load this package from any folder,
 * so notebooks need no node_modules and share the module instances (and the comm transport)
 * of the kernel. The request is resolved as if made from inside the package (Node's package
 * self-reference), so package.json `exports` decides what `convlens/widgets` and
 * `convlens/kernel` are.
 */
export function aliasConvlensRequire(packageRoot: string): void {
  // Node's resolver internals are not in @types/node: typed here as far as they are used.
  const moduleInternals = Module as unknown as {
    _resolveFilename: (this: unknown, request: string, parent: unknown, ...rest: unknown[]) => string;
    _nodeModulePaths: (from: string) => string[];
  };
  const resolve = moduleInternals._resolveFilename;
  const inside = new Module(path.join(packageRoot, 'package.json'));
  inside.filename = path.join(packageRoot, 'package.json');
  inside.paths = moduleInternals._nodeModulePaths(packageRoot);
  moduleInternals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    if (request === 'convlens' || request.startsWith('convlens/')) return resolve.call(this, request, inside, ...rest);
    return resolve.call(this, request, parent, ...rest);
  };
}
