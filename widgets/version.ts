/**
 * The widget module name and version range, shared by every convlens model and view.
 *
 * `CONVLENS_VERSION` is replaced at build time (webpack DefinePlugin) with the `version` field of
 * the repository's package.json, so the browser bundles and the kernel-side models (which read the
 * same field at run time) always agree.
 */
declare const CONVLENS_VERSION: string;

/** The `_model_module` / `_view_module` of every convlens widget. */
export const MODULE_NAME = 'convlens';

/** The package version this bundle was built from, e.g. `0.1.0`. */
export const PACKAGE_VERSION: string = CONVLENS_VERSION;

/** The semver range (`^x.y.z`) written to `_model_module_version` / `_view_module_version`. */
export const MODULE_VERSION = `^${PACKAGE_VERSION}`;

/**
 * The six identity keys of a convlens model/view pair for a model's `defaults()`, e.g.
 * `convlensIdentity('FilterGrid')` gives `FilterGridModel` / `FilterGridView` in module `convlens`.
 */
export function convlensIdentity(name: string) {
  return {
    _model_name: `${name}Model`,
    _model_module: MODULE_NAME,
    _model_module_version: MODULE_VERSION,
    _view_name: `${name}View`,
    _view_module: MODULE_NAME,
    _view_module_version: MODULE_VERSION,
  };
}
