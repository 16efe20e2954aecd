/**
 * The UnitExplorer widget, kernel side (state: state/unit-explorer.ts, view:
 * widgets/unit-explorer.ts): a layer's units as tiles of their strongest patch over a dataset;
 * clicking a unit shows its top-k patches and the images they came from, field outlined; with a
 * probe image, its activation maps, where hovering a position outlines that unit's receptive
 * field on the probe. Build it with {@link unitExplorer}.
 */
import { tf } from '../tf';
import type { BatchSource } from '../core/run-control';
import type { WidgetOptions } from '../ipywidgets/widget';
import type { DisplayScope } from '../render/normalize';
import { checkNumber } from '../core/checks';
import { imageBatch } from '../models/validate';
import { activationMaps } from '../techniques/units/activation-maps';
import { maxActivatingPatches, type MaxPatches, type MaxPatchesOptions } from '../techniques/units/max-patches';
import { ConvlensWidget, type ConvlensState } from './convlens-widget';
import { stackTiles } from './tiles';
import { UNIT_EXPLORER, type UnitExplorerState } from './state/unit-explorer';

export type { UnitExplorerState };

/** Options of {@link unitExplorer}: the search ({@link MaxPatchesOptions}) and the display. */
export interface UnitExplorerOptions extends Omit<MaxPatchesOptions, 'keepImages'> {
  /** One image `[H, W, C]` (or `[1, H, W, C]`) whose activation maps are shown. */
  probe?: tf.Tensor;
  /** How patches and images are stretched for display: one range for all (`'all'`, default), each on its own (`'each'`), or clipped to [0, 1] (`'none'`). */
  normalize?: DisplayScope;
  /** The unit selected at first (a channel), default the first unit. */
  selected?: number;
  /** Displayed tile width in CSS pixels (default 48). */
  tileSize?: number;
  title?: string;
}

const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(2));

/** A layer's units with their top patches; `selected` follows the user's clicks. */
export class UnitExplorer extends ConvlensWidget<UnitExplorerState> {
  private readonly rowOf: Map<number, number>;
  private shown: Promise<void> = Promise.resolve();
  private token = 0;

  constructor(private readonly result: MaxPatches, private readonly normalize: DisplayScope, state: Partial<UnitExplorerState>, options: WidgetOptions = {}) {
    super(UNIT_EXPLORER, state, options);
    this.rowOf = new Map(result.units.map((u, i) => [u, i]));
    this.onClose(() => result.dispose());
    this.observe('selected', () => this.update());
    this.update();
  }

  /** Resolves when the patches shown are the selected unit's (after the latest click). */
  async ready(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.shown;
      await current;
    } while (current !== this.shown);
  }

  /** Show the selected unit's patches, latest selection wins; a failure is logged, never thrown into the kernel. */
  private update(): void {
    const token = ++this.token;
    this.shown = this.showUnit(token).catch((e: Error) => console.error(`UnitExplorer: ${e.message}`));
  }

  /** The channel the user selected, or null. */
  get selected(): number | null {
    return this.get('selected');
  }

  set selected(unit: number | null) {
    this.set({ selected: unit });
  }

  /** The search result the widget shows (owned by the widget: freed when it closes). */
  get patches(): MaxPatches {
    return this.result;
  }

  private async showUnit(token: number): Promise<void> {
    const unit = this.get('selected');
    const row = unit === null ? undefined : this.rowOf.get(unit);
    if (row === undefined) {
      this.set({ patches: new Uint8Array(0), patch_shape: [0, 0, 0], patch_labels: [], sources: new Uint8Array(0), source_shape: [0, 0, 0], source_boxes: [] });
      return;
    }
    const { k, top } = this.result;
    const [patchStack, sourceStack] = tf.tidy(() => {
      const one = (t: tf.Tensor5D) => tf.reshape<tf.Rank.R4>(tf.slice(t, [row], [1]), [k, t.shape[2], t.shape[3], t.shape[4]]);
      return [one(this.result.patches), one(this.result.images!)];
    });
    try {
      const labels = top[row].map((p) => `#${p.rank + 1}: ${fmt(p.value)} (image ${p.image}, at ${p.y}, ${p.x})`);
      const patches = await stackTiles(patchStack, { normalize: this.normalize, labels });
      const sources = await stackTiles(sourceStack, { normalize: this.normalize, labels });
      if (token !== this.token || this.closed) return;
      const [, h, w] = sources.shape;
      this.set({
        patches: patches.images,
        patch_shape: patches.shape,
        patch_labels: patches.labels,
        sources: sources.images,
        source_shape: sources.shape,
        source_boxes: top[row].map((p) => [Math.max(0, p.box[0]), Math.max(0, p.box[1]), Math.min(h, p.box[2]), Math.min(w, p.box[3])]),
      });
    } finally {
      tf.dispose([patchStack, sourceStack]);
    }
  }

  /** Validates the selection (one of the shown units, or null). */
  protected coerce(s: ConvlensState<UnitExplorerState>): ConvlensState<UnitExplorerState> {
    if (s.selected !== null && !s.unit_indices.includes(s.selected)) {
      throw new Error(`selected must be null or one of the shown units (${s.unit_indices.join(', ')}); got ${JSON.stringify(s.selected)}`);
    }
    checkNumber('tile_size', s.tile_size, 8, 512);
    return s;
  }

  protected acceptsNull(key: string): boolean {
    return key === 'selected' || super.acceptsNull(key);
  }

  protected reprKeys(): string[] {
    return ['title', 'unit_shape', 'selected'];
  }
}

/**
 * Search `data` for each unit's top-k patches in `layer` ({@link maxActivatingPatches}, with
 * progress and Stop) and show them: click a unit to see its top-k patches and source images, field
 * outlined; with `probe`, hover its activation maps to outline a position's receptive field.
 *
 * @example
 * const ex = await lens.unitExplorer(model, 'conv2', test.images, { units: [0, 1, 2, 3], probe: test.images.slice([0], [1]) });
 * ex
 */
export async function unitExplorer(model: tf.LayersModel, layer: string, data: BatchSource, opts: UnitExplorerOptions = {}, options: WidgetOptions = {}): Promise<UnitExplorer> {
  // Options by their own names (the view checks the same values again as state keys, for the page).
  if (opts.tileSize !== undefined) checkNumber('tileSize', opts.tileSize, 8, 512);
  const normalize = opts.normalize ?? 'all';
  const result = await maxActivatingPatches(model, layer, data, { ...opts, keepImages: true });
  try {
    const first = tf.tidy(() => tf.squeeze<tf.Tensor4D>(tf.slice(result.patches, [0, 0], [-1, 1]), [1]));
    let units: Awaited<ReturnType<typeof stackTiles>>;
    try {
      units = await stackTiles(first, { normalize, labels: result.units.map((u, i) => `unit ${u}: top ${fmt(result.top[i][0].value)}`) });
    } finally {
      first.dispose();
    }
    const selected = opts.selected ?? result.units[0];
    if (!result.units.includes(selected)) throw new Error(`selected must be one of the units searched (${result.units.join(', ')}); got ${JSON.stringify(selected)}`);
    const probe: Partial<UnitExplorerState> = {};
    if (opts.probe !== undefined) {
      const maps = activationMaps(model, layer, opts.probe, { units: result.units });
      try {
        if (maps.maps.shape[0] !== 1) throw new Error(`probe must be one image [H, W, C] or [1, H, W, C]; got a batch of ${maps.maps.shape[0]}`);
        const mapStack = tf.tidy(() => tf.expandDims<tf.Tensor4D>(tf.transpose(tf.squeeze(maps.maps, [0]), [2, 0, 1]), 3));
        const image = imageBatch(model, opts.probe);
        try {
          const mapTiles = await stackTiles(mapStack, { normalize: 'each' });
          const probeTiles = await stackTiles(image, { normalize });
          Object.assign(probe, { maps: mapTiles.images, map_shape: mapTiles.shape, probe: probeTiles.images, probe_shape: probeTiles.shape });
        } finally {
          tf.dispose([mapStack, image]);
        }
      } finally {
        maps.dispose();
      }
    }
    const rf = result.receptiveField;
    const [y0, x0, y1, x1] = result.top[0][0].box;
    const [uy, ux] = [result.top[0][0].y, result.top[0][0].x];
    const stride = rf.global ? [0, 0] : rf.stride;
    const explorer = new UnitExplorer(result, normalize, {
      unit_images: units.images,
      unit_shape: units.shape,
      unit_labels: units.labels,
      unit_indices: result.units,
      selected,
      ...probe,
      field_origin: [y0 - uy * stride[0], x0 - ux * stride[1]],
      field_stride: stride,
      field_size: [y1 - y0, x1 - x0],
      tile_size: opts.tileSize ?? 48,
      title: opts.title ?? `${layer}: top ${result.k} patches of ${result.units.length} units over ${result.seen} images`,
      caption: `receptive field ${rf.size.join('x')} px, stride ${rf.stride.join('x')}; click a unit for its top patches, hover an activation map for a position's field`,
    }, options);
    await explorer.ready();
    return explorer;
  } catch (e) {
    result.dispose();
    throw e;
  }
}
