/**
 * Seeded pseudo-random numbers, so datasets, shuffles and initial weights are reproducible.
 */

/**
 * Mulberry32: a fast 32-bit seeded generator. Returns a function giving floats in [0, 1);
 * the same seed always gives the same sequence.
 */
export function mulberry32(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
