/**
 * The Layout model (@jupyter-widgets/base LayoutModel 2.0.0): CSS box properties of a view,
 * shared by reference (`layout: "IPY_MODEL_<id>"`). Every DOM widget gets its own by default.
 */
import { BASE_MODULE, modelIdentity, type ModelIdentity } from './protocol';
import { Widget, type WidgetOptions } from './widget';

/** The CSS properties a Layout can set (all optional: null means "not set"). */
export const LAYOUT_KEYS = [
  'align_content', 'align_items', 'align_self', 'border_bottom', 'border_left', 'border_right',
  'border_top', 'bottom', 'display', 'flex', 'flex_flow', 'grid_area', 'grid_auto_columns',
  'grid_auto_flow', 'grid_auto_rows', 'grid_column', 'grid_gap', 'grid_row', 'grid_template_areas',
  'grid_template_columns', 'grid_template_rows', 'height', 'justify_content', 'justify_items', 'left',
  'margin', 'max_height', 'max_width', 'min_height', 'min_width', 'object_fit', 'object_position',
  'order', 'overflow', 'padding', 'right', 'top', 'visibility', 'width',
] as const;

/** A layout property name. */
export type LayoutKey = (typeof LAYOUT_KEYS)[number];
/** Layout properties as given by users, e.g. `{ width: '300px', border_top: '1px solid' }`. */
export type LayoutProps = Partial<Record<LayoutKey, string | null>>;
/** Full LayoutModel state. */
export type LayoutState = ModelIdentity & Record<LayoutKey, string | null>;

/** A LayoutModel: CSS layout of one or more views. */
export class Layout extends Widget<LayoutState> {
  /** Create a layout, e.g. `new Layout({ width: '100%' })`. Unknown property names are rejected. */
  constructor(props: LayoutProps = {}, options: WidgetOptions = {}) {
    for (const k of Object.keys(props)) {
      if (!(LAYOUT_KEYS as readonly string[]).includes(k)) {
        throw new Error(`unknown layout property "${k}"; allowed: ${LAYOUT_KEYS.join(', ')}`);
      }
    }
    const empty = Object.fromEntries(LAYOUT_KEYS.map((k) => [k, null])) as Record<LayoutKey, null>;
    super({ ...modelIdentity(BASE_MODULE, 'LayoutModel', 'LayoutView'), ...empty, ...props }, options);
  }

  protected acceptsNull(): boolean {
    return true;
  }

  protected reprKeys(): string[] {
    return LAYOUT_KEYS.filter((k) => this.get(k) !== null);
  }
}
