/**
 * The max-flow / min-cut module against brute force: on small random graphs (random capacities,
 * zeros and ties included) the maximum flow equals the minimum over all 2^n source/sink splits of
 * the cut capacity, and the split the module returns has exactly that capacity.
 */
import { FlowNetwork } from '../../../kernel-lib/techniques/attribution/min-cut';
import { mulberry32 } from '../../../kernel-lib/data/random';

interface Graph {
  n: number;
  edges: [number, number, number][];
  terminals: [number, number][];
}

function randomGraph(rand: () => number, n: number, integer: boolean): Graph {
  const capacity = () => (rand() < 0.25 ? 0 : integer ? Math.floor(rand() * 5) : rand() * 10);
  const edges: [number, number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) if (u !== v && rand() < 0.5) edges.push([u, v, capacity()]);
  }
  const terminals = Array.from({ length: n }, (): [number, number] => [capacity(), capacity()]);
  return { n, edges, terminals };
}

/** Capacity of the cut where `side[u]` = 1 puts u with the source. */
function cutCapacity(g: Graph, side: (u: number) => boolean): number {
  let c = 0;
  for (const [u, v, cap] of g.edges) if (side(u) && !side(v)) c += cap;
  g.terminals.forEach(([s, t], u) => (c += side(u) ? t : s));
  return c;
}

function bruteForceMinCut(g: Graph): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << g.n; mask++) best = Math.min(best, cutCapacity(g, (u) => ((mask >> u) & 1) === 1));
  return best;
}

function solve(g: Graph, edgeHint?: number): { flow: number; side: Uint8Array } {
  const net = new FlowNetwork(g.n, edgeHint);
  // Add some edges as (u, v, c, reverse c) pairs to exercise both directions of one call.
  for (const [u, v, cap] of g.edges) net.addEdge(u, v, cap);
  g.terminals.forEach(([s, t], u) => net.addTerminal(u, s, t));
  const flow = net.maxFlow();
  return { flow, side: net.sourceSide() };
}

describe('FlowNetwork (Dinic max-flow / min-cut)', () => {
  it('max-flow equals the brute-force min-cut on 300 random graphs of 1-9 nodes, and the returned split achieves it', () => {
    const rand = mulberry32(11);
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(rand, 1 + (trial % 9), trial % 2 === 0);
      const best = bruteForceMinCut(g);
      const { flow, side } = solve(g, trial % 3 === 0 ? 1 : undefined); // edgeHint 1: the storage must grow
      expect(flow).toBeCloseTo(best, 9);
      expect(cutCapacity(g, (u) => side[u] === 1)).toBeCloseTo(best, 9);
    }
  });

  it('two-way edges in one call equal two one-way edges', () => {
    const rand = mulberry32(5);
    for (let trial = 0; trial < 50; trial++) {
      const g = randomGraph(rand, 6, false);
      const net = new FlowNetwork(g.n);
      const pairs = new Map<string, [number, number, number]>();
      for (const e of g.edges) pairs.set(`${e[0]},${e[1]}`, e);
      for (const [u, v, cap] of g.edges) {
        if (u < v) net.addEdge(u, v, cap, pairs.get(`${v},${u}`)?.[2] ?? 0);
        else if (!pairs.has(`${v},${u}`)) net.addEdge(u, v, cap);
      }
      g.terminals.forEach(([s, t], u) => net.addTerminal(u, s, t));
      expect(net.maxFlow()).toBeCloseTo(bruteForceMinCut(g), 9);
    }
  });

  it('a known network: the classic 6-node example has max flow 23', () => {
    // CLRS figure 26.1: s=source, t=sink, v1..v4 = nodes 0..3.
    const net = new FlowNetwork(4);
    net.addTerminal(0, 16, 0);
    net.addTerminal(1, 13, 0);
    net.addEdge(0, 2, 12);
    net.addEdge(1, 0, 4);
    net.addEdge(2, 1, 9);
    net.addEdge(1, 3, 14);
    net.addEdge(3, 2, 7);
    net.addTerminal(2, 0, 20);
    net.addTerminal(3, 0, 4);
    expect(net.maxFlow()).toBe(23);
    expect(Array.from(net.sourceSide())).toEqual([1, 1, 0, 1]);
  });

  it('rejects bad nodes, capacities and call orders with errors naming the value', () => {
    const net = new FlowNetwork(3);
    expect(() => net.addEdge(0, 3, 1)).toThrow('v must be a node in [0, 2]; got 3');
    expect(() => net.addEdge(-1, 1, 1)).toThrow('u must be a node in [0, 2]; got -1');
    expect(() => net.addEdge(0, 1, -2)).toThrow('cap must be a finite capacity >= 0; got -2');
    expect(() => net.addTerminal(0, NaN, 1)).toThrow('fromSource must be a finite capacity >= 0; got NaN');
    expect(() => net.addTerminal(0, 1, Infinity)).toThrow('toSink must be a finite capacity >= 0; got Infinity');
    expect(() => net.sourceSide()).toThrow('call maxFlow() before sourceSide()');
    expect(() => new FlowNetwork(1.5)).toThrow('nodes must be an integer >= 0; got 1.5');
    net.maxFlow();
    expect(() => net.maxFlow()).toThrow('already called');
    expect(() => net.addEdge(0, 1, 1)).toThrow('cannot be added after maxFlow()');
  });
});
