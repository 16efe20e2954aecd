/**
 * progress(): text bar with rate and ETA, widget bar (IntProgress + Label + Stop button),
 * stopping by button, by signal and by stop(), iteration forms, and no listener leaks.
 */
import { getEventListeners } from 'events';
import { progress, formatTextBar, formatDuration, formatRate, Button, IntProgress, Label } from '../../kernel-lib/ipywidgets';
import { freshTransport } from './frontend';

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function textSink(isTTY = false) {
  const lines: string[] = [];
  return { lines, isTTY, write: (s: string) => void lines.push(s) };
}

describe('progress', () => {
  it('formats durations, rates and a text bar with percentage, counts, elapsed, ETA and rate', () => {
    expect(formatDuration(75_000)).toBe('01:15');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatRate(31.24)).toBe('31.2 it/s');
    expect(formatRate(0.25, 'img')).toBe('4.00 s/img');
    expect(formatTextBar({ description: 'train', count: 45, total: 100, elapsedMs: 3600, rate: 12.5, etaMs: 4400, unit: 'it' }, 10)).toBe(
      'train:  45%|████▌     | 45/100 [00:04<00:04, 12.5 it/s]',
    );
  });

  it('writes a text bar outside notebooks, with rate and ETA from the clock', () => {
    freshTransport();
    const clock = fakeClock();
    const sink = textSink(false);
    const items: number[] = [];
    for (const x of progress([10, 20, 30, 40], { description: 'work', stream: sink, now: clock.now, updateIntervalMs: 0 })) {
      clock.advance(500);
      items.push(x);
    }
    expect(items).toEqual([10, 20, 30, 40]);
    expect(sink.lines[0]).toBe('work:   0%|                    | 0/4 [00:00, ? it/s]\n');
    expect(sink.lines).toContain('work:  50%|██████████          | 2/4 [00:01<00:01, 2.0 it/s]\n');
    expect(sink.lines[sink.lines.length - 1]).toBe('work: 100%|████████████████████| 4/4 [00:02<00:00, 2.0 it/s]\n');
  });

  it('rewrites one line on a terminal and throttles redraws', () => {
    freshTransport();
    const clock = fakeClock();
    const sink = textSink(true);
    const bar = progress(1000, { stream: sink, now: clock.now });
    for (let i = 0; i < 1000; i++) {
      clock.advance(1);
      bar.tick();
    }
    bar.done();
    expect(sink.lines.every((l) => l.startsWith('\r'))).toBe(true);
    expect(sink.lines.length).toBeLessThan(20);
    expect(sink.lines[sink.lines.length - 1]).toMatch(/1000\/1000.*\n$/);
  });

  it('shows a widget bar that a Stop button click stops (async iteration ends quietly, signal aborts)', async () => {
    const t = freshTransport();
    const bar = progress(100, { display: 'widget', description: 'opt', updateIntervalMs: 0 });
    const [ip, label, button] = bar.widget!.children as [IntProgress, Label, Button];
    expect(ip.get('_model_name')).toBe('IntProgressModel');
    expect(ip.get('max')).toBe(100);
    expect(ip.get('description')).toBe('opt');
    const shown = t.messages.filter((m) => m.type === 'display_data') as any[];
    expect(shown[0].data['application/vnd.jupyter.widget-view+json'].model_id).toBe(bar.widget!.modelId);
    let steps = 0;
    for await (const i of bar) {
      steps++;
      if (i === 9) await t.deliver(button.modelId, { method: 'custom', content: { event: 'click' } });
    }
    expect(steps).toBe(10);
    expect(bar.stopped).toBe(true);
    expect(bar.signal.aborted).toBe(true);
    expect(ip.get('value')).toBe(10);
    expect(ip.get('bar_style')).toBe('warning');
    expect(label.value).toMatch(/^10\/100 · 00:00 elapsed · 00:0\d left · [\d.]+ it\/s \(stopped\)$/);
    expect(button.get('disabled')).toBe(true);
    expect(button.clickHandlerCount).toBe(0);
    expect(() => bar.throwIfStopped()).toThrow(/opt stopped at 10/);
  });

  it('marks a finished widget bar as success', () => {
    freshTransport();
    const bar = progress(3, { display: 'widget' });
    for (const _ of bar) void _;
    const ip = bar.widget!.children[0] as IntProgress;
    expect([ip.get('value'), ip.get('bar_style'), bar.status]).toEqual([3, 'success', 'done']);
  });

  it("stops on the caller's AbortSignal and removes its listener when done", async () => {
    freshTransport();
    const ac = new AbortController();
    const bar = progress(50, { signal: ac.signal, display: 'none' });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    let n = 0;
    for await (const _ of bar) {
      if (++n === 5) ac.abort();
    }
    expect(n).toBe(5);
    expect(bar.status).toBe('stopped');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);

    const ac2 = new AbortController();
    const bar2 = progress(2, { signal: ac2.signal, display: 'none' });
    for (const _ of bar2) void _;
    expect(bar2.status).toBe('done');
    expect(getEventListeners(ac2.signal, 'abort')).toHaveLength(0);
  });

  it('feeds a technique-style RunControl (signal + onProgress) and iterates async sources', async () => {
    freshTransport();
    const bar = progress(0, { display: 'none' });
    const control = bar.runControl();
    control.onProgress({ done: 3, total: 12 });
    expect([bar.count, bar.total]).toEqual([3, 12]);
    control.onProgress({ done: 12, total: 12 });
    expect(bar.status).toBe('done');

    async function* gen() {
      yield 'a';
      yield 'b';
    }
    const seen: string[] = [];
    const b2 = progress(gen(), { display: 'none' });
    for await (const s of b2) seen.push(s);
    expect(seen).toEqual(['a', 'b']);
    expect([b2.total, b2.count, b2.status]).toEqual([undefined, 2, 'done']);
  });

  it('marks a run failed when the loop body throws, and rejects bad arguments', () => {
    freshTransport();
    const bar = progress([1, 2, 3], { display: 'none' });
    expect(() => {
      for (const x of bar) if (x === 2) throw new Error('boom');
    }).toThrow('boom');
    expect(bar.status).toBe('failed');
    expect(() => progress(-1)).toThrow(/total must be a non-negative integer, got -1/);
    expect(() => progress(null as any)).toThrow(/expected a number of steps or an iterable, got null/);
  });
});
