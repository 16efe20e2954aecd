/**
 * Message shapes of the widget protocol 2.1.0 (packages/schema/messages.md of ipywidgets):
 * comm_open, update, echo_update, request_state, custom messages, buffer_paths, display, close.
 */
import { IntSlider, Widget, modelIdentity, Layout, Button, Image, DOMWidget, type DOMWidgetState, HBox, OfflineTransport, Play, jslink } from '../../kernel-lib/ipywidgets';
import { bytes, collectErrors, freshTransport, frontendUpdate, openOf, sentData } from './frontend';

interface BlobState extends DOMWidgetState {
  data: Uint8Array;
  meta: { shape: number[]; planes: Array<DataView | null> };
  label: string;
}

/** A custom widget as other areas write them: own module, binary state. */
class Blob extends DOMWidget<BlobState> {
  constructor(init: Pick<BlobState, 'data' | 'meta'>) {
    super(modelIdentity({ module: 'convlens', version: '0.1.0' }, 'BlobModel', 'BlobView'), { ...init, label: '' });
  }
}

describe('widget protocol messages', () => {
  it('opens a comm on jupyter.widget with the full state, protocol version and child models by reference', () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 3, min: 1, max: 9, description: 'k' });
    const open = openOf(t, s);
    expect(open.targetName).toBe('jupyter.widget');
    expect(open.metadata).toEqual({ version: '2.1.0' });
    expect(open.data.buffer_paths).toEqual([]);
    expect(open.data.state).toMatchObject({
      _model_module: '@jupyter-widgets/controls', _model_module_version: '2.0.0', _model_name: 'IntSliderModel',
      _view_module: '@jupyter-widgets/controls', _view_module_version: '2.0.0', _view_name: 'IntSliderView',
      value: 3, min: 1, max: 9, step: 1, description: 'k',
      layout: `IPY_MODEL_${s.layout.modelId}`, style: `IPY_MODEL_${s.style.modelId}`,
    });
    // children are opened before the parent that references them
    const order = t.messages.filter((m) => m.type === 'comm_open').map((m) => (m as any).data.state._model_name);
    expect(order.slice(0, 2).sort()).toEqual(['LayoutModel', 'SliderStyleModel']);
    expect(order[2]).toBe('IntSliderModel');
    expect(openOf(t, s.style).data.state).toMatchObject({ _view_module: '@jupyter-widgets/base', _view_name: 'StyleView', handle_color: null });
  });

  it('set() of several keys sends one update with only the changed keys', () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 3 });
    s.set({ value: 5, max: 50, min: 0 });
    expect(sentData(t, s)).toEqual([{ method: 'update', state: { value: 5, max: 50 }, buffer_paths: [] }]);
    s.set({ value: 5 });
    expect(sentData(t, s)).toHaveLength(1);
  });

  it('rejects unknown and identity keys from kernel code with a clear error', () => {
    freshTransport();
    const s = new IntSlider();
    expect(() => s.set({ nope: 1 } as any)).toThrow(/no state key "nope".*value/);
    expect(() => s.set({ _model_name: 'X' } as any)).toThrow(/_model_name is fixed/);
    expect(() => s.set({ value: NaN })).toThrow(/value must be a finite number, got NaN/);
    expect(() => s.set({ min: 10, max: 5 })).toThrow(/min \(10\) must be <= max \(5\)/);
    const t = freshTransport();
    expect(() => new IntSlider({ min: 10, max: 5 })).toThrow(/min \(10\) must be <= max \(5\)/);
    expect(t.openCommIds()).toEqual([]);
  });

  it('answers a frontend update with echo_update, applies it, and sends nothing else when it is valid', async () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 3 });
    const seen: unknown[] = [];
    s.observe('value', (c) => seen.push([c.old, c.new, c.source]));
    await frontendUpdate(t, s, { value: 7 });
    expect(sentData(t, s)).toEqual([{ method: 'echo_update', state: { value: 7 }, buffer_paths: [] }]);
    expect(s.value).toBe(7);
    expect(seen).toEqual([[3, 7, 'frontend']]);
  });

  it('sends an update back when the kernel coerces a frontend value', async () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 3, max: 10 });
    await frontendUpdate(t, s, { value: 42.4 });
    expect(sentData(t, s)).toEqual([
      { method: 'echo_update', state: { value: 42.4 }, buffer_paths: [] },
      { method: 'update', state: { value: 10 }, buffer_paths: [] },
    ]);
    expect(s.value).toBe(10);
  });

  it('answers request_state with an update carrying the whole state', async () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 4 });
    await t.deliver(s.modelId, { method: 'request_state' });
    const [msg] = sentData(t, s);
    expect(msg.method).toBe('update');
    expect(msg.state).toEqual(openOf(t, s).data.state);
  });

  it('splits binary state into buffers with buffer_paths (top level removed, list items null)', () => {
    const t = freshTransport();
    const plane = new Float32Array([1.5, -2]);
    const b = new Blob({ data: new Uint8Array([1, 2, 3]), meta: { shape: [2], planes: [new DataView(plane.buffer), null] } });
    const open = openOf(t, b);
    expect(open.data.buffer_paths).toEqual([['data'], ['meta', 'planes', 0]]);
    expect(open.data.state.data).toBeUndefined();
    expect(open.data.state.meta).toEqual({ shape: [2], planes: [null, null] });
    expect(bytes(open.buffers[0])).toEqual([1, 2, 3]);
    expect(new Float32Array(open.buffers[1].buffer.slice(0))).toEqual(plane);
    b.set({ data: new Uint8Array([9]) });
    expect(sentData(t, b)).toEqual([{ method: 'update', state: {}, buffer_paths: [['data']] }]);
    const last = t.messages[t.messages.length - 1] as any;
    expect(bytes(last.buffers[0])).toEqual([9]);
  });

  it('receives binary values from the frontend at their buffer paths and echoes them as buffers', async () => {
    const t = freshTransport();
    const img = new Image({ value: new Uint8Array([1]) });
    const b = new Blob({ data: new Uint8Array([0]), meta: { shape: [], planes: [] } });
    await frontendUpdate(t, b, { meta: { shape: [1], planes: [null] } }, [['data'], ['meta', 'planes', 0]], [new Uint8Array([5, 6]), new Uint8Array([7])]);
    expect(b.get('data')).toBeInstanceOf(Uint8Array);
    expect(bytes(b.get('data'))).toEqual([5, 6]);
    expect(bytes(b.get('meta').planes[0] as DataView)).toEqual([7]);
    const echo = sentData(t, b)[0];
    expect(echo).toEqual({ method: 'echo_update', state: { meta: { shape: [1], planes: [null] } }, buffer_paths: [['meta', 'planes', 0], ['data']] });
    // Image bytes are not echoed (as in ipywidgets).
    await frontendUpdate(t, img, {}, [['value']], [new Uint8Array([2, 2])]);
    expect(sentData(t, img)).toEqual([]);
    expect(bytes(img.value)).toEqual([2, 2]);
  });

  it('sends and receives custom messages with buffers; Button click events arrive as custom messages', async () => {
    const t = freshTransport();
    const b = new Blob({ data: new Uint8Array(), meta: { shape: [], planes: [] } });
    const got: unknown[] = [];
    const off = b.onMsg((content, buffers) => {
      got.push([content, buffers.map(bytes)]);
    });
    b.send({ kind: 'hello' }, [new Uint8Array([4, 2])]);
    expect(sentData(t, b)).toEqual([{ method: 'custom', content: { kind: 'hello' } }]);
    expect(bytes((t.messages[t.messages.length - 1] as any).buffers[0])).toEqual([4, 2]);
    await t.deliver(b.modelId, { method: 'custom', content: { kind: 'pick', unit: 3 } }, [new Uint8Array([1])]);
    expect(got).toEqual([[{ kind: 'pick', unit: 3 }, [[1]]]]);
    off();
    await t.deliver(b.modelId, { method: 'custom', content: {} });
    expect(got).toHaveLength(1);

    const button = new Button({ description: 'Go' });
    let clicks = 0;
    button.onClick(() => void clicks++);
    await t.deliver(button.modelId, { method: 'custom', content: { event: 'click' } });
    button.set({ disabled: true });
    await t.deliver(button.modelId, { method: 'custom', content: { event: 'click' } });
    expect(clicks).toBe(1);
  });

  it('display() emits display_data with the widget view (version 2.1) and a text/plain fallback', () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 2, description: 'k' });
    expect(s.display()).toBeUndefined();
    const d = t.messages.filter((m) => m.type === 'display_data');
    expect(d).toEqual([
      {
        type: 'display_data',
        data: {
          'application/vnd.jupyter.widget-view+json': { version_major: 2, version_minor: 1, model_id: s.modelId },
          'text/plain': "IntSlider(value=2, description='k')",
        },
        metadata: {},
      },
    ]);
  });

  it('rejects malformed frontend messages without throwing and without changing state', async () => {
    const t = freshTransport();
    const s = new IntSlider({ value: 3 });
    const errors = await collectErrors(async () => {
      await t.deliver(s.modelId, 'garbage');
      await t.deliver(s.modelId, { method: 'explode' });
      await t.deliver(s.modelId, { method: 'update', state: 5 });
      await t.deliver(s.modelId, { method: 'update', state: { value: 'seven' } });
      await t.deliver(s.modelId, { method: 'update', state: { value: null } });
      await t.deliver(s.modelId, { method: 'update', state: { layout: 'IPY_MODEL_nope' } });
      await t.deliver(s.modelId, { method: 'update', state: { value: 1 }, buffer_paths: [['x']] });
      await t.deliver(s.modelId, { method: 'update', state: { _model_name: 'Evil', unknown: 1 } });
    });
    expect(errors.join('\n')).toMatch(/unknown method "explode"/);
    expect(errors.join('\n')).toMatch(/expected a number like 3, got "seven"/);
    expect(errors.join('\n')).toMatch(/IPY_MODEL_nope names no live widget/);
    expect(errors.join('\n')).toMatch(/1 paths but the message has 0 buffers/);
    expect(s.value).toBe(3);
    expect(s.get('_model_name')).toBe('IntSliderModel');
    // rejected values are answered with the kernel's value so the view snaps back
    expect(sentData(t, s).filter((m) => m.method === 'update')).toContainEqual({ method: 'update', state: { value: 3 }, buffer_paths: [] });
  });

  it('resolves IPY_MODEL references from the frontend for widget-valued keys', async () => {
    const t = freshTransport();
    const a = new IntSlider();
    const shared = new Layout({ width: '10px' });
    const box = new HBox([a]);
    await frontendUpdate(t, box, { layout: `IPY_MODEL_${shared.modelId}`, children: [`IPY_MODEL_${a.modelId}`, `IPY_MODEL_${a.modelId}`] });
    expect(box.layout).toBe(shared);
    expect(box.children).toEqual([a, a]);
  });

  it('close() sends comm_close for the widget and the layout/style it created, not for shared ones', () => {
    const t = freshTransport();
    const shared = new Layout({ width: '50%' });
    const s = new IntSlider({ layout: shared });
    const styleId = s.style.modelId;
    s.observe('value', () => undefined);
    s.close();
    const closed = t.messages.filter((m) => m.type === 'comm_close').map((m) => (m as any).commId);
    expect(closed).toEqual([s.modelId, styleId]);
    expect(shared.closed).toBe(false);
    expect(s.listenerCount).toBe(0);
    expect(() => s.display()).toThrow(/closed/);
    expect(t.openCommIds()).toEqual([shared.modelId]);
  });

  it('a comm closed by the frontend marks the widget closed and runs onClose', () => {
    const t = freshTransport();
    const s = new IntSlider();
    let closed = 0;
    s.onClose(() => void closed++);
    t.closeFromFrontend(s.modelId);
    expect(s.closed).toBe(true);
    expect(closed).toBe(1);
  });

  it('observe supports lists of keys and "*", and its remover works', () => {
    freshTransport();
    const s = new IntSlider();
    const seen: string[] = [];
    const offAll = s.observe('*', (c) => seen.push(`*${String(c.name)}`));
    const off = s.observe(['value', 'max'], (c) => seen.push(String(c.name)));
    s.set({ value: 4, max: 60 });
    off();
    s.set({ value: 5 });
    offAll();
    s.set({ value: 6 });
    expect(seen.sort()).toEqual(['*max', '*value', '*value', 'max', 'value']);
    expect(() => s.observe('nope' as any, () => undefined)).toThrow(/no state key "nope"/);
  });

  it('answers request_states on jupyter.widget.control with every live widget', async () => {
    const t = freshTransport();
    const b = new Blob({ data: new Uint8Array([8]), meta: { shape: [], planes: [] } });
    expect(b).toBeInstanceOf(Widget);
    const commId = t.openFromFrontend('jupyter.widget.control', {}, { version: '1.0.0' });
    await t.deliver(commId, { method: 'request_states' });
    const reply = t.messagesFor(commId).find((m) => m.type === 'comm_msg') as any;
    expect(reply.data.method).toBe('update_states');
    expect(reply.data.states[b.modelId]).toMatchObject({ model_name: 'BlobModel', model_module: 'convlens', model_module_version: '0.1.0' });
    expect(reply.data.states[b.modelId].state.label).toBe('');
    const i = reply.data.buffer_paths.findIndex((p: unknown[]) => p[0] === b.modelId);
    expect(reply.data.buffer_paths[i]).toEqual([b.modelId, 'state', 'data']);
    expect(bytes(reply.buffers[i])).toEqual([8]);
  });
});

describe('jslink', () => {
  it('opens a LinkModel whose source and target are [IPY_MODEL reference, key] pairs, and checks the keys', () => {
    const t = freshTransport();
    const play = new Play();
    const slider = new IntSlider();
    const link = jslink([play, 'value'], [slider, 'value']);
    expect(openOf(t, link).data.state).toMatchObject({
      _model_name: 'LinkModel', _view_name: null,
      source: [`IPY_MODEL_${play.modelId}`, 'value'], target: [`IPY_MODEL_${slider.modelId}`, 'value'],
    });
    expect(() => jslink([play, 'nope'], [slider, 'value'])).toThrow(/source: Play has no state key "nope"/);
    link.close();
    expect(t.openCommIds()).not.toContain(link.modelId);
  });
});

describe('offline transport', () => {
  it('bounds what it records by message count and buffer bytes', async () => {
    const t = new OfflineTransport({ maxRecorded: 5, maxRecordedBytes: 1000 });
    const comm = t.open('x', {});
    for (let i = 0; i < 10; i++) comm.send({ i });
    expect(t.messages.map((m: any) => m.data.i)).toEqual([5, 6, 7, 8, 9]);
    for (let i = 0; i < 3; i++) comm.send({ big: i }, [new Uint8Array(400)]);
    expect(t.messages.map((m: any) => m.data.big)).toEqual([1, 2]);
    await expect(t.deliver('nope', {})).rejects.toThrow(/no open comm nope; open: /);
  });
});
