/**
 * The widget module identity of convlens's own widgets: module `convlens`, version range
 * `^<package.json version>`, the same range the browser bundles are built with.
 */
import { packageVersion } from '../core/package-root';
import { modelIdentity, type ModelIdentity } from '../ipywidgets/protocol';

/** `{ module: 'convlens', version: '^x.y.z' }` for {@link modelIdentity}. */
export function convlensModule(): { module: string; version: string } {
  return { module: 'convlens', version: `^${packageVersion()}` };
}

/** Identity keys of a convlens model/view pair, e.g. `convlensIdentity('FilterGrid')`. */
export function convlensIdentity(name: string): ModelIdentity {
  return modelIdentity(convlensModule(), `${name}Model`, `${name}View`);
}
