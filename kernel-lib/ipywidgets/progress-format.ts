/** Text of progress reports: durations, rates, ETA and a tqdm-style text bar. */

/** A snapshot of a progress run. */
export interface ProgressSnapshot {
  description: string;
  count: number;
  /** Total steps, or undefined when unknown. */
  total: number | undefined;
  elapsedMs: number;
  /** Steps per second (average since the start), 0 before the first step. */
  rate: number;
  /** Estimated milliseconds left, or undefined when unknown. */
  etaMs: number | undefined;
  unit: string;
}

/** `75` -> `"01:15"`, `3725` -> `"1:02:05"` (seconds). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

/** `31.25` -> `"31.2 it/s"`; slow rates as seconds per step, `"4.00 s/it"`. */
export function formatRate(rate: number, unit = 'it'): string {
  if (!(rate > 0)) return `? ${unit}/s`;
  if (rate < 1) return `${(1 / rate).toFixed(2)} s/${unit}`;
  return `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${unit}/s`;
}

/**
 * The status part, `"45/100 [00:03<00:04, 12.5 it/s]"` (tqdm style), or with `words`
 * `"45/100 · 00:03 elapsed · 00:04 left · 12.5 it/s"` (the widget label: no `<`, which some HTML
 * exporters mangle in saved widget state).
 */
export function formatStatus(p: ProgressSnapshot, words = false): string {
  const counts = p.total === undefined ? `${p.count} ${p.unit}` : `${p.count}/${p.total}`;
  const rate = formatRate(p.rate, p.unit);
  if (words) {
    const left = p.etaMs === undefined ? '' : ` · ${formatDuration(p.etaMs)} left`;
    return `${counts} · ${formatDuration(p.elapsedMs)} elapsed${left} · ${rate}`;
  }
  const eta = p.etaMs === undefined ? '' : `<${formatDuration(p.etaMs)}`;
  return `${counts} [${formatDuration(p.elapsedMs)}${eta}, ${rate}]`;
}

/** A whole text bar: `"train:  45%|█████▍      | 45/100 [00:03<00:04, 12.5 it/s]"`. */
export function formatTextBar(p: ProgressSnapshot, width = 20): string {
  const prefix = p.description ? `${p.description}: ` : '';
  if (p.total === undefined || p.total <= 0) return `${prefix}${formatStatus(p)}`;
  const frac = Math.min(1, p.count / p.total);
  const eighths = Math.round(frac * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8 ? ' ▏▎▍▌▋▊▉'[eighths % 8] : '';
  const bar = ('█'.repeat(full) + partial).padEnd(width, ' ');
  return `${prefix}${String(Math.floor(frac * 100)).padStart(3)}%|${bar}| ${formatStatus(p)}`;
}
