/** The command line of `npm run bench`. */
import * as os from 'os';
import { BACKEND_NAMES, BackendName } from '../kernel-lib/backend';
import { workloads } from './workloads';

export interface Args {
  /** Workload names (several, comma-separated, share the contenders and one table). */
  workloads: string[];
  /** Convlens backends to run (default: all; unavailable ones are skipped with the reason). */
  backends: BackendName[] | undefined;
  /** Time the PyTorch peers too. */
  peers: boolean;
  /** Thread counts for wasm and PyTorch (default 1 and the number of CPUs). */
  threads: number[];
  /** Timed rounds. */
  reps: number;
  /** Seconds each contender may spend on one case (it still gets one timed run). */
  budget: number;
  /** Image sizes of the `interaction` workload. */
  sizes: number[];
  /** Print a per-kernel profile of one run per case instead of timing rounds. */
  profile: boolean;
}

export const INTERACTION = 'interaction';
const OPTIONS = '--peers, --profile, --backends LIST, --threads LIST, --reps N, --budget SECONDS, --sizes LIST (interaction)';

function list(value: string | undefined, option: string): string[] {
  if (value === undefined || value.startsWith('--')) throw new Error(`${option} needs a comma-separated list`);
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

function whole(value: string | undefined, option: string, max = Infinity): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1 && n <= max)) throw new Error(`${option} takes whole numbers from 1${max < Infinity ? ` to ${max}` : ''}; got ${JSON.stringify(value)}`);
  return n;
}

/** Parse `argv` (after `npm run bench --`). @throws naming the bad option or value and the allowed ones. */
export function parseArgs(argv: string[]): Args {
  const cpus = Math.min(os.availableParallelism(), 8);
  const args: Args = { workloads: [], backends: undefined, peers: false, threads: [...new Set([1, cpus])], reps: 5, budget: 20, sizes: [28, 64, 224], profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backends') args.backends = list(argv[++i], a) as BackendName[];
    else if (a === '--threads') args.threads = list(argv[++i], a).map((t) => whole(t, a, 64));
    else if (a === '--sizes') args.sizes = list(argv[++i], a).map((s) => whole(s, a));
    else if (a === '--reps') args.reps = whole(argv[++i], a);
    else if (a === '--budget') args.budget = whole(argv[++i], a);
    else if (a === '--peers') args.peers = true;
    else if (a === '--profile') args.profile = true;
    else if (!a.startsWith('--') && args.workloads.length === 0) args.workloads = list(a, 'the workload');
    else throw new Error(`Unknown option ${a}. Options: ${OPTIONS}`);
  }
  const names = [...workloads.map((w) => w.name), INTERACTION];
  if (args.workloads.length === 0) throw new Error(`Name a workload (or several, comma-separated): ${names.join(', ')}`);
  for (const w of args.workloads) if (!names.includes(w)) throw new Error(`Unknown workload "${w}". Workloads: ${names.join(', ')}`);
  if (args.workloads.includes(INTERACTION) && args.workloads.length > 1) throw new Error(`${INTERACTION} runs on its own (it times live kernels, not tensor workloads)`);
  if (args.profile && (args.peers || args.workloads.includes(INTERACTION))) throw new Error('--profile profiles convlens kernels: not with --peers or interaction');
  for (const b of args.backends ?? []) {
    if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new Error(`Unknown backend "${b}". Valid: ${BACKEND_NAMES.join(', ')}`);
  }
  for (const s of args.sizes) if (![28, 64, 224].includes(s)) throw new Error(`--sizes takes 28, 64 and 224 (the sizes with a model); got ${s}`);
  return args;
}
