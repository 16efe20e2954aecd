/**
 * Barnes-Hut approximation of t-SNE's repulsive forces (van der Maaten 2014) over typed arrays:
 * a quadtree of the 2-D positions, each cell summarised by its point count and centre of mass;
 * a cell whose width seen from a point is below `theta` acts as one point. O(N log N) per
 * iteration instead of O(N²): the CPU path for large N. Same contract as `exactRepulsion`;
 * {@link barnesHutGradient} adds the attraction over P's sparse rows for the whole gradient.
 */
import type { Affinities } from './affinities';

/** Deepest level of the tree; coincident points below it share a leaf. */
const MAX_DEPTH = 48;

/** A quadtree of 2-D points in flat typed arrays. */
class QuadTree {
  cx: Float64Array;
  cy: Float64Array;
  half: Float64Array;
  count: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  /** First of four consecutive children, or -1 for a leaf. */
  child: Int32Array;
  /** The one point of a leaf (-1 when empty). */
  point: Int32Array;
  depth: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.cx = new Float64Array(capacity);
    this.cy = new Float64Array(capacity);
    this.half = new Float64Array(capacity);
    this.count = new Float64Array(capacity);
    this.sx = new Float64Array(capacity);
    this.sy = new Float64Array(capacity);
    this.child = new Int32Array(capacity);
    this.point = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
  }

  private grow(): void {
    const cap = this.cx.length * 2;
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.cx = g64(this.cx);
    this.cy = g64(this.cy);
    this.half = g64(this.half);
    this.count = g64(this.count);
    this.sx = g64(this.sx);
    this.sy = g64(this.sy);
    this.child = g32(this.child);
    this.point = g32(this.point);
    this.depth = g32(this.depth);
  }

  addNode(cx: number, cy: number, half: number, depth: number): number {
    if (this.size === this.cx.length) this.grow();
    const k = this.size++;
    this.cx[k] = cx;
    this.cy[k] = cy;
    this.half[k] = half;
    this.count[k] = 0;
    this.sx[k] = 0;
    this.sy[k] = 0;
    this.child[k] = -1;
    this.point[k] = -1;
    this.depth[k] = depth;
    return k;
  }

  private quadrant(node: number, x: number, y: number): number {
    return this.child[node] + (x >= this.cx[node] ? 1 : 0) + (y >= this.cy[node] ? 2 : 0);
  }

  private subdivide(node: number): void {
    const h = this.half[node] / 2;
    const d = this.depth[node] + 1;
    const first = this.addNode(this.cx[node] - h, this.cy[node] - h, h, d);
    this.addNode(this.cx[node] + h, this.cy[node] - h, h, d);
    this.addNode(this.cx[node] - h, this.cy[node] + h, h, d);
    this.addNode(this.cx[node] + h, this.cy[node] + h, h, d);
    this.child[node] = first;
  }

  insert(i: number, x: number, y: number, pos: ArrayLike<number>): void {
    let node = 0;
    for (;;) {
      this.count[node]++;
      this.sx[node] += x;
      this.sy[node] += y;
      if (this.child[node] === -1) {
        if (this.count[node] === 1) {
          this.point[node] = i;
          return;
        }
        if (this.depth[node] >= MAX_DEPTH) return; // coincident points share this leaf
        // Split: the leaf's one point moves down a level.
        const old = this.point[node];
        this.point[node] = -1;
        this.subdivide(node);
        const ox = pos[2 * old];
        const oy = pos[2 * old + 1];
        const c = this.quadrant(node, ox, oy);
        this.count[c] = 1;
        this.sx[c] = ox;
        this.sy[c] = oy;
        this.point[c] = old;
      }
      node = this.quadrant(node, x, y);
    }
  }
}

/**
 * Approximate repulsion for positions `pos` (`[x0, y0, x1, y1, ...]`, n points): `forces[i]` ≈
 * Σ_j w_ij² (y_i − y_j) and Z ≈ Σ_{i≠j} w_ij with w_ij = (1 + ‖y_i − y_j‖²)⁻¹; `theta` = 0 is exact.
 */
export function barnesHutRepulsion(pos: ArrayLike<number>, n: number, theta = 0.5): { forces: Float64Array; z: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = pos[2 * i], y = pos[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const half = Math.max(maxX - minX, maxY - minY, 1e-6) / 2 * (1 + 1e-6) + 1e-9;
  const tree = new QuadTree(4 * n + 16);
  tree.addNode((minX + maxX) / 2, (minY + maxY) / 2, half, 0);
  for (let i = 0; i < n; i++) tree.insert(i, pos[2 * i], pos[2 * i + 1], pos);
  const forces = new Float64Array(2 * n);
  const theta2 = theta * theta;
  const stack = new Int32Array(4 * MAX_DEPTH + 8);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = pos[2 * i], yi = pos[2 * i + 1];
    let fx = 0, fy = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      let count = tree.count[node];
      if (count === 0) continue;
      const dx = xi - tree.sx[node] / count;
      const dy = yi - tree.sy[node] / count;
      const d2 = dx * dx + dy * dy;
      const leaf = tree.child[node] === -1;
      const width = 2 * tree.half[node];
      if (leaf || width * width < theta2 * d2) {
        if (leaf && (tree.point[node] === i || (d2 === 0 && count > 0))) count -= 1; // leave the point itself out
        if (count <= 0) continue;
        const w = 1 / (1 + d2);
        z += count * w;
        fx += count * w * w * dx;
        fy += count * w * w * dy;
      } else {
        const c = tree.child[node];
        stack[top++] = c;
        stack[top++] = c + 1;
        stack[top++] = c + 2;
        stack[top++] = c + 3;
      }
    }
    forces[2 * i] = fx;
    forces[2 * i + 1] = fy;
  }
  return { forces, z };
}

/**
 * The whole t-SNE gradient over typed arrays, `[gx0, gy0, ...]`: attraction over P's sparse rows
 * (× `exaggeration`) and Barnes-Hut repulsion, 4 (F_attr − F_rep / Z); and KL(P ‖ Q) of the
 * unexaggerated P (`entropyTerm` = Σ p log p).
 */
export function barnesHutGradient(pos: ArrayLike<number>, p: Affinities, exaggeration: number, theta: number, entropyTerm: number): { gradient: Float64Array; kl: number } {
  const n = p.n;
  const { forces, z } = barnesHutRepulsion(pos, n, theta);
  const gradient = new Float64Array(2 * n);
  let logTerm = 0;
  for (let i = 0; i < n; i++) {
    const xi = pos[2 * i], yi = pos[2 * i + 1];
    let ax = 0, ay = 0;
    for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
      const j = p.columns[e];
      const dx = xi - pos[2 * j], dy = yi - pos[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      const pw = p.values[e] * w;
      ax += pw * dx;
      ay += pw * dy;
      logTerm += p.values[e] * Math.log(w);
    }
    gradient[2 * i] = 4 * (exaggeration * ax - forces[2 * i] / z);
    gradient[2 * i + 1] = 4 * (exaggeration * ay - forces[2 * i + 1] / z);
  }
  return { gradient, kl: entropyTerm - logTerm + Math.log(z) };
}
