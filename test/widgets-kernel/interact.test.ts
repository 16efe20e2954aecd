/**
 * interact: first run, re-runs on change with latest-wins coalescing, async functions,
 * output capture, errors, manual mode, and cleanup on close.
 */
import { interact, IntSlider, Output, LatestWinsRunner, Dropdown, Button, progress, toMimeBundle } from '../../kernel-lib/ipywidgets';
import { freshTransport, frontendUpdate, collectErrors } from './frontend';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const immediate = () => new Promise((r) => setImmediate(r));

describe('interact', () => {
  it('runs fn once with the initial values and shows the Interactive (controls above an output)', async () => {
    const t = freshTransport();
    const calls: unknown[] = [];
    const ui = interact((v) => void calls.push(v), { k: [1, 9], odd: [1, 15, 2], lr: [0, 1, 0.01], on: true, name: 'cat', act: ['relu', 'tanh'] });
    await ui.idle();
    expect(calls).toEqual([{ k: 5, odd: 7, lr: 0.5, on: true, name: 'cat', act: 'relu' }]);
    const kinds = ui.children.map((c) => c.get('_model_name'));
    expect(kinds).toEqual(['IntSliderModel', 'IntSliderModel', 'FloatSliderModel', 'CheckboxModel', 'TextModel', 'DropdownModel', 'OutputModel']);
    expect(ui.controls.k.get('description')).toBe('k');
    const shown = t.messages.filter((m) => m.type === 'display_data') as any[];
    expect(shown[0].data['application/vnd.jupyter.widget-view+json'].model_id).toBe(ui.modelId);
    expect(ui.get('_dom_classes')).toEqual(['widget-interact']);
  });

  it('coalesces a burst of 50 slider events into at most 2 re-runs that end with the latest value', async () => {
    const t = freshTransport();
    const seen: number[] = [];
    const ui = interact(({ x }) => void seen.push(x), { x: new IntSlider({ max: 100 }) });
    await ui.idle();
    for (let i = 1; i <= 50; i++) {
      await frontendUpdate(t, ui.controls.x as IntSlider, { value: i });
      await immediate();
    }
    await ui.idle();
    expect(seen.length - 1).toBeLessThanOrEqual(2);
    expect(seen.length - 1).toBeGreaterThanOrEqual(1);
    expect(seen[seen.length - 1]).toBe(50);
  });

  it('with a slow async fn, events during a run become one follow-up run with the latest value', async () => {
    const t = freshTransport();
    const seen: number[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const ui = interact(
      async ({ x }) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(30);
        seen.push(x);
        concurrent--;
      },
      { x: new IntSlider({ max: 100 }) },
      { display: false },
    );
    while (ui.runCount < 1) await sleep(1); // first run in progress
    for (let i = 1; i <= 50; i++) void frontendUpdate(t, ui.controls.x as IntSlider, { value: i });
    await ui.idle();
    expect(seen).toEqual([0, 50]);
    expect(maxConcurrent).toBe(1);
  });

  it('shows printed text, the return value and displayed widgets in its output, replacing the previous run', async () => {
    freshTransport();
    const ui = interact(
      ({ n }) => {
        process.stdout.write(`n is ${n}\n`);
        process.stderr.write('warn\n');
        return { doubled: n * 2 };
      },
      { n: 2 },
    );
    await ui.idle();
    expect(ui.output.get('outputs')).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'n is 2\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      { output_type: 'display_data', data: { 'text/plain': '{ doubled: 4 }' }, metadata: {} },
    ]);
    ui.controls.n.value = 3;
    await ui.idle();
    expect(ui.output.get('outputs')[0]).toEqual({ output_type: 'stream', name: 'stdout', text: 'n is 3\n' });
    expect(ui.output.get('outputs')).toHaveLength(3);
  });

  it('shows an error of fn in the output and keeps working', async () => {
    freshTransport();
    const ui = interact(
      ({ d }) => {
        if (d === 'bad') throw new RangeError('bad choice');
        return d;
      },
      { d: new Dropdown({ options: ['ok', 'bad'] }) },
    );
    await ui.idle();
    ui.controls.d.value = 'bad';
    await ui.idle();
    const out = ui.output.get('outputs');
    expect(out).toEqual([expect.objectContaining({ output_type: 'error', ename: 'RangeError', evalue: 'bad choice' })]);
    ui.controls.d.value = 'ok';
    await ui.idle();
    expect(ui.output.get('outputs')).toEqual([{ output_type: 'display_data', data: { 'text/plain': "'ok'" }, metadata: {} }]);
  });

  it('manual mode runs only when the Run button is clicked', async () => {
    const t = freshTransport();
    let runs = 0;
    const ui = interact(() => void runs++, { a: 1 }, { manual: true });
    await ui.idle();
    expect(runs).toBe(1);
    ui.controls.a.value = 2;
    await sleep(60);
    expect(runs).toBe(1);
    const button = ui.children.find((c) => c.get('_model_name') === 'ButtonModel')!;
    await t.deliver(button.modelId, { method: 'custom', content: { event: 'click' } });
    await ui.idle();
    expect(runs).toBe(2);
  });

  it('close() stops re-runs, removes its observers from given controls and closes what it created', async () => {
    const t = freshTransport();
    const x = new IntSlider();
    const before = x.listenerCount;
    let runs = 0;
    const ui = interact(() => void runs++, { x, y: [0, 3] });
    await ui.idle();
    expect(x.listenerCount).toBe(before + 1);
    const created = [ui.controls.y, ui.output];
    ui.close();
    x.value = 5;
    await sleep(60);
    expect(runs).toBe(1);
    expect(x.listenerCount).toBe(before);
    expect(x.closed).toBe(false);
    expect(created.every((w) => w.closed)).toBe(true);
    expect(t.openCommIds().sort()).toEqual([x.modelId, x.layout.modelId, x.style.modelId].sort());
  });

  it('as the last expression of the cell that made it, shows nothing more; later it shows again', async () => {
    const t = freshTransport();
    const ui = interact(() => 1, { a: 1 });
    expect(ui[toMimeBundle]().data).toEqual({});
    let later: Record<string, unknown> = {};
    const b = new Button();
    b.onClick(() => void (later = ui[toMimeBundle]().data));
    await t.deliver(b.modelId, { method: 'custom', content: { event: 'click' } });
    expect(later).toEqual(ui.mimeBundle());
    const bar = progress(4, { display: 'none' });
    bar.tick();
    expect(bar[toMimeBundle]().data['text/plain']).toMatch(/^ 25%\|█████ +\| 1\/4 \[/);
  });

  it('rejects bad control specs with a message naming the control, leaving no comm open', () => {
    const t = freshTransport();
    expect(() => interact(() => 0, { z: { a: 1 } as any })).toThrow(/control "z" from {"a":1}/);
    expect(() => interact(() => 0, { r: [5, 1] })).toThrow(/"r" needs finite min <= max, got \[5, 1\]/);
    const o = new Output();
    const open = t.openCommIds().length;
    expect(() => interact(() => 0, { a: 1, o: o as any })).toThrow(/"o" is a widget without a value/);
    expect(t.openCommIds().length).toBe(open);
  });
});

describe('LatestWinsRunner', () => {
  it('coalesces 50 synchronous requests into one run', async () => {
    let n = 0;
    const r = new LatestWinsRunner(() => void n++, 20);
    for (let i = 0; i < 50; i++) r.request();
    await r.idle();
    expect(n).toBe(1);
    r.dispose();
  });

  it('serves a burst of 50 requests spread over 150 ms with one follow-up run', async () => {
    let n = 0;
    // A quiet window far above the 3 ms gaps, so a loaded machine stretching them stays in the burst.
    const r = new LatestWinsRunner(async () => {
      n++;
      await sleep(10);
    }, { quietMs: 250, maxWaitMs: 60_000 });
    for (let i = 0; i < 50; i++) {
      r.request();
      await sleep(3);
    }
    await r.idle();
    expect(n).toBeLessThanOrEqual(2);
    r.dispose();
  });

  it('still runs now and then during a long stream of requests (maxWaitMs)', async () => {
    let n = 0;
    const r = new LatestWinsRunner(() => void n++, { quietMs: 30, maxWaitMs: 60 });
    const end = Date.now() + 400;
    while (Date.now() < end) {
      r.request();
      await sleep(5);
    }
    await r.idle();
    expect(n).toBeGreaterThanOrEqual(4);
    expect(() => new LatestWinsRunner(() => 0, { quietMs: 50, maxWaitMs: 10 })).toThrow(/0 <= quietMs <= maxWaitMs/);
    r.dispose();
  });

  it('logs a failing task and keeps going', async () => {
    let n = 0;
    const r = new LatestWinsRunner(() => {
      n++;
      throw new Error('boom');
    }, 0);
    const errors = await collectErrors(async () => {
      r.request();
      await r.idle();
      r.request();
      await r.idle();
    });
    expect(n).toBe(2);
    expect(errors[0]).toMatch(/boom/);
  });
});
