/**
 * Minimum s-t cut by maximum flow over typed arrays (Dinic's algorithm: breadth-first levels, then
 * blocking flows along them with current-arc pointers), the graph step of GrabCut. Like the
 * Barnes-Hut tree of t-SNE this is a graph algorithm in plain typed-array code, not tensor ops.
 * Nodes are `0..nodes-1`; the two terminals (source, sink) are separate: connect a node to them
 * with {@link FlowNetwork.addTerminal}. After {@link FlowNetwork.maxFlow}, {@link FlowNetwork.sourceSide}
 * tells which nodes the minimum cut leaves with the source.
 */

/** A directed flow network with capacities, source and sink, solved by {@link FlowNetwork.maxFlow}. */
export class FlowNetwork {
  /** Nodes besides the two terminals. */
  readonly nodes: number;
  private readonly source: number;
  private readonly sink: number;
  private readonly head: Int32Array;
  private next: Int32Array;
  private to: Int32Array;
  private cap: Float64Array;
  private arcs = 0;
  /** Flow already sent straight from the source to the sink through one node (see addTerminal). */
  private direct = 0;
  private solved = false;

  /**
   * @param nodes number of nodes (terminals excluded)
   * @param edgeHint expected number of {@link addEdge} calls (storage grows past it)
   */
  constructor(nodes: number, edgeHint = 4 * nodes) {
    if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`nodes must be an integer >= 0; got ${nodes}`);
    this.nodes = nodes;
    this.source = nodes;
    this.sink = nodes + 1;
    this.head = new Int32Array(nodes + 2).fill(-1);
    const arcs = 2 * (Math.max(1, edgeHint) + 2 * nodes);
    this.next = new Int32Array(arcs);
    this.to = new Int32Array(arcs);
    this.cap = new Float64Array(arcs);
  }

  private grow(): void {
    const n = this.next.length * 2;
    const grown = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.next = grown(this.next, (k) => new Int32Array(k));
    this.to = grown(this.to, (k) => new Int32Array(k));
    this.cap = grown(this.cap, (k) => new Float64Array(k));
  }

  private checkNode(name: string, u: number): void {
    if (!Number.isInteger(u) || u < 0 || u >= this.nodes) throw new Error(`${name} must be a node in [0, ${this.nodes - 1}]; got ${u}`);
  }

  private static checkCapacity(name: string, c: number): void {
    if (!(c >= 0) || !Number.isFinite(c)) throw new Error(`${name} must be a finite capacity >= 0; got ${c}`);
  }

  /** Arc u -> v with capacity `cap` and its reverse v -> u with capacity `reverseCap` (default 0). */
  addEdge(u: number, v: number, cap: number, reverseCap = 0): void {
    this.checkNode('u', u);
    this.checkNode('v', v);
    FlowNetwork.checkCapacity('cap', cap);
    FlowNetwork.checkCapacity('reverseCap', reverseCap);
    this.link(u, v, cap, reverseCap);
  }

  private link(u: number, v: number, cap: number, reverseCap: number): void {
    if (this.solved) throw new Error('FlowNetwork: edges cannot be added after maxFlow()');
    if (this.arcs + 2 > this.next.length) this.grow();
    const a = this.arcs;
    this.to[a] = v;
    this.cap[a] = cap;
    this.next[a] = this.head[u];
    this.head[u] = a;
    this.to[a + 1] = u;
    this.cap[a + 1] = reverseCap;
    this.next[a + 1] = this.head[v];
    this.head[v] = a + 1;
    this.arcs += 2;
  }

  /**
   * Terminal arcs of node `u`: source -> u with `fromSource`, u -> sink with `toSink`. The part
   * both share is sent at once (it crosses every cut), so only the difference becomes an arc.
   */
  addTerminal(u: number, fromSource: number, toSink: number): void {
    this.checkNode('u', u);
    FlowNetwork.checkCapacity('fromSource', fromSource);
    FlowNetwork.checkCapacity('toSink', toSink);
    const both = Math.min(fromSource, toSink);
    this.direct += both;
    if (fromSource > both) this.link(this.source, u, fromSource - both, 0);
    if (toSink > both) this.link(u, this.sink, toSink - both, 0);
  }

  /** Breadth-first levels from the source over arcs with residual capacity; true when the sink is reached. */
  private levels(level: Int32Array, queue: Int32Array): boolean {
    level.fill(-1);
    level[this.source] = 0;
    queue[0] = this.source;
    let [read, write] = [0, 1];
    while (read < write) {
      const u = queue[read++];
      for (let a = this.head[u]; a !== -1; a = this.next[a]) {
        const v = this.to[a];
        if (this.cap[a] > 0 && level[v] < 0) {
          level[v] = level[u] + 1;
          queue[write++] = v;
        }
      }
    }
    return level[this.sink] >= 0;
  }

  /** One blocking flow along the levels (iterative depth-first search with current-arc pointers). */
  private blockingFlow(level: Int32Array, current: Int32Array, path: Int32Array): number {
    const { to, cap, next } = this;
    let total = 0;
    let depth = 0;
    let u = this.source;
    for (;;) {
      if (u === this.sink) {
        let f = Infinity;
        for (let i = 0; i < depth; i++) f = Math.min(f, cap[path[i]]);
        let firstSaturated = -1;
        for (let i = 0; i < depth; i++) {
          const a = path[i];
          cap[a] -= f;
          cap[a ^ 1] += f;
          if (firstSaturated < 0 && cap[a] <= 0) firstSaturated = i;
        }
        total += f;
        depth = firstSaturated;
        u = to[path[depth] ^ 1];
        continue;
      }
      let a = current[u];
      while (a !== -1 && !(cap[a] > 0 && level[to[a]] === level[u] + 1)) a = next[a];
      current[u] = a;
      if (a !== -1) {
        path[depth++] = a;
        u = to[a];
      } else {
        if (u === this.source) return total;
        level[u] = -1; // a dead end for the rest of this phase
        const back = path[--depth];
        u = to[back ^ 1];
        current[u] = next[current[u]];
      }
    }
  }

  /** Send the maximum flow from source to sink; returns its value (also the minimum cut's capacity). */
  maxFlow(): number {
    if (this.solved) throw new Error('FlowNetwork: maxFlow() was already called');
    this.solved = true;
    const n = this.nodes + 2;
    const [level, queue, current, path] = [new Int32Array(n), new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    let flow = this.direct;
    while (this.levels(level, queue)) {
      current.set(this.head);
      flow += this.blockingFlow(level, current, path);
    }
    return flow;
  }

  /**
   * After {@link maxFlow}: 1 for the nodes on the source side of a minimum cut (reachable from the
   * source in the residual network), 0 for the others.
   */
  sourceSide(): Uint8Array {
    if (!this.solved) throw new Error('FlowNetwork: call maxFlow() before sourceSide()');
    const n = this.nodes + 2;
    const level = new Int32Array(n);
    this.levels(level, new Int32Array(n));
    const side = new Uint8Array(this.nodes);
    for (let u = 0; u < this.nodes; u++) side[u] = level[u] >= 0 ? 1 : 0;
    return side;
  }
}
