/** One executed cell: its number, its source and the text of its result (if any). */
interface HistoryEntry {
  line: number;
  input: string;
  output: string | null;
}

/** The current session's number in history replies (history is kept in memory per kernel run). */
const SESSION = 1;

/**
 * The kernel's input history, answering `history_request` (`tail`, `range` and `search` with
 * glob patterns, `unique` and `n`), as IPython does for the current session.
 */
export class History {
  private readonly entries: HistoryEntry[] = [];

  /** Record cell `line` with its `input` source. */
  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** Attach the text form of cell `line`'s result. */
  setOutput(line: number, output: string): void {
    const entry = this.entries.find((e) => e.line === line);
    if (entry) entry.output = output;
  }

  /** The content of a `history_reply` for a `history_request` content. */
  reply(request: Record<string, unknown>): { status: 'ok'; history: unknown[] } {
    const entries = this.select(request ?? {});
    const history = entries.map((e) => [SESSION, e.line, request?.output ? [e.input, e.output] : e.input]);
    return { status: 'ok', history };
  }

  private select(request: Record<string, unknown>): HistoryEntry[] {
    const n = typeof request.n === 'number' ? request.n : undefined;
    switch (request.hist_access_type) {
      case 'tail':
        return n === undefined ? this.entries.slice() : this.entries.slice(-n);
      case 'range': {
        if (request.session !== undefined && request.session !== SESSION && request.session !== 0) return [];
        const start = Number(request.start ?? 1);
        const stop = request.stop === undefined || request.stop === null ? Infinity : Number(request.stop);
        return this.entries.filter((e) => e.line >= start && e.line < stop);
      }
      case 'search': {
        const pattern = globToRegExp(typeof request.pattern === 'string' ? request.pattern : '*');
        let found = this.entries.filter((e) => pattern.test(e.input));
        if (request.unique) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
        }
        return n === undefined ? found : found.slice(-n);
      }
      default:
        return [];
    }
  }
}

/** IPython history patterns are globs (`*` any text, `?` one character) matched against the whole input. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${escaped}$`);
}
