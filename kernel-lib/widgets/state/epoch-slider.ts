/**
 * EpochSlider state, declared once: a conv layer's filters (and a probe image's activation maps)
 * at every training snapshot, a slider and a play button to scrub through them, and per-snapshot
 * diagnostics plotted with the current snapshot marked. Kernel side
 * `kernel-lib/widgets/epoch-slider.ts`, view `widgets/epoch-slider.ts`.
 */
import { defineWidget } from './widget-spec';

/** EpochSlider state (`B`: how bytes arrive, see `FilterGridState`). */
export interface EpochSliderState<B = Uint8Array> {
  /** RGBA bytes `[S * n, h, w]`: the n filter tiles of each of the S snapshots, snapshot by snapshot. */
  filters: B;
  filter_shape: number[];
  /** Filters per snapshot (n). */
  filter_count: number;
  /** RGBA bytes `[S * m, mh, mw]`: the probe's m activation maps per snapshot (empty without a probe). */
  maps: B;
  map_shape: number[];
  map_count: number;
  /** Name of each snapshot ("epoch 3"). */
  labels: string[];
  /** The snapshot shown (0..S-1). */
  frame: number;
  /** Milliseconds per frame when playing. */
  interval_ms: number;
  /** Diagnostics per snapshot: `series[i][s]` is series `series_names[i]` at snapshot s (null where not measured). */
  series_names: string[];
  series: Array<Array<number | null>>;
  tile_size: number;
  title: string;
  caption: string;
}

/** The EpochSlider widget. */
export const EPOCH_SLIDER = defineWidget<EpochSliderState>(
  'EpochSlider',
  () => ({
    filters: new Uint8Array(0),
    filter_shape: [0, 0, 0],
    filter_count: 0,
    maps: new Uint8Array(0),
    map_shape: [0, 0, 0],
    map_count: 0,
    labels: [],
    frame: 0,
    interval_ms: 500,
    series_names: [],
    series: [],
    tile_size: 40,
    title: '',
    caption: '',
  }),
  ['filters', 'maps'],
);
