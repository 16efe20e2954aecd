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
