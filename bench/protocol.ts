/**
 * The line protocol between `npm run bench` and its contenders (a convlens runner per backend and
 * thread count, a PyTorch worker per thread count): JSON commands on the child's stdin, one per
 * line; replies are stdout lines starting with {@link REPLY_PREFIX} (anything else a child prints
 * is passed to stderr). The first reply says `ready` (with a label) or `error` (the contender is
 * skipped with that reason).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import type { PeerCase } from './workload';

export const REPLY_PREFIX = 'BENCH> ';

/** A file of bench/: beside this module, or under the working directory (the GPU-machine bundle). */
export function benchFile(relative: string): string {
  const candidates = [typeof __dirname === 'string' ? path.join(__dirname, relative) : '', path.resolve('bench', relative)].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`bench/${relative} not found (looked at ${candidates.join(', ')}); run from the project root`);
  return found;
}

/** The Python with torch and the Jupyter stack: `CONVLENS_PYTHON`, else Debian's /usr/bin/python3, else python3. */
export function python(): string {
  return process.env.CONVLENS_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** A command: set a case up (and warm it up), time one run, free it, or quit. */
export type Command =
  | { op: 'setup'; key: string; workload: string; index: number; name?: string; args?: PeerCase['args'] }
  | { op: 'run'; key: string }
  | { op: 'profile'; key: string }
  | { op: 'dispose'; key: string }
  | { op: 'exit' };

export interface Reply {
  ready?: boolean;
  label?: string;
  threads?: number;
  /** The greeting of a webgpu contender on a software adapter (SwiftShader, lavapipe, WARP): which one. */
  software?: string;
  ok?: boolean;
  warmMs?: number;
  ms?: number;
  /** `run`: CPU time of the contender's process (all its threads) during the run. */
  cpuMs?: number;
  /** `profile`: time per tfjs kernel in one run, slowest first. */
  kernels?: Array<{ name: string; ms: number; calls: number }>;
  error?: string;
}

/** A child process spoken to with {@link Command}s. */
export class Contender {
  private readonly child: ChildProcess;
  private readonly replies: Reply[] = [];
  private waiting: ((r: Reply) => void) | undefined;
  private exited: string | undefined;

  constructor(readonly name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
    this.child.stdin!.on('error', () => undefined); // a child that died is reported through 'exit'
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith(REPLY_PREFIX)) return void process.stderr.write(`[${name}] ${line}\n`);
      this.deliver(JSON.parse(line.slice(REPLY_PREFIX.length)) as Reply);
    });
    this.child.on('error', (e) => this.fail(`could not start: ${e.message}`));
    this.child.on('exit', (code, signal) => this.fail(`exited (${signal ?? `code ${code}`})`));
  }

  private deliver(r: Reply): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w(r);
    else this.replies.push(r);
  }

  private fail(why: string): void {
    this.exited ??= why;
    this.deliver({ error: this.exited });
  }

  /** The next reply (the first one is the ready/error greeting). */
  next(): Promise<Reply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.exited) return Promise.resolve({ error: this.exited });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Send a command and wait for its reply. */
  request(cmd: Command): Promise<Reply> {
    if (this.exited) return Promise.resolve({ error: this.exited });
    this.child.stdin!.write(JSON.stringify(cmd) + '\n');
    return this.next();
  }

  /** Ask the child to quit, and kill it if it does not within 5 s. */
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end(JSON.stringify({ op: 'exit' }) + '\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
