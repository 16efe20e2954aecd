/** Order statistics of timing samples. */

/** The q-quantile (0..1) of sorted values, linearly interpolated. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, quartiles and range of `times`. */
export interface Summary {
  runs: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export function summarize(times: number[]): Summary {
  const s = [...times].sort((a, b) => a - b);
  return { runs: s.length, median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0], max: s[s.length - 1] };
}
