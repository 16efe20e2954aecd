/** The parts of the bench's markdown report that every workload shares. */
import * as os from 'os';

/** Milliseconds with 3 significant digits (at least whole ms). */
export function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function loads(l: number[]): string {
  return l.map((x) => x.toFixed(2)).join(' / ');
}

/** The line under a table's heading: the command, the date, the machine and its load before and after. */
export function machineLine(command: string, before: number[], after: number[]): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return (
    `\`${command}\` on ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} CPUs (${cpu}), node ${process.version}; ` +
    `load average (1/5/15 min) ${loads(before)} before, ${loads(after)} after.`
  );
}

/** The progress line printed before a run. */
export function startLine(what: string, before: number[]): string {
  return `# ${what}\n# ${new Date().toISOString()}, node ${process.version}, ${os.availableParallelism()} CPUs, load average ${loads(before)}`;
}
