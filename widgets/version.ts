/**
 * The widget module name and version range, shared by every convlens model and view.
 *
 * `CONVLENS_VERSION` is replaced at build time (webpack DefinePlugin) with the `version` field of
 * the repository's package.json, so the browser bundles and the kernel-side models (which read the
 * same field at run time) always agree.
 */
import { WIDGET_MODULE, widgetIdentity } from '../kernel-lib/widgets/state/widget-spec';

declare const CONVLENS_VERSION: string;

/** The `_model_module` / `_view_module` of every convlens widget. */
export const MODULE_NAME = WIDGET_MODULE;

/** The package version this bundle was built from, e.g. `0.1.0`. */
export const PACKAGE_VERSION: string = CONVLENS_VERSION;

/** The semver range (`^x.y.z`) written to `_model_module_version` / `_view_module_version`. */
export const MODULE_VERSION = `^${PACKAGE_VERSION}`;

/**
 * The six identity keys of a convlens model/view pair for a model's `defaults()`, e.g.
 * `convlensIdentity('FilterGrid')` gives `FilterGridModel` / `FilterGridView` in module `convlens`
 * (the kernel side makes the same keys from the same function).
 */
export function convlensIdentity(name: string): ReturnType<typeof widgetIdentity> {
  return widgetIdentity({ name }, MODULE_VERSION);
}
