/**
 * The EpochSlider widget, kernel side (state: state/epoch-slider.ts, view:
 * widgets/epoch-slider.ts): a conv layer's filters, and a probe's activation maps, at every
 * snapshot recorded by `units.trainingSnapshots`, with a slider and a play button, and the
 * snapshots' diagnostics plotted (dead units, high-frequency and aliased energy, weight norm,
 * loss, accuracy). All frames are sent once, so scrubbing and playing happen in the page.
 */
import { tf } from '../tf';
import { checkInteger } from '../core/checks';
import type { WidgetOptions } from '../ipywidgets/widget';
import type { DisplayScope } from '../render/normalize';
import type { TrainingSnapshots } from '../techniques/units/training-snapshots';
import { ConvlensWidget, type ConvlensState } from './convlens-widget';
import { kernelFilters } from './filter-tiles';
import { stackTiles } from './tiles';
import { EPOCH_SLIDER, type EpochSliderState } from './state/epoch-slider';

export type { EpochSliderState };

/** Options of {@link epochSlider}. */
export interface EpochSliderOptions {
  /** How filters are stretched: each tile on its own (`'each'`, default), or one range over every snapshot (`'all'`: growth in magnitude shows). */
  normalize?: DisplayScope;
  /** The snapshot shown first (default the last). */
  frame?: number;
  /** Milliseconds per frame when playing (default 500). */
  intervalMs?: number;
  /** High-frequency cutoff in cycles/pixel for the diagnostics (default 0.25). */
  cutoff?: number;
  tileSize?: number;
  title?: string;
}

/** Scrub through training snapshots; `frame` is the snapshot shown. */
export class EpochSlider extends ConvlensWidget<EpochSliderState> {
  /** The snapshot shown (0-based). */
  get frame(): number {
    return this.get('frame');
  }

  set frame(i: number) {
    this.set({ frame: i });
  }

  /** Validates the frame and the play speed. */
  protected coerce(s: ConvlensState<EpochSliderState>): ConvlensState<EpochSliderState> {
    checkInteger('frame', s.frame, 0, Math.max(0, s.labels.length - 1));
    checkInteger('interval_ms', s.interval_ms, 16, 60_000);
    return s;
  }

  protected reprKeys(): string[] {
    return ['title', 'labels', 'frame'];
  }
}

/**
 * Show `layer`'s filters at every snapshot of `snapshots` (and the probe's activation maps when
 * the snapshots have a probe) with a slider, a play button and the diagnostics plotted.
 *
 * @example
 * const snaps = lens.units.trainingSnapshots(model, { layers: ['conv1'], probe });
 * await lens.train(model, data, snaps.trainOptions({ epochs: 5 }));
 * await lens.epochSlider(snaps, 'conv1')
 */
export async function epochSlider(snapshots: TrainingSnapshots, layer: string, opts: EpochSliderOptions = {}, options: WidgetOptions = {}): Promise<EpochSlider> {
  if (!snapshots.layers.includes(layer)) throw new Error(`epochSlider: layer ${JSON.stringify(layer)} was not recorded; recorded layers: ${snapshots.layers.join(', ')}`);
  const snaps = snapshots.snapshots;
  if (snaps.length === 0) throw new Error('epochSlider: no snapshots yet; train with snapshots.trainOptions(...) first');
  // Options by their own names (the view checks frame and interval_ms again as state keys, for the page).
  if (opts.intervalMs !== undefined) checkInteger('intervalMs', opts.intervalMs, 16, 60_000);
  if (opts.frame !== undefined) checkInteger('frame', opts.frame, 0, snaps.length - 1);
  if (opts.tileSize !== undefined) checkInteger('tileSize', opts.tileSize, 8, 512);
  const s = snaps.length;
  const normalize = opts.normalize ?? 'each';
  const filterStack = tf.tidy(() => tf.concat(snaps.map((snap) => kernelFilters('Conv2D', snap.kernels[layer])), 0));
  const n = filterStack.shape[0] / s;
  let filters: Awaited<ReturnType<typeof stackTiles>>;
  try {
    filters = await stackTiles(filterStack, { normalize });
  } finally {
    filterStack.dispose();
  }
  let maps: { images: Uint8Array; shape: number[] } = { images: new Uint8Array(0), shape: [0, 0, 0] };
  let m = 0;
  if (snaps[0].probeMaps[layer]) {
    const mapStack = tf.tidy(() => tf.concat(snaps.map((snap) => tf.expandDims<tf.Tensor4D>(tf.transpose(snap.probeMaps[layer], [2, 0, 1]), 3)), 0));
    m = mapStack.shape[0] / s;
    try {
      maps = await stackTiles(mapStack, { normalize: 'each' });
    } finally {
      mapStack.dispose();
    }
  }
  const table = await snapshots.diagnostics({ cutoff: opts.cutoff });
  const cutoff = opts.cutoff ?? 0.25;
  const stride = table[0].layers[layer].stride;
  const series: Array<[string, Array<number | null>]> = [
    ['dead units (fraction of the probe set)', table.map((d) => d.layers[layer].deadFraction)],
    [`high-frequency energy (> ${cutoff} cycles/px)`, table.map((d) => d.layers[layer].highFrequencyEnergy)],
    [`aliased energy (> 1/(2 × stride ${stride}))`, table.map((d) => d.layers[layer].aliasedEnergy)],
    ['mean filter norm', table.map((d) => d.layers[layer].weightNorm)],
    ['loss', table.map((d) => d.loss ?? null)],
    ['accuracy', table.map((d) => d.accuracy ?? null)],
    ['validation accuracy', table.map((d) => d.valAccuracy ?? null)],
  ];
  const shown = series.filter(([, v]) => v.some((x) => x !== null));
  const frame = opts.frame ?? s - 1;
  checkInteger('frame', frame, 0, s - 1);
  return new EpochSlider(EPOCH_SLIDER, {
    filters: filters.images,
    filter_shape: filters.shape,
    filter_count: n,
    maps: maps.images,
    map_shape: maps.shape,
    map_count: m,
    labels: snaps.map((snap) => snap.label),
    frame,
    interval_ms: opts.intervalMs ?? 500,
    series_names: shown.map(([name]) => name),
    series: shown.map(([, v]) => v),
    tile_size: opts.tileSize ?? 40,
    title: opts.title ?? `${layer} over ${s} snapshots`,
    caption: `${n} filters ${filters.shape[1]}×${filters.shape[2]}; stride ${stride}`,
  }, options);
}
