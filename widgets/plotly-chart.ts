/**
 * A small wrapper around the partial Plotly build for convlens views (t-SNE scatter, dissection
 * histograms): lazy loading, theme-aware layout (transparent background, JupyterLab fonts and
 * colours, redrawn when the theme changes), resize, click/hover callbacks and clean disposal.
 */
import type { PlotlyApi, PlotlyObject } from './plotly-bundle';
import { onThemeChange, themeColors } from './theme';

export type { PlotlyObject };

/** A chart element after Plotly drew into it: Plotly adds an event emitter's `on`. */
type PlotlyElement = HTMLElement & { on(event: string, cb: (e: { points: PlotPoint[] }) => void): void };

/** The traces the convlens Plotly build contains. */
export const PLOTLY_TRACES = ['scattergl', 'bar', 'heatmap'] as const;

let plotlyPromise: Promise<PlotlyApi> | undefined;

/** Load the partial Plotly build once (a separate chunk in JupyterLab). */
export function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import(/* webpackChunkName: "plotly" */ './plotly-bundle').then((m) => m.default);
  return plotlyPromise;
}

/** Layout defaults from the current theme, merged under the caller's layout. */
export function themedLayout(el: HTMLElement, layout: PlotlyObject = {}): PlotlyObject {
  const t = themeColors(el);
  const axis = { gridcolor: t.border, zerolinecolor: t.border, linecolor: t.border, color: t.foreground };
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: t.font, color: t.foreground, size: 12 },
    margin: { l: 50, r: 20, t: 30, b: 40 },
    hoverlabel: { bgcolor: t.background, bordercolor: t.border, font: { color: t.foreground } },
    ...layout,
    xaxis: { ...axis, ...(layout.xaxis ?? {}) },
    yaxis: { ...axis, ...(layout.yaxis ?? {}) },
  };
}

/** Point data Plotly passes to click and hover handlers. */
export interface PlotPoint {
  curveNumber: number;
  pointNumber: number;
  pointIndex?: number;
  x?: unknown;
  y?: unknown;
  customdata?: unknown;
}

/** A live chart inside `el`; create it with {@link createChart}. */
export class PlotlyChart {
  private traces: PlotlyObject[] = [];
  private layout: PlotlyObject = {};
  private stopTheme: () => void;

  private constructor(
    private plotly: PlotlyApi,
    readonly el: HTMLElement,
    private config: PlotlyObject,
  ) {
    this.stopTheme = onThemeChange(() => void this.redraw());
  }

  /** Create a chart in `el` with traces, layout and Plotly config. */
  static async create(el: HTMLElement, traces: PlotlyObject[], layout: PlotlyObject = {}, config: PlotlyObject = {}) {
    const chart = new PlotlyChart(await loadPlotly(), el, { displaylogo: false, responsive: true, ...config });
    await chart.update(traces, layout);
    return chart;
  }

  /** Replace traces and layout (Plotly.react: only what changed is redrawn). */
  async update(traces: PlotlyObject[], layout: PlotlyObject = this.layout): Promise<void> {
    this.traces = traces;
    this.layout = layout;
    await this.redraw();
  }

  /** Call `cb` with the clicked points. */
  onClick(cb: (points: PlotPoint[]) => void): void {
    (this.el as PlotlyElement).on('plotly_click', (e) => cb(e.points));
  }

  /** Call `cb` with the hovered points (empty array when the pointer leaves). */
  onHover(cb: (points: PlotPoint[]) => void): void {
    (this.el as PlotlyElement).on('plotly_hover', (e) => cb(e.points));
    (this.el as PlotlyElement).on('plotly_unhover', () => cb([]));
  }

  /** Call `cb` with the points of a lasso or box selection (an empty array when it is cleared). */
  onSelect(cb: (points: PlotPoint[]) => void): void {
    const el = this.el as HTMLElement & { on(event: string, cb: (e: { points?: PlotPoint[] } | undefined) => void): void };
    el.on('plotly_selected', (e) => cb(e?.points ?? []));
    el.on('plotly_deselect', () => cb([]));
  }

  /** Fit the chart to its element after the view was resized. */
  resize(): void {
    if (this.el.isConnected) this.plotly.Plots.resize(this.el);
  }

  /** Free the chart's WebGL context and handlers. */
  dispose(): void {
    this.stopTheme();
    this.plotly.purge(this.el);
  }

  private async redraw(): Promise<void> {
    await this.plotly.react(this.el, this.traces, themedLayout(this.el, this.layout), this.config);
  }
}

/** Shorthand for {@link PlotlyChart.create}. */
export function createChart(
  el: HTMLElement,
  traces: PlotlyObject[],
  layout?: PlotlyObject,
  config?: PlotlyObject,
): Promise<PlotlyChart> {
  return PlotlyChart.create(el, traces, layout, config);
}
