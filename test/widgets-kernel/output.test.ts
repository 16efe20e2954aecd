/**
 * Output widget: captures stdout/stderr (console.log included), displays and errors of sync and
 * async code into its `outputs` state, without catching output of code running outside.
 */
import { Console } from 'console';
import { Output, IntSlider, publishDisplayData, clearOutput } from '../../kernel-lib/ipywidgets';
import { freshTransport } from './frontend';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Output', () => {
  it('captures console output, widget displays and rich data of async code across awaits', async () => {
    const t = freshTransport();
    const out = new Output();
    const con = new Console(process.stdout, process.stderr);
    let slider: IntSlider | undefined;
    await out.capture(async () => {
      con.log('before');
      await sleep(5);
      con.log('after');
      slider = new IntSlider();
      slider.display();
      publishDisplayData({ 'text/html': '<b>hi</b>' });
    });
    out.flush();
    expect(out.get('outputs')).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'before\nafter\n' },
      { output_type: 'display_data', data: slider!.mimeBundle(), metadata: {} },
      { output_type: 'display_data', data: { 'text/html': '<b>hi</b>' }, metadata: {} },
    ]);
    // nothing went to the cell
    expect(t.messages.filter((m) => m.type === 'display_data')).toEqual([]);
    // the outputs reached the frontend as state updates
    const last = t.messagesFor(out.modelId).filter((m) => m.type === 'comm_msg').pop() as any;
    expect(last.data.state.outputs).toHaveLength(3);
  });

  it('does not capture output of code running concurrently outside the capture', async () => {
    freshTransport();
    const out = new Output();
    const outside: string[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, not called here
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      outside.push(chunk);
      return true;
    });
    try {
      const inside = out.capture(async () => {
        await sleep(10);
        process.stdout.write('in\n');
      });
      await sleep(2);
      process.stdout.write('out\n');
      await inside;
    } finally {
      process.stdout.write = original;
    }
    out.flush();
    expect(outside).toEqual(['out\n']);
    expect(out.get('outputs')).toEqual([{ output_type: 'stream', name: 'stdout', text: 'in\n' }]);
  });

  it("captures tslab's display calls, and updates of a tslab newDisplay() entry replace it in place", async () => {
    const t = freshTransport();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the tslab the kernel uses, loaded as notebooks see it
    const tslab = require('tslab');
    const out = new Output();
    await out.capture(async () => {
      tslab.display.html('<b>one</b>');
      const d = tslab.newDisplay();
      d.text('step 1');
      await sleep(1);
      d.text('step 2');
      tslab.display.png(new Uint8Array([1, 2]));
    });
    out.flush();
    expect(out.get('outputs').map((o) => o.data)).toEqual([
      { 'text/html': '<b>one</b>' },
      { 'text/plain': 'step 2' },
      { 'image/png': Buffer.from([1, 2]).toString('base64') },
    ]);
    expect(t.messages.filter((m) => m.type === 'display_data')).toEqual([]);
    // outside a capture (and outside a kernel) tslab behaves as before
    expect(() => tslab.display.html('x')).toThrow('Not ready');
  });

  it('shows an error thrown by captured code and rethrows it', async () => {
    freshTransport();
    const out = new Output();
    await expect(out.capture(async () => { throw new TypeError('nope'); })).rejects.toThrow('nope');
    expect(() => out.capture(() => { throw new Error('sync'); })).toThrow('sync');
    out.flush();
    expect(out.get('outputs').map((o) => [o.output_type, o.ename, o.evalue])).toEqual([
      ['error', 'TypeError', 'nope'],
      ['error', 'Error', 'sync'],
    ]);
  });

  it('clear(wait) keeps old output until new output arrives', () => {
    freshTransport();
    const out = new Output();
    out.appendStream('stdout', 'old');
    out.flush();
    out.clear(true);
    expect(out.get('outputs')).toHaveLength(1);
    out.appendStream('stdout', 'new');
    out.flush();
    expect(out.get('outputs')).toEqual([{ output_type: 'stream', name: 'stdout', text: 'new' }]);
    out.clear();
    out.flush();
    expect(out.get('outputs')).toEqual([]);
  });

  it('lens.clearOutput() inside a capture clears that Output, not the cell', async () => {
    freshTransport();
    const out = new Output();
    await out.capture(async () => {
      process.stdout.write('frame 1\n');
      clearOutput(true);
      await sleep(1);
      process.stdout.write('frame 2\n');
    });
    out.flush();
    expect(out.get('outputs')).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 2\n' }]);
  });

  it('batches many appends in one tick into one update message', async () => {
    const t = freshTransport();
    const out = new Output();
    for (let i = 0; i < 100; i++) out.appendStream('stdout', `${i}\n`);
    await Promise.resolve();
    const updates = t.messagesFor(out.modelId).filter((m) => m.type === 'comm_msg');
    expect(updates).toHaveLength(1);
  });
});
