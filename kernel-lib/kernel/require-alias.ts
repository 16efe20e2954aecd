import Module from 'module';

/**
 * Make `require('convlens')` and `require('convlens/...')` load this package from any folder,
 * so notebooks need no node_modules and share the module instances (and the comm transport)
 * of the kernel.
 */
export function aliasConvlensRequire(packageRoot: string): void {
  const moduleInternals = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  };
  const resolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    if (request === 'convlens' || request.startsWith('convlens/')) {
      request = packageRoot + request.slice('convlens'.length);
    }
    return resolve.call(this, request, parent, ...rest);
  };
}
