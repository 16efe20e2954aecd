/**
 * What a benchmark workload is: named cases, each set up once per contender and then timed.
 */
import type { tf as TF } from '../kernel-lib/tf';

/**
 * The same work in PyTorch: `name` is an entry of `PEERS` in bench/peers/torch_workloads.py, called
 * with `args` (so one place, the TypeScript case, holds the sizes).
 */
export interface PeerCase {
  name: string;
  args: Record<string, number | string | boolean>;
}

/** One timed case of a workload (e.g. "224 px"). */
export interface BenchCase {
  /** Short label shown in the results table. */
  label: string;
  /**
   * Build inputs on the active backend and return the function to time. `run` returns the tensors
   * whose values must be ready before the clock stops (they are read back and disposed by the runner).
   */
  setup(tf: typeof TF): { run: () => TF.Tensor | TF.Tensor[] | Promise<TF.Tensor | TF.Tensor[] | void> | void; dispose: () => void };
  /** Work per run, for a throughput column (e.g. FLOPs). */
  flops?: number;
  /** The PyTorch version of this case, timed side by side with `--peers`. */
  peer?: PeerCase;
}

/** A named benchmark workload: `npm run bench -- <name>`. */
export interface Workload {
  name: string;
  description: string;
  cases: BenchCase[];
}
