/**
 * One value per Node process: made on first use and kept on Node's own `child_process` module
 * object. jest gives every test file a fresh module registry (so a module-level cache is made
 * again per file) but shares Node's core modules, so a test run makes the value once per worker.
 */

/** The process-wide value under `key` (a `Symbol.for` name), made by `make` on first use. */
export function processWide<T>(key: string, make: () => T): T {
  // The module object itself: an `import *` namespace would be a per-registry copy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const holder = require('child_process') as Record<symbol, unknown>;
  const symbol = Symbol.for(`convlens.${key}`);
  if (!(symbol in holder)) holder[symbol] = make();
  return holder[symbol] as T;
}
