/**
 * Eigen-decomposition of a small symmetric matrix in float64 (cyclic Jacobi rotations): the
 * Rayleigh-Ritz step of {@link pca}'s subspace iteration, on matrices of a few dozen rows.
 */

/** Eigenvalues (descending) and unit eigenvectors (column i of `vectors`, row-major `m x m`). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** The eigen-decomposition of the symmetric `m x m` row-major matrix `a` (not modified). */
export function symmetricEigen(a: ArrayLike<number>, m: number): SymmetricEigen {
  const s = Float64Array.from(a);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) total += s[i * m + j] ** 2;
        else off += s[i * m + j] ** 2;
      }
    }
    if (off <= 1e-30 * (total + off) || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q];
        if (apq === 0) continue;
        // Past the first sweeps, an entry below the diagonals' last bits is zero (Numerical
        // Recipes' rule): without it the 1e-30 test above kept sweeping on rounding noise.
        const g = 100 * Math.abs(apq);
        const app = Math.abs(s[p * m + p]);
        const aqq = Math.abs(s[q * m + q]);
        if (sweep > 3 && app + g === app && aqq + g === aqq) {
          s[p * m + q] = 0;
          s[q * m + p] = 0;
          continue;
        }
        const theta = (s[q * m + q] - s[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const skp = s[k * m + p];
          const skq = s[k * m + q];
          s[k * m + p] = c * skp - sn * skq;
          s[k * m + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[p * m + k];
          const sqk = s[q * m + k];
          s[p * m + k] = c * spk - sn * sqk;
          s[q * m + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p];
          const vkq = v[k * m + q];
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => s[y * m + y] - s[x * m + x]);
  const values = Float64Array.from(order, (i) => s[i * m + i]);
  const vectors = new Float64Array(m * m);
  for (let r = 0; r < m; r++) order.forEach((col, c) => (vectors[r * m + c] = v[r * m + col]));
  return { values, vectors };
}
