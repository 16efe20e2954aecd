import { initBackend, parseBackendName, BACKEND_NAMES, backendReport, describeBackend, summarizeBackend, type BackendInfo, type BackendName } from '../../kernel-lib/backend';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';

describe('initBackend', () => {
  it('picks a working backend, says why, and is idempotent', async () => {
    const info = await initBackend({ log: false });
    expect(BACKEND_NAMES).toContain(info.name);
    expect(tf.getBackend()).toBe(info.tfBackend);
    expect(info.reason.length).toBeGreaterThan(0);
    expect(await initBackend({ log: false })).toBe(info);
    const forced = process.env.CONVLENS_BACKEND;
    if (forced) {
      expect(info.name).toBe(forced);
      expect(info.reason).toMatch(/forced/);
    } else {
      // This machine has no GPU and no tfjs-node: every faster backend must be skipped with a reason.
      const order = BACKEND_NAMES.slice(0, BACKEND_NAMES.indexOf(info.name));
      expect(info.skipped.map((s) => s.name)).toEqual(order);
      for (const s of info.skipped) expect(s.reason).toMatch(/\w{4,}/);
    }
    expect(describeBackend(info)).toContain(`backend ${info.name}`);
    // What initBackend prints is one short line; the skipped backends' reasons are in the report.
    const line = summarizeBackend(info);
    expect(line).toContain(`backend ${info.name}`);
    for (const s of info.skipped) {
      expect(line).not.toContain(s.reason);
      expect(await backendReport()).toContain(`${s.name} skipped (${s.reason})`);
    }
    if (info.skipped.length) expect(line).toContain(`${info.skipped.length} faster`);
    // The chosen backend really computes.
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });

  it('reports what each backend is: wasm SIMD and threads (with why it is 1), the WebGPU adapter, the tfjs-node package, nothing more for cpu', async () => {
    const expected: Record<BackendName, (d: BackendInfo['details']) => void> = {
      'tfjs-node-gpu': (d) => expect(d).toEqual({ package: '@tensorflow/tfjs-node-gpu' }),
      'tfjs-node': (d) => expect(d).toEqual({ package: '@tensorflow/tfjs-node' }),
      webgpu: (d) => expect(typeof d.adapter).toBe('string'),
      wasm: (d) => {
        expect(Object.keys(d).sort()).toEqual(['simd', 'single-threaded', 'threads']);
        expect(typeof d.simd).toBe('boolean');
        expect(d.threads).toBe(1); // test/setup-env.ts: CONVLENS_WASM_THREADS=1
        expect(typeof d['single-threaded']).toBe('string');
      },
      cpu: (d) => expect(d).toEqual({}),
    };
    const info = await initBackend({ log: false });
    expected[info.name](info.details); // the backend this run uses, whichever it is
    // wasm and cpu run everywhere: check both, whatever the default is here.
    try {
      let firstWasm = info.name === 'wasm' ? info : undefined;
      for (const name of ['wasm', 'cpu'] as const) {
        const forced = await initBackend({ backend: name, log: false });
        expect(forced.name).toBe(name);
        expected[name](forced.details);
        if (name === 'wasm') firstWasm ??= forced;
      }
      // The first start of wasm in this process says why it runs on one thread.
      expect(firstWasm?.details['single-threaded']).toBe('CONVLENS_WASM_THREADS = 1');
      expect(describeBackend(firstWasm!)).toMatch(/threads: 1, single-threaded: CONVLENS_WASM_THREADS = 1/);
    } finally {
      await initBackend({ log: false });
    }
  });

  it('uses one tfjs-core instance for tfjs, the wasm and the webgpu backends', () => {
    const core = (from: string) => require.resolve('@tensorflow/tfjs-core', { paths: [path.dirname(require.resolve(from))] });
    const theOne = core('@tensorflow/tfjs');
    expect(core('@tensorflow/tfjs-backend-wasm')).toBe(theOne);
    expect(core('@tensorflow/tfjs-backend-webgpu')).toBe(theOne);
  });

  it('keeps the cpu backend quiet (no tfjs "Hi, looks like you are running TensorFlow.js in Node.js" banner)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await initBackend({ backend: 'cpu', log: false });
      tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /looks like you are running/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
      await initBackend({ log: false });
    }
  });

  it('rejects an unknown backend name, listing the valid names', () => {
    expect(() => parseBackendName('cuda')).toThrow(/Unknown backend "cuda".*tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu/);
    expect(parseBackendName(' WASM ')).toBe('wasm');
    expect(parseBackendName('auto')).toBeUndefined();
  });

  it('fails clearly when a forced backend is unavailable', async () => {
    await expect(initBackend({ backend: 'tfjs-node-gpu', log: false })).rejects.toThrow(/not available here: tfjs-node-gpu: .*not installed/);
    // the failed attempt leaves the previous choice working
    const info = await initBackend({ log: false });
    expect(tf.getBackend()).toBe(info.tfBackend);
  });
});
